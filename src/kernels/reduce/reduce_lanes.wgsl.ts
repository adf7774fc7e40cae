import { wgsl } from '../webgpu/program.js';

/**
 * Reduction over one run of adjacent axes, without a workgroup tree: x is
 * viewed as [A, red_size, inner] and reduced over the middle axis, one thread
 * per (a, chunk, b) looping over `chunk_len` elements at stride `inner` (no
 * index arithmetic, no barrier) into out[a, chunk, b]. Neighbouring threads
 * read neighbouring b, so a column reduction (a bias gradient:
 * [N·H·W, C] → [C]) is coalesced, and short rows ([rows, 10] → [rows]) take
 * one pass. With `chunks` > 1 the result is partials [A, chunks, inner],
 * reduced by a second pass. op: 0 sum, 1 prod, 2 max, 3 min, 4 any, 5 all.
 * Composed by `reduce/webgpu.ts` by concatenation: `alias T = <f32|i32>;`,
 * the column aliases (`lanes1`, or `lanes4` for the _vec4 variants: inner a
 * multiple of 4, params counting vec4s, four adjacent columns per thread),
 * then `main`.
 */
export const main = wgsl`
struct Params {
  size: u32,
  red_size: u32,
  inner: u32,
  chunks: u32,
  chunk_len: u32,
  op: u32,
}

@group(0) @binding(0) var<storage, read> x: array<V>;
@group(0) @binding(1) var<storage, read_write> out: array<V>;
@group(0) @binding(2) var<uniform> params: Params;

// T is a float type (f32) rather than i32: i32(0.5) is 0.
const IS_FLOAT: bool = T(0.5) != T(0);

// NaN test on the bits (WGSL lets implementations assume finite floats, and
// SwiftShader folds p != p to false); never true for i32.
fn is_nan_v(v: V) -> VB { return select(VB(false), (bitcast<VU>(v) & VU(0x7fffffffu)) > VU(0x7f800000u), IS_FLOAT); }

// max and min propagate NaN (the NaN operand is kept), as on the CPU and in TensorFlow.js.
fn combine(p: V, q: V) -> V {
  switch (params.op) {
    case 0u: { return p + q; }
    case 1u: { return p * q; }
    case 2u: { return select(select(select(q, p, p > q), q, is_nan_v(q)), p, is_nan_v(p)); }
    case 3u: { return select(select(select(q, p, p < q), q, is_nan_v(q)), p, is_nan_v(p)); }
    case 4u: { return select(V(0), V(1), (p != V(0)) | (q != V(0))); }
    default: { return select(V(0), V(1), (p != V(0)) & (q != V(0))); }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * (nwg.x * 64u);
  if (t >= params.size * params.chunks) { return; }
  let b = t % params.inner;
  let k = (t / params.inner) % params.chunks;
  let a = t / (params.inner * params.chunks);
  let start = k * params.chunk_len;
  let stop = min(start + params.chunk_len, params.red_size);
  var p = (a * params.red_size + start) * params.inner + b;
  var acc = V(0);
  if (params.op == 0u) {
    // sum: the common case, with no per-element switch.
    for (var r = start; r < stop; r++) {
      acc += x[p];
      p += params.inner;
    }
  } else {
    if (params.op == 1u || params.op == 5u) { acc = V(1); }
    if (params.op == 2u || params.op == 3u) { acc = x[p]; }
    for (var r = start; r < stop; r++) {
      acc = combine(acc, x[p]);
      p += params.inner;
    }
  }
  out[t] = acc;
}
`;

/** One column per thread. */
export const lanes1 = wgsl`
alias V = T;
alias VU = u32;
alias VB = bool;
`;

/** Four adjacent columns per thread. */
export const lanes4 = wgsl`
alias V = vec4<T>;
alias VU = vec4<u32>;
alias VB = vec4<bool>;
`;
