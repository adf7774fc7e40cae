import { wgsl } from '../webgpu/program.js';

/**
 * Index check for gather and scatterAdd: one workgroup scans `indices` [n]
 * and finds the first position whose value is outside [0, dim). Thread 0
 * writes slot `params.slot` of `flags` (4 i32 each): [found, value, position, 0].
 * The runtime reads the flags back with the next tensor read and turns a
 * found index into the op's error, so a bad index never passes silently.
 */
export const source = wgsl`
struct Params {
  n: u32,
  dim: u32,
  slot: u32,
}

@group(0) @binding(0) var<storage, read> indices: array<i32>;
@group(0) @binding(1) var<storage, read_write> flags: array<i32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg: u32 = 256u;
var<workgroup> first_bad: atomic<u32>;

@compute @workgroup_size(wg)
fn main(@builtin(local_invocation_index) lid: u32) {
  if (lid == 0u) { atomicStore(&first_bad, 0xffffffffu); }
  workgroupBarrier();
  for (var j = lid; j < params.n; j += wg) {
    let v = indices[j];
    if (v < 0 || u32(v) >= params.dim) { atomicMin(&first_bad, j); }
  }
  workgroupBarrier();
  let f = atomicLoad(&first_bad);
  if (lid == 0u) {
    let base = params.slot * 4u;
    if (f == 0xffffffffu) {
      flags[base] = 0;
    } else {
      flags[base] = 1;
      flags[base + 1u] = indices[f];
      flags[base + 2u] = i32(f);
    }
  }
}
`;
