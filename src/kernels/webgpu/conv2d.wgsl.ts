import { wgsl } from './program.js';

/**
 * conv2d forward, NHWC, as an implicit GEMM without an im2col buffer: each thread
 * computes one output pixel for four consecutive output channels (a 1×4
 * register block), walking the filter taps; padded taps are skipped.
 * `size` counts threads: pixels × ceil(out_c / 4).
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

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> filt: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * (nwg.x * 64u);
  if (idx >= params.size) { return; }
  let groups = (params.out_c + 3u) / 4u;
  let co0 = (idx % groups) * 4u;
  let pix = idx / groups;
  let ow = pix % params.out_w;
  let oh = (pix / params.out_w) % params.out_h;
  let n = pix / (params.out_w * params.out_h);
  var acc = vec4<f32>();
  for (var ky = 0u; ky < params.fh; ky++) {
    let ih = i32(oh * params.sh + ky * params.dh) - i32(params.pad_top);
    if (ih < 0 || ih >= i32(params.in_h)) { continue; }
    for (var kx = 0u; kx < params.fw; kx++) {
      let iw = i32(ow * params.sw + kx * params.dw) - i32(params.pad_left);
      if (iw < 0 || iw >= i32(params.in_w)) { continue; }
      let xb = ((n * params.in_h + u32(ih)) * params.in_w + u32(iw)) * params.in_c;
      let fb = (ky * params.fw + kx) * params.in_c;
      for (var ci = 0u; ci < params.in_c; ci++) {
        let xv = x[xb + ci];
        let f0 = (fb + ci) * params.out_c + co0;
        var fv = vec4<f32>();
        for (var j = 0u; j < 4u; j++) {
          if (co0 + j < params.out_c) { fv[j] = filt[f0 + j]; }
        }
        acc += xv * fv;
      }
    }
  }
  let ob = pix * params.out_c + co0;
  for (var j = 0u; j < 4u; j++) {
    if (co0 + j < params.out_c) { out[ob + j] = acc[j]; }
  }
}
`;
