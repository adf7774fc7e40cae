import { wgsl } from '../webgpu/program.js';

/**
 * Parts shared by the pool shaders, composed by `pool/webgpu.ts` by
 * concatenation: the channel aliases (`lanes1` or `lanes4`), the window
 * `Params` (the conv ops' window geometry, filled by `windowParams`), the
 * window walk (`walk`: an output element's position and its window's
 * in-bounds taps), `firstMax` (the max-pool gradients' choice of a window's
 * maximum) and `gatherGrad` (the element(idx) of the gradients that run one
 * thread per dx element). Each pool file adds its bindings and element(idx)
 * (or, for `gatherGrad`, its `window_grad`); the shared `perElement`
 * (`webgpu/element.wgsl.ts`) is the main. Window taps skip padding: max ignores
 * them, avg divides by the number of in-bounds taps (TensorFlow's rule).
 * Pool windows have no dilation (dh, dw unused).
 */

/** One channel per thread: the scalar shaders' channel aliases. */
export const lanes1 = wgsl`
// One channel per thread.
alias V = f32;
alias VI = i32;
alias VU = u32;
alias VB = bool;
`;

/** Four channels per thread (channels a multiple of 4, params counting vec4s): the _vec4 shaders' channel aliases. */
export const lanes4 = wgsl`
// Four channels per thread (channels a multiple of 4; in_c and out_c count vec4s).
alias V = vec4<f32>;
alias VI = vec4<i32>;
alias VU = vec4<u32>;
alias VB = vec4<bool>;
`;

/** The window geometry every pool shader reads (the same members as the conv ops' window `Params`). */
export const params = wgsl`
struct Params {
  size: u32,
  batch: u32,
  in_h: u32,
  in_w: u32,
  in_c: u32,
  out_h: u32,
  out_w: u32,
  out_c: u32,
  fh: u32,
  fw: u32,
  sh: u32,
  sw: u32,
  dh: u32,
  dw: u32,
  pad_top: u32,
  pad_left: u32,
}
`;

/** The window walk: out_pos (an output element's n, oh, ow, c), window_taps (its window's in-bounds taps) and x_at (a tap's index in x). */
export const walk = wgsl`
// An output element of [batch, out_h, out_w, in_c] (NHWC).
struct OutPos {
  n: u32,
  oh: u32,
  ow: u32,
  c: u32,
}

// Rows [h0, h1) × columns [w0, w1) of the input.
struct Taps {
  h0: i32,
  h1: i32,
  w0: i32,
  w1: i32,
}

// Output element idx's position.
fn out_pos(idx: u32) -> OutPos {
  let c = idx % params.in_c;
  let ow = (idx / params.in_c) % params.out_w;
  let oh = (idx / (params.in_c * params.out_w)) % params.out_h;
  let n = idx / (params.in_c * params.out_w * params.out_h);
  return OutPos(n, oh, ow, c);
}

// The in-bounds taps of window (oh, ow), bounds found once (no per-tap tests).
fn window_taps(oh: u32, ow: u32) -> Taps {
  let y0 = i32(oh * params.sh) - i32(params.pad_top);
  let x0 = i32(ow * params.sw) - i32(params.pad_left);
  return Taps(max(y0, 0), min(y0 + i32(params.fh), i32(params.in_h)), max(x0, 0), min(x0 + i32(params.fw), i32(params.in_w)));
}

// Index of input element (n, ih, iw, c) (NHWC); the next tap along a row is in_c further.
fn x_at(n: u32, ih: i32, iw: i32, c: u32) -> u32 {
  return ((n * params.in_h + u32(ih)) * params.in_w + u32(iw)) * params.in_c + c;
}
`;

/** first_max: where a window's first maximum is, as the CPU kernel picks it (reads the shader's x binding). */
export const firstMax = wgsl`
// The first maximum of image n's taps t (window_taps) in channel c: in-bounds taps in row-major
// order, a later tap winning only when strictly greater. Returns its ih·in_w + iw, or -1 for a window with no taps.
fn first_max(n: u32, c: u32, t: Taps) -> VI {
  var best = V(0.0);
  var at = VI(-1);
  for (var ih = t.h0; ih < t.h1; ih++) {
    var p = x_at(n, ih, t.w0, c);
    for (var iw = t.w0; iw < t.w1; iw++) {
      let e = x[p];
      let take = (at < VI(0)) | (e > best);
      best = select(best, e, take);
      at = select(at, VI(ih * i32(params.in_w) + iw), take);
      p += params.in_c;
    }
  }
  return at;
}
`;

/**
 * The element(idx) of a gradient run one thread per dx element: it sums,
 * over every window covering the element, the shader's
 * `window_grad(n, oh, ow, c, ih, iw)` (that window's share of the element's
 * gradient) into out.
 */
export const gatherGrad = wgsl`
// The output index o along one axis whose window has tap k at input index i (o·s + k = i + pad), or -1 if none.
fn covering(i: u32, k: u32, s: u32, pad: u32, n_out: u32) -> i32 {
  let t = i32(i + pad) - i32(k);
  if (t < 0 || t % i32(s) != 0) { return -1; }
  let o = u32(t) / s;
  return select(-1, i32(o), o < n_out);
}

// dx element idx (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(idx: u32) {
  let c = idx % params.in_c;
  let iw = (idx / params.in_c) % params.in_w;
  let ih = (idx / (params.in_c * params.in_w)) % params.in_h;
  let n = idx / (params.in_c * params.in_w * params.in_h);
  var acc = 0.0;
  for (var ky = 0u; ky < params.fh; ky++) {
    let oh = covering(ih, ky, params.sh, params.pad_top, params.out_h);
    if (oh < 0) { continue; }
    for (var kx = 0u; kx < params.fw; kx++) {
      let ow = covering(iw, kx, params.sw, params.pad_left, params.out_w);
      if (ow < 0) { continue; }
      acc += window_grad(n, u32(oh), u32(ow), c, ih, iw);
    }
  }
  out[idx] = acc;
}
`;
