import { wgsl } from './program.js';

/**
 * conv2d gradient with respect to x, NHWC: one thread per input element
 * gathers dy·filter over the output pixels whose window covers it (no atomics,
 * deterministic). `size` = batch·in_h·in_w·in_c.
 * The filter binding is `filt`: `filter` is a WGSL reserved word.
 */
export const source = wgsl`
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

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> filt: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * (nwg.x * 64u);
  if (idx >= params.size) { return; }
  let ci = idx % params.in_c;
  let iw = (idx / params.in_c) % params.in_w;
  let ih = (idx / (params.in_c * params.in_w)) % params.in_h;
  let n = idx / (params.in_c * params.in_w * params.in_h);
  var acc = 0.0;
  for (var ky = 0u; ky < params.fh; ky++) {
    let th = i32(ih + params.pad_top) - i32(ky * params.dh);
    if (th < 0 || th % i32(params.sh) != 0) { continue; }
    let oh = u32(th) / params.sh;
    if (oh >= params.out_h) { continue; }
    for (var kx = 0u; kx < params.fw; kx++) {
      let tw = i32(iw + params.pad_left) - i32(kx * params.dw);
      if (tw < 0 || tw % i32(params.sw) != 0) { continue; }
      let ow = u32(tw) / params.sw;
      if (ow >= params.out_w) { continue; }
      let db = ((n * params.out_h + oh) * params.out_w + ow) * params.out_c;
      let fb = ((ky * params.fw + kx) * params.in_c + ci) * params.out_c;
      for (var co = 0u; co < params.out_c; co++) { acc += dy[db + co] * filt[fb + co]; }
    }
  }
  out[idx] = acc;
}
`;
