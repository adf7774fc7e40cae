import { wgsl } from './program.js';

/**
 * Template for the binary table ops with broadcasting (rank <= 8). One shader
 * per (op, input type) is generated at module load by replacing the `alias`
 * lines and the `/*EXPR*\/a` body of `op` (see `elementwise.ts`).
 */
export const source = wgsl`
alias T = f32;
alias U = f32;

struct Params {
  size: u32,
  rank: u32,
  out_shape: array<vec4<u32>, 2>,
  a_strides: array<vec4<u32>, 2>,
  b_strides: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<storage, read> a: array<T>;
@group(0) @binding(1) var<storage, read> b: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<U>;
@group(0) @binding(3) var<uniform> params: Params;

override wg: u32 = 64u;

fn floor_div_i(p: i32, q: i32) -> i32 {
  if (q == 0) { return 0; }
  let r = p / q;
  if ((p % q != 0) && ((p < 0) != (q < 0))) { return r - 1; }
  return r;
}

fn pow_signed(p: f32, q: f32) -> f32 {
  if (q == 0.0) { return 1.0; }
  let r = pow(abs(p), q);
  if (p < 0.0) {
    if (fract(q) != 0.0) { return sqrt(p); }
    if (fract(q * 0.5) != 0.0) { return -r; }
  }
  return r;
}

fn op(a: T, b: T) -> U {
  return /*EXPR*/a;
}

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size) { return; }
  var rem = i;
  var ai = 0u;
  var bi = 0u;
  for (var d = i32(params.rank) - 1; d >= 0; d--) {
    let du = u32(d);
    let n = params.out_shape[du / 4u][du % 4u];
    let c = rem % n;
    rem = rem / n;
    ai += c * params.a_strides[du / 4u][du % 4u];
    bi += c * params.b_strides[du / 4u][du % 4u];
  }
  out[i] = op(a[ai], b[bi]);
}
`;
