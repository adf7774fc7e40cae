import { wgsl } from '../webgpu/program.js';

/**
 * Stable softmax (mode 0) / logSoftmax (mode 1) along the last axis: one
 * workgroup per row with shared-memory max and sum, or, for short rows
 * (`row_per_thread` = 1), one thread per row looping over it with no barrier.
 */
export const source = wgsl`
struct Params {
  rows: u32,
  n: u32,
  mode: u32,
  row_per_thread: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 64u;
var<workgroup> sh: array<f32, 64>;

// Special values, made explicit (see unary.wgsl.ts): WGSL lets implementations
// assume finite floats, and SwiftShader's exp(NaN) is +Inf, its log(NaN) 89.1.
var<private> INF_BITS: u32 = 0x7f800000u;
fn is_nan_f(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }

// e^v for v <= 0 (or NaN, kept): every shifted entry x - max is <= 0 unless NaN.
fn exp_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  if (v < -104.0) { return 0.0; }
  return exp(v);
}

// ln t for a sum t >= 1 of exps (or NaN, kept; +Inf stays +Inf).
fn log_f(t: f32) -> f32 {
  if (is_nan_f(t) || t > 3.4028234e38) { return t; }
  return log(t);
}

// As the CPU kernel: m is the largest non-NaN entry (-Inf if none). A row with
// a NaN, a +Inf or only -Inf entries gets a NaN shift x - m somewhere, so a NaN
// sum and NaN outputs everywhere, as in TensorFlow.js.
// One thread per row: the same max, sum and outputs, in sequence.
fn softmax_row(row: u32) {
  let base = row * params.n;
  var m = -bitcast<f32>(INF_BITS);
  for (var j = 0u; j < params.n; j++) {
    let v = x[base + j];
    if (v > m && !is_nan_f(v)) { m = v; }
  }
  var t = 0.0;
  for (var j = 0u; j < params.n; j++) { t += exp_f(x[base + j] - m); }
  for (var j = 0u; j < params.n; j++) {
    let v = x[base + j] - m;
    if (params.mode == 0u) { out[base + j] = exp_f(v) / t; } else { out[base + j] = v - log_f(t); }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  if (params.row_per_thread == 1u) {
    let r = (wid.x + wid.y * nwg.x) * WG + lid;
    if (r < params.rows) { softmax_row(r); }
    return;
  }
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let base = row * params.n;
  var m = -bitcast<f32>(INF_BITS);
  for (var j = lid; j < params.n; j += WG) {
    let v = x[base + j];
    if (v > m && !is_nan_f(v)) { m = v; }
  }
  sh[lid] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { sh[lid] = select(sh[lid], sh[lid + s], sh[lid + s] > sh[lid]); }
    workgroupBarrier();
  }
  let mx = sh[0];
  workgroupBarrier();
  var t = 0.0;
  for (var j = lid; j < params.n; j += WG) { t += exp_f(x[base + j] - mx); }
  sh[lid] = t;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { sh[lid] = sh[lid] + sh[lid + s]; }
    workgroupBarrier();
  }
  let total = sh[0];
  for (var j = lid; j < params.n; j += WG) {
    let v = x[base + j] - mx;
    if (params.mode == 0u) { out[base + j] = exp_f(v) / total; } else { out[base + j] = v - log_f(total); }
  }
}
`;
