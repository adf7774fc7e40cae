import { wgsl } from '../webgpu/program.js';

/**
 * Reduction over any set of axes without a transpose: one workgroup per
 * output element; its 64 threads stride over the reduced elements (addressed
 * through the reduced dims' shape/strides) and combine in shared memory with a
 * tree. op: 0 sum, 1 prod, 2 max, 3 min, 4 any, 5 all. Composed by `reduce/webgpu.ts` after `alias T = <f32|i32>;`.
 * Long reductions run in two passes: pass 1 gives each output `chunks`
 * workgroups, each reducing `chunk_len` elements into a partial; pass 2 reduces
 * the partials ([size, chunks]) with the same shader.
 */
export const main = wgsl`
struct Params {
  size: u32,
  red_size: u32,
  kept_rank: u32,
  red_rank: u32,
  op: u32,
  chunks: u32,
  chunk_len: u32,
  kept_shape: array<vec4<u32>, 2>,
  kept_strides: array<vec4<u32>, 2>,
  red_shape: array<vec4<u32>, 2>,
  red_strides: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<storage, read> x: array<T>;
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 64u;
var<workgroup> sh: array<T, 64>;

// T is a float type (f32) rather than i32: i32(0.5) is 0.
const IS_FLOAT: bool = T(0.5) != T(0);

// NaN test on the bits (WGSL lets implementations assume finite floats, and
// SwiftShader folds p != p to false); never true for i32.
fn is_nan_t(v: T) -> bool { return IS_FLOAT && (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }

// max and min propagate NaN (the NaN operand is kept), as on the CPU and in TensorFlow.js.
fn combine(p: T, q: T) -> T {
  switch (params.op) {
    case 0u: { return p + q; }
    case 1u: { return p * q; }
    case 2u: { return select(select(select(q, p, p > q), q, is_nan_t(q)), p, is_nan_t(p)); }
    case 3u: { return select(select(select(q, p, p < q), q, is_nan_t(q)), p, is_nan_t(p)); }
    case 4u: { return select(T(0), T(1), p != T(0) || q != T(0)); }
    default: { return select(T(0), T(1), p != T(0) && q != T(0)); }
  }
}

fn offset_of(idx: u32, rank: u32, shape: array<vec4<u32>, 2>, strides: array<vec4<u32>, 2>) -> u32 {
  var rem = idx;
  var off = 0u;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let du = u32(d);
    let n = shape[du / 4u][du % 4u];
    off += (rem % n) * strides[du / 4u][du % 4u];
    rem = rem / n;
  }
  return off;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nwg.x;
  if (w >= params.size * params.chunks) { return; }
  let o = w / params.chunks;
  let start = (w % params.chunks) * params.chunk_len;
  let stop = min(start + params.chunk_len, params.red_size);
  let base = offset_of(o, params.kept_rank, params.kept_shape, params.kept_strides);
  var acc = T(0);
  if (params.op == 1u || params.op == 5u) { acc = T(1); }
  if ((params.op == 2u || params.op == 3u) && params.red_size > 0u) { acc = x[base]; }
  for (var r = start + lid; r < stop; r += WG) {
    acc = combine(acc, x[base + offset_of(r, params.red_rank, params.red_shape, params.red_strides)]);
  }
  sh[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { sh[lid] = combine(sh[lid], sh[lid + s]); }
    workgroupBarrier();
  }
  if (lid == 0u) { out[w] = sh[0]; }
}
`;
