import { wgsl } from '../webgpu/program.js';

/**
 * Parts of the binary table ops' shaders (broadcasting, rank <= 8), composed
 * by `elementwise/webgpu.ts` (`binaryShader`) by concatenation:
 * `alias T = <input type>; alias U = <output type>;`, `library`, the op's
 * `fn op(a: T, b: T) -> U` made from its table row's WGSL expression, then
 * `main` (one element per thread, broadcast through strides; composed with
 * webgpu/element.wgsl.ts's `outCoords` and `perElement`) or `main4` (four
 * as one vec4, for operands that are the whole output or repeat along it).
 * Nothing here is edited as text.
 */

/** The float helpers the table's expressions call. */
export const library = wgsl`
fn floor_div_i(p: i32, q: i32) -> i32 {
  if (q == 0) { return 0; }
  let r = p / q;
  if ((p % q != 0) && ((p < 0) != (q < 0))) { return r - 1; }
  return r;
}

// Special values, made explicit (see unary.wgsl.ts): WGSL lets implementations
// assume finite floats, so NaN/±Inf are tested on the bits and built from bits
// held in private variables (a const-expression may not be NaN or Inf).
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan_f() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_f() -> f32 { return bitcast<f32>(INF_BITS); }
fn is_nan_f(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf_f(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) == 0x7f800000u; }
// Neither operand is NaN: comparisons are false with a NaN (!= is true).
fn ordered(p: f32, q: f32) -> bool { return !(is_nan_f(p) || is_nan_f(q)); }
// An i32 ordered as the (non-NaN) float: GPUs may flush subnormals to 0 in float
// comparisons (1e-40 > 0 false), the bits keep them; -0 and +0 both map to 0.
fn key_f(v: f32) -> i32 {
  let b = bitcast<i32>(v);
  return select(b, -(b & 0x7fffffff), b < 0);
}
fn eq_f(p: f32, q: f32) -> bool { return ordered(p, q) && key_f(p) == key_f(q); }
fn lt_f(p: f32, q: f32) -> bool { return ordered(p, q) && key_f(p) < key_f(q); }
fn le_f(p: f32, q: f32) -> bool { return ordered(p, q) && key_f(p) <= key_f(q); }

// NaN if either is NaN, as tf.maximum / tf.minimum.
fn max_f(p: f32, q: f32) -> f32 {
  if (!ordered(p, q)) { return nan_f(); }
  return select(q, p, lt_f(q, p));
}
fn min_f(p: f32, q: f32) -> f32 {
  if (!ordered(p, q)) { return nan_f(); }
  return select(q, p, lt_f(p, q));
}

// q is an odd integer (every float32 of magnitude >= 2^24 is even).
fn is_odd_int(q: f32) -> bool { return abs(q) < 16777216.0 && fract(q * 0.5) == 0.5; }

// p^q with JavaScript's Math.pow special cases: p^±0 = 1 (even for NaN p); NaN if
// either is NaN, for a finite p < 0 and non-integer q, and for |p| = 1 with q = ±Inf;
// otherwise |p|^q (0 or +Inf at the ends), negated for p < 0 (or -0, -Inf) and odd q.
fn pow_f(p: f32, q: f32) -> f32 {
  if ((bitcast<u32>(q) & 0x7fffffffu) == 0u) { return 1.0; }
  if (!ordered(p, q)) { return nan_f(); }
  let ap = abs(p);
  if (is_inf_f(q)) {
    if (ap == 1.0) { return nan_f(); }
    return select(0.0, inf_f(), (ap > 1.0) == (q > 0.0));
  }
  let pb = bitcast<u32>(p);
  let neg = pb >= 0x80000000u;
  // A subnormal q is not an integer either (its fract may be flushed to 0).
  let q_int = fract(q) == 0.0 && !((bitcast<u32>(q) & 0x7fffffffu) < 0x00800000u);
  if (neg && !q_int && !is_inf_f(p) && (pb & 0x7fffffffu) != 0u) { return nan_f(); }
  let q_neg = bitcast<u32>(q) >= 0x80000000u;
  var r: f32;
  if ((pb & 0x7fffffffu) == 0u) {
    r = select(0.0, inf_f(), q_neg);
  } else if (is_inf_f(p)) {
    r = select(inf_f(), 0.0, q_neg);
  } else {
    // log2 |p|, from the bits for a subnormal m·2^-149 (GPUs may flush it to 0).
    let m = pb & 0x7fffffffu;
    let l = select(log2(ap), log2(f32(m)) - 149.0, m < 0x00800000u);
    let t = q * l;
    if (t >= 128.0) {
      r = inf_f();
    } else if (t < -150.0) {
      r = 0.0;
    } else if (m < 0x00800000u) {
      r = exp2(t);
    } else {
      r = pow(ap, q);
    }
  }
  return select(r, -r, neg && is_odd_int(q));
}
`;

/** One element per thread: each operand's index from the output's coordinates and its broadcast strides. */
export const main = wgsl`
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

// Output element i (threads and bounds: perElement; pop_coord: outCoords, both of webgpu/element.wgsl.ts).
fn element(i: u32) {
  var rem = i;
  var ai = 0u;
  var bi = 0u;
  for (var d = i32(params.rank) - 1; d >= 0; d--) {
    let du = u32(d);
    let c = pop_coord(&rem, du);
    ai += c * params.a_strides[du / 4u][du % 4u];
    bi += c * params.b_strides[du / 4u][du % 4u];
  }
  out[i] = op(a[ai], b[bi]);
}
`;

/** Four consecutive elements per thread as one vec4; each operand repeats every a_len / b_len vec4s. */
export const main4 = wgsl`
// a_len, b_len: each operand's length in vec4s; it repeats along the output (a_len = size / 4 when it is the whole output).
override wg: u32 = 64u;

struct Params {
  size: u32,
  a_len: u32,
  b_len: u32,
}

@group(0) @binding(0) var<storage, read> a: array<vec4<T>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<T>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<U>>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size / 4u) { return; }
  let va = a[i % params.a_len];
  let vb = b[i % params.b_len];
  out[i] = vec4<U>(op(va.x, vb.x), op(va.y, vb.y), op(va.z, vb.z), op(va.w, vb.w));
}
`;
