import { wgsl } from '../webgpu/program.js';

/**
 * Parts of the unary table ops' shaders, composed by `elementwise/webgpu.ts`
 * (`unaryShader`) by concatenation: `alias T = <f32|i32>;`, `params`,
 * `library`, the op's `fn op(x: T, alpha: T, beta: T) -> T` made from its
 * table row's WGSL expression, then `main` (one element per thread, with
 * webgpu/element.wgsl.ts's `perElement`) or `main4` (four, as one vec4). Nothing here is edited as text.
 */

/** The params uniform, shared by both mains. */
export const params = wgsl`
struct Params {
  size: u32,
  alpha: f32,
  beta: f32,
}
`;

/** Float helpers the table's expressions call (special values, exp/log/sin/cos, …). */
export const library = wgsl`
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

// 2^n for n in [-126, 127], from the bits.
fn pow2_i(n: i32) -> f32 { return bitcast<f32>(u32(n + 127) << 23u); }

// e^v: +Inf above ln(FLT_MAX) (88.7228317 is the largest float32 with a finite
// e^v), 0 below -104. Not the builtin (SwiftShader's is 4e-6 off near 86): Cephes'
// expf, e^v = 2^n·e^r with r = v - n·ln 2 (ln 2 split in two) and a degree-7
// polynomial for e^r; 2^n as two factors, both normal.
fn exp_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  if (v > 88.72283172607422) { return inf_f(); }
  if (v < -104.0) { return 0.0; }
  let n = floor(v * 1.442695 + 0.5);
  let r = v - n * 0.693359375 - n * -2.12194440e-4;
  let p = (((((1.9875691500e-4 * r + 1.3981999507e-3) * r + 8.3334519073e-3) * r + 4.1665795894e-2) * r + 1.6666665459e-1) * r + 5.0000001201e-1) * r * r + r + 1.0;
  let ni = i32(n);
  let n1 = ni / 2;
  return p * pow2_i(n1) * pow2_i(ni - n1);
}

// e^v - 1, to float32 precision near 0: a degree-9 Taylor polynomial for
// |v| <= 0.35 (truncation < 1e-10), e^v - 1 beyond (no cancellation there).
fn expm1_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  if (abs(v) > 0.35) { return exp_f(v) - 1.0; }
  return v * (1.0 + v * (0.5 + v * (1.6666667e-1 + v * (4.1666668e-2 + v * (8.333334e-3
    + v * (1.3888889e-3 + v * (1.984127e-4 + v * (2.4801588e-5 + v * 2.7557319e-6))))))));
}

// 2·atanh(s) = ln((1 + s)/(1 - s)) for |s| <= 0.1716 (series to s^11: error < 1e-10).
fn log_ratio(s: f32) -> f32 {
  let z = s * s;
  return 2.0 * s * (1.0 + z * (0.33333334 + z * (0.2 + z * (0.14285715 + z * (0.11111111 + z * 0.09090909)))));
}

// ln v for a normal v > 0, not the builtin (SwiftShader's ln(0.9999995) is 13% off):
// v = 2^e·m with m in [√½, √2), ln v = e·ln 2 + 2·atanh((m - 1)/(m + 1)); m - 1 is exact.
fn log_normal(v: f32) -> f32 {
  let b = bitcast<u32>(v);
  var e = i32(b >> 23u) - 127;
  var m = bitcast<f32>((b & 0x007fffffu) | 0x3f800000u);
  if (m > 1.4142135) {
    m = m * 0.5;
    e = e + 1;
  }
  let fe = f32(e);
  return fe * 0.693145751953125 + (fe * 1.4286068202862268e-6 + log_ratio((m - 1.0) / (m + 1.0)));
}

// ln v: NaN below 0, -Inf at ±0, +Inf at +Inf. GPUs may flush subnormals to 0: a
// subnormal's value is m·2^-149 with m its bits, so ln v = ln m - 149 ln 2.
fn log_f(v: f32) -> f32 {
  let b = bitcast<u32>(v);
  if ((b & 0x7fffffffu) == 0u) { return -inf_f(); }
  if (b > 0x7f800000u) { return nan_f(); }
  if (b == 0x7f800000u) { return v; }
  if (b < 0x00800000u) { return log_normal(f32(b)) - 103.27892990343184; }
  return log_normal(v);
}

// ln(1 + v), accurate near 0: 2·atanh(v/(2 + v)) while 1 + v is in [√½, √2),
// ln(1 + v) beyond; NaN below -1, -Inf at -1, +Inf at +Inf.
fn log1p_f(v: f32) -> f32 {
  if (is_nan_f(v) || v < -1.0) { return nan_f(); }
  if (v == -1.0) { return -inf_f(); }
  if (v > -0.29289323 && v < 0.41421354) { return log_ratio(v / (2.0 + v)); }
  return log_f(1.0 + v);
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
// (SwiftShader's sin(1e30) is 1), so |v| > π/4 is first reduced exactly
// (Payne–Hanek): v = (4n + q)·π/2 + r with |r| <= π/4. v = m·2^k (m the 24-bit
// significand) times 2/π: the bits of 2/π before position k - 1 add multiples
// of 4 and drop out, so a 96-bit window of them from there on, times m, holds q
// (2 bits) and r's fraction of π/2 (64 bits), to 2^-70: enough for the float32
// closest to a multiple of π/2. NaN at NaN and ±Inf.
var<private> TWO_OVER_PI: array<u32, 7> = array<u32, 7>(
  0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u, 0x3c439041u, 0xfe5163abu);

// 32 bits of 2/π from bit i on (bit 1 is worth 1/2).
fn two_over_pi_bits(i: u32) -> u32 {
  let w = (i - 1u) / 32u;
  let o = (i - 1u) % 32u;
  if (o == 0u) { return TWO_OVER_PI[w]; }
  return (TWO_OVER_PI[w] << o) | (TWO_OVER_PI[w + 1u] >> (32u - o));
}

// The product m·window, in 16-bit limbs (u32 has no 64-bit product).
var<private> prod_limbs: array<u32, 10>;

// Bits [pos, pos + 32) of prod_limbs.
fn prod_bits(pos: u32) -> u32 {
  let l = pos / 16u;
  let off = pos % 16u;
  let low = prod_limbs[l] | (prod_limbs[l + 1u] << 16u);
  if (off == 0u) { return low; }
  return (low >> off) | (prod_limbs[l + 2u] << (32u - off));
}

// (r, q) for finite |v| > π/4: |v| = (4n + q)·π/2 + r, |r| <= π/4.
fn reduce_half_pi(v: f32) -> vec2<f32> {
  let b = bitcast<u32>(v) & 0x7fffffffu;
  let m = (b & 0x007fffffu) | 0x00800000u;
  let k = i32(b >> 23u) - 150;
  let i0 = u32(max(1, k - 1));
  // |v|·2/π = m·window·2^-s (mod 4), s = i0 + 95 - k in [94, 120].
  let s = u32(i32(i0) + 95 - k);
  var ml = array<u32, 2>(m & 0xffffu, m >> 16u);
  var wl: array<u32, 6>;
  for (var j = 0u; j < 3u; j++) {
    let w = two_over_pi_bits(i0 + 64u - 32u * j);
    wl[2u * j] = w & 0xffffu;
    wl[2u * j + 1u] = w >> 16u;
  }
  for (var c = 0u; c < 10u; c++) { prod_limbs[c] = 0u; }
  for (var i = 0u; i < 2u; i++) {
    for (var j = 0u; j < 6u; j++) {
      let p = ml[i] * wl[j];
      prod_limbs[i + j] += p & 0xffffu;
      prod_limbs[i + j + 1u] += p >> 16u;
    }
  }
  for (var c = 0u; c < 9u; c++) {
    prod_limbs[c + 1u] += prod_limbs[c] >> 16u;
    prod_limbs[c] = prod_limbs[c] & 0xffffu;
  }
  var q = prod_bits(s) & 3u;
  var hi = prod_bits(s - 32u);
  var lo = prod_bits(s - 64u);
  // A fraction >= 1/2 is the next quadrant minus (1 - fraction): negate the 64 bits.
  let past_half = hi >= 0x80000000u;
  if (past_half) {
    lo = ~lo + 1u;
    hi = ~hi + select(0u, 1u, lo == 0u);
    q = (q + 1u) & 3u;
  }
  let f = f32(hi) * 2.3283064365386963e-10 + f32(lo) * 5.421010862427522e-20;
  return vec2<f32>(select(f, -f, past_half) * 1.5707963267948966, f32(q));
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

// tanh: Cephes' tanhf polynomial for |v| < 0.625 (SwiftShader's builtin is 28%
// off at 2e-7), 1 - 2/(e^2|v| + 1) beyond, ±1 past |v| = 10 (tanh v rounds to ±1
// in float32 beyond 9.02; e^2|v| would overflow past 44).
fn tanh_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  let a = abs(v);
  var t: f32;
  if (a > 10.0) {
    t = 1.0;
  } else if (a >= 0.625) {
    t = 1.0 - 2.0 / (exp_f(2.0 * a) + 1.0);
  } else {
    let z = v * v;
    return ((((-5.70498872745e-3 * z + 2.06390887954e-2) * z - 5.37397155531e-2) * z + 1.33314422036e-1) * z - 3.33332819422e-1) * z * v + v;
  }
  return select(t, -t, v < 0.0);
}

// log(1 + e^v) without overflow.
fn softplus_f(v: f32) -> f32 {
  if (is_nan_f(v)) { return v; }
  if (v > 0.0) { return v + log1p_f(exp_f(-v)); }
  return log1p_f(exp_f(v));
}
`;

/** One element per thread (threads and bounds: `perElement` of webgpu/element.wgsl.ts follows it). */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> x: array<T>;
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<uniform> params: Params;

fn element(i: u32) {
  out[i] = op(x[i], T(params.alpha), T(params.beta));
}
`;

/** Four consecutive elements per thread, loaded and stored as one vec4 (size a multiple of 4). */
export const main4 = wgsl`
override wg: u32 = 64u;

@group(0) @binding(0) var<storage, read> x: array<vec4<T>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<T>>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size / 4u) { return; }
  let v = x[i];
  let al = T(params.alpha);
  let be = T(params.beta);
  out[i] = vec4<T>(op(v.x, al, be), op(v.y, al, be), op(v.z, al, be), op(v.w, al, be));
}
`;
