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

// sin/cos: WGSL bounds the builtins' error only on [-π, π] and only to 2^-11
// (SwiftShader's sin(1e30) is 1), so |v| > π/4 is first reduced exactly (Payne–Hanek):
// v = (4n + q)·π/2 + r with |r| <= π/4. v = m·2^k (m the 24-bit significand)
// times 2/π: bits of 2/π before position k - 1 add multiples of 4 and drop
// out, so a 64-bit window of them from there on, times m, holds q (2 bits)
// and r's fraction of π/2, to 2^-38. NaN at NaN and ±Inf.
var<private> TWO_OVER_PI: array<u32, 7> = array<u32, 7>(
  0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u, 0x3c439041u, 0xfe5163abu);

// 32 bits of 2/π from bit i on (bit 1 is worth 1/2).
fn two_over_pi_bits(i: u32) -> u32 {
  let w = (i - 1u) / 32u;
  let o = (i - 1u) % 32u;
  if (o == 0u) { return TWO_OVER_PI[w]; }
  return (TWO_OVER_PI[w] << o) | (TWO_OVER_PI[w + 1u] >> (32u - o));
}

// (r, q) for finite |v| > π/4: |v| = (4n + q)·π/2 + r, |r| <= π/4.
fn reduce_half_pi(v: f32) -> vec2<f32> {
  let b = bitcast<u32>(v) & 0x7fffffffu;
  let m = (b & 0x007fffffu) | 0x00800000u;
  let k = i32(b >> 23u) - 150;
  let i0 = u32(max(1, k - 1));
  // |v|·2/π = m·window·2^-s, s = i0 + 63 - k in [62, 88].
  let s = u32(i32(i0) + 63 - k);
  let hi = two_over_pi_bits(i0);
  let lo = two_over_pi_bits(i0 + 32u);
  // m·window in 16-bit limbs (u32 has no 64-bit product).
  var ml = array<u32, 2>(m & 0xffffu, m >> 16u);
  var wl = array<u32, 4>(lo & 0xffffu, lo >> 16u, hi & 0xffffu, hi >> 16u);
  var acc = array<u32, 8>(0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u);
  for (var i = 0u; i < 2u; i++) {
    for (var j = 0u; j < 4u; j++) {
      let p = ml[i] * wl[j];
      acc[i + j] += p & 0xffffu;
      acc[i + j + 1u] += p >> 16u;
    }
  }
  for (var c = 0u; c < 7u; c++) {
    acc[c + 1u] += acc[c] >> 16u;
    acc[c] = acc[c] & 0xffffu;
  }
  // 32 bits of the product from bit s - 32 (the fraction) and 2 from bit s (q).
  var f_bits = 0u;
  var q = 0u;
  for (var t = 0u; t < 2u; t++) {
    let pos = select(s, s - 32u, t == 0u);
    let l = pos / 16u;
    let off = pos % 16u;
    let low = acc[l] | (acc[l + 1u] << 16u);
    let high = select(0u, acc[min(l + 2u, 7u)], l + 2u <= 7u);
    let bits = select((low >> off) | (high << (32u - off)), low, off == 0u);
    if (t == 0u) { f_bits = bits; } else { q = bits & 3u; }
  }
  var f = f32(f_bits >> 8u) * 5.9604644775390625e-8;
  if (f >= 0.5) {
    f = f - 1.0;
    q = (q + 1u) & 3u;
  }
  return vec2<f32>(f * 1.5707963267948966, f32(q));
}

// sin and cos on [-π/4, π/4] by Cephes' sinf/cosf polynomials (error < 3e-9
// before float32 rounding): SwiftShader's builtins are off by up to 2e-4 there.
fn sin_poly(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
}
fn cos_poly(r: f32) -> f32 {
  let z = r * r;
  return 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
}

fn sin_f(v: f32) -> f32 {
  if (is_nan_f(v) || is_inf_f(v)) { return nan_f(); }
  if (abs(v) <= 0.7853981) { return sin_poly(v); }
  let rq = reduce_half_pi(v);
  let q = u32(rq.y);
  var y = select(sin_poly(rq.x), cos_poly(rq.x), (q & 1u) == 1u);
  if (q >= 2u) { y = -y; }
  return select(y, -y, bitcast<u32>(v) >= 0x80000000u);
}
fn cos_f(v: f32) -> f32 {
  if (is_nan_f(v) || is_inf_f(v)) { return nan_f(); }
  if (abs(v) <= 0.7853981) { return cos_poly(v); }
  let rq = reduce_half_pi(v);
  let q = u32(rq.y);
  let y = select(cos_poly(rq.x), sin_poly(rq.x), (q & 1u) == 1u);
  return select(y, -y, q == 1u || q == 2u);
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
