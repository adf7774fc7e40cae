import { wgsl } from './program.js';

/**
 * conv2d gradient with respect to the filter, NHWC: one thread per filter
 * element [ky, kx, ci, co] sums x·dy over every image and output pixel.
 * `size` = fh·fw·in_c·out_c.
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
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * (nwg.x * 64u);
  if (idx >= params.size) { return; }
  let co = idx % params.out_c;
  let ci = (idx / params.out_c) % params.in_c;
  let kx = (idx / (params.out_c * params.in_c)) % params.fw;
  let ky = idx / (params.out_c * params.in_c * params.fw);
  var acc = 0.0;
  for (var n = 0u; n < params.batch; n++) {
    for (var oh = 0u; oh < params.out_h; oh++) {
      let ih = i32(oh * params.sh + ky * params.dh) - i32(params.pad_top);
      if (ih < 0 || ih >= i32(params.in_h)) { continue; }
      for (var ow = 0u; ow < params.out_w; ow++) {
        let iw = i32(ow * params.sw + kx * params.dw) - i32(params.pad_left);
        if (iw < 0 || iw >= i32(params.in_w)) { continue; }
        let xv = x[((n * params.in_h + u32(ih)) * params.in_w + u32(iw)) * params.in_c + ci];
        acc += xv * dy[((n * params.out_h + oh) * params.out_w + ow) * params.out_c + co];
      }
    }
  }
  out[idx] = acc;
}
`;
