import { wgsl } from '../webgpu/program.js';

/**
 * Parts shared by the pool shaders, composed by `pool/webgpu.ts` by
 * concatenation: the channel aliases (`lanes1` or `lanes4`) and the window
 * `Params` (the conv ops' window geometry, filled by `windowParams`). Each
 * pool file adds its bindings and main.
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
