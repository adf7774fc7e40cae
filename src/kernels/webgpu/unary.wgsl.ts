import { wgsl } from './program.js';

/**
 * Template for the unary table ops. `elementwise.ts` makes one shader per
 * (op, element type) at module load by replacing the `alias T` line and the
 * `/*EXPR*\/x` body of `op` with the table row's WGSL (sources take no `${}`
 * interpolation; this template is itself a valid identity shader).
 */
export const source = wgsl`
alias T = f32;

struct Params {
  size: u32,
  alpha: f32,
  beta: f32,
}

@group(0) @binding(0) var<storage, read> x: array<T>;
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<uniform> params: Params;

override wg: u32 = 64u;

// Special values, made explicit: WGSL lets implementations assume floats are
// finite (spec "Floating Point Evaluation"), and SwiftShader's builtins do
// (log(0) = -88.03, log(-4) = 1.386, exp(NaN) = +Inf, max(NaN, 1) = 1,
// and x != x folds to false). NaN and ±Inf are therefore detected from the bit
// pattern and produced from bits held in private variables (a const-expression
// may not be NaN or Inf). Float ops take NaN to NaN, as on the CPU.
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan_f() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_f() -> f32 { return bitcast<f32>(INF_BITS); }
fn is_nan_f(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf_f(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) == 0x7f800000u; }
// y, or x where x is NaN.
fn keep_nan(v: f32, y: f32) -> f32 { return select(y, v, is_nan_f(v)); }

// e^v: +Inf above ln(FLT_MAX) (88.7228317 is the largest float32 with a finite e^v).
fn exp_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  if (v > 88.72283172607422) { return inf_f(); }
  if (v < -104.0) { return 0.0; }
  return exp(v);
}

fn expm1_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  if (abs(v) < 1e-5) { return v + 0.5 * v * v; }
  return exp_f(v) - 1.0;
}

// ln v: NaN below 0, -Inf at ±0, +Inf at +Inf. GPUs may flush subnormals to 0: a
// subnormal's value is m·2^-149 with m its bits, so ln v = ln m - 149 ln 2.
fn log_f(v: f32) -> f32 {
  let b = bitcast<u32>(v);
  if ((b & 0x7fffffffu) == 0u) { return -inf_f(); }
  if (b > 0x7f800000u) { return nan_f(); }
  if (b == 0x7f800000u) { return v; }
  if (b < 0x00800000u) { return log(f32(b)) - 103.27892990343184; }
  return log(v);
}

// ln(1 + v), accurate near 0: NaN below -1, -Inf at -1, +Inf at +Inf.
fn log1p_f(v: f32) -> f32 {
  if (is_nan_f(v) || v < -1.0) { return nan_f(); }
  if (v == -1.0) { return -inf_f(); }
  if (v > 1e6) { return log_f(v); }
  let u = 1.0 + v;
  if (u == 1.0) { return v; }
  return log(u) * v / (u - 1.0);
}

// √v: NaN below 0 (-0 stays -0), +Inf at +Inf; subnormals as √m · 2^-74.5.
fn sqrt_f(v: f32) -> f32 {
  let b = bitcast<u32>(v);
  if (b > 0x80000000u || is_nan_f(v)) { return nan_f(); }
  if ((b & 0x7fffffffu) == 0u || b == 0x7f800000u) { return v; }
  if (b < 0x00800000u) { return sqrt(f32(b)) * 3.7433921e-23; }
  return sqrt(v);
}

// 1/√v: NaN below 0, +Inf at +0, -Inf at -0 (1/-0), 0 at +Inf; subnormals as 2^74.5 / √m.
fn rsqrt_f(v: f32) -> f32 {
  let b = bitcast<u32>(v);
  if (b == 0u) { return inf_f(); }
  if (b == 0x80000000u) { return -inf_f(); }
  if (b > 0x80000000u || is_nan_f(v)) { return nan_f(); }
  if (b == 0x7f800000u) { return 0.0; }
  if (b < 0x00800000u) { return inverseSqrt(f32(b)) * 2.6713739e22; }
  return inverseSqrt(v);
}

// 1/v: ±Inf at ±0, ±0 at ±Inf. A subnormal m·2^-149 gives 2^149/m, built by adding
// 149 to the exponent of 1/m (±Inf below 2^-128, where 2^149/m overflows).
fn recip_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  let b = bitcast<u32>(v);
  let sign = b & 0x80000000u;
  let m = b & 0x7fffffffu;
  if (m < 0x00200000u) { return bitcast<f32>(sign | INF_BITS); }
  if (m < 0x00800000u) { return bitcast<f32>(sign | (bitcast<u32>(1.0 / f32(m)) + (149u << 23u))); }
  return 1.0 / v;
}

// GPUs may flush subnormals to 0, in comparisons too: the sign tests read the bits.
// v > 0 (subnormals, +Inf included; NaN excluded).
fn is_pos_f(v: f32) -> bool {
  let b = bitcast<u32>(v);
  return b != 0u && b <= 0x7f800000u;
}
// Math.sign: ±1 by the sign bit, ±0 and NaN kept.
fn sign_f(v: f32) -> f32 {
  let b = bitcast<u32>(v);
  if ((b & 0x7fffffffu) == 0u || is_nan_f(v)) { return v; }
  return select(1.0, -1.0, b >= 0x80000000u);
}
// floor and ceil of a subnormal are -1 or 0 and 0 or 1 by its sign, not those of 0.
fn floor_f(v: f32) -> f32 {
  let b = bitcast<u32>(v);
  if (b > 0x80000000u && b < 0x80800000u) { return -1.0; }
  return floor(v);
}
fn ceil_f(v: f32) -> f32 {
  let b = bitcast<u32>(v);
  if (b != 0u && b < 0x00800000u) { return 1.0; }
  return ceil(v);
}

// sin/cos: NaN at NaN and ±Inf (WGSL bounds their error only on [-π, π]).
fn sin_f(v: f32) -> f32 {
  if (is_nan_f(v) || is_inf_f(v)) { return nan_f(); }
  return sin(v);
}
fn cos_f(v: f32) -> f32 {
  if (is_nan_f(v) || is_inf_f(v)) { return nan_f(); }
  return cos(v);
}

fn sigmoid_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  return 1.0 / (1.0 + exp_f(-v));
}

// tanh v = ±1 in float32 beyond |v| = 9.02 (1 - tanh v < 2^-25); the builtin overflows (NaN) past 88.
fn tanh_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  if (abs(v) > 10.0) { return select(1.0, -1.0, v < 0.0); }
  return tanh(v);
}

// log(1 + e^v) without overflow.
fn softplus_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  if (v > 0.0) { return v + log1p_f(exp_f(-v)); }
  return log1p_f(exp_f(v));
}

fn op(x: T, alpha: T, beta: T) -> T {
  return /*EXPR*/x;
}

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size) { return; }
  out[i] = op(x[i], T(params.alpha), T(params.beta));
}
`;
