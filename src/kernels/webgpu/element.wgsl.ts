import { wgsl } from './program.js';

/**
 * Parts shared by the shaders that run one thread per output element,
 * composed by concatenation after the shader's own parts (which declare
 * `params` with a `size` member and define `fn element(i: u32)`):
 * `perElement` (the workgroup size and the main that finds the flat element
 * id) and `outCoords` (the strided index walk over `params.out_shape`).
 */

/** The main of a one-thread-per-element shader: flat id i of [0, params.size), then `element(i)`. */
export const perElement = wgsl`
override wg: u32 = 64u;

// Flat id i: x folded into (x, y) past the per-dimension workgroup limit; threads past params.size idle.
@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size) { return; }
  element(i);
}
`;

/** pop_coord: the strided index walk over `params.out_shape` (rank <= 8, packed as array<vec4<u32>, 2>). */
export const outCoords = wgsl`
// Walking dims last to first, the coordinate along dim d of the flat index whose rest is *rem
// (row-major over params.out_shape); *rem keeps the rest for the dims before d.
fn pop_coord(rem: ptr<function, u32>, d: u32) -> u32 {
  let n = params.out_shape[d / 4u][d % 4u];
  let c = *rem % n;
  *rem = *rem / n;
  return c;
}
`;
