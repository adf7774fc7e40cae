import { wgsl } from '../webgpu/program.js';

/**
 * avgPool gradient, NHWC: one thread per input element gathers dy/count over
 * the windows covering it. Window taps skip padding: max ignores them, avg divides by the number of
 * in-bounds taps (TensorFlow's rule). Pool windows have no dilation (dh, dw unused).
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * (nwg.x * 64u);
  if (idx >= params.size) { return; }
  let c = idx % params.in_c;
  let iw = (idx / params.in_c) % params.in_w;
  let ih = (idx / (params.in_c * params.in_w)) % params.in_h;
  let n = idx / (params.in_c * params.in_w * params.in_h);
  var acc = 0.0;
  for (var ky = 0u; ky < params.fh; ky++) {
    let th = i32(ih + params.pad_top) - i32(ky);
    if (th < 0 || th % i32(params.sh) != 0) { continue; }
    let oh = u32(th) / params.sh;
    if (oh >= params.out_h) { continue; }
    for (var kx = 0u; kx < params.fw; kx++) {
      let tw = i32(iw + params.pad_left) - i32(kx);
      if (tw < 0 || tw % i32(params.sw) != 0) { continue; }
      let ow = u32(tw) / params.sw;
      if (ow >= params.out_w) { continue; }
      // In-bounds taps of window (oh, ow).
      let h0 = max(i32(oh * params.sh) - i32(params.pad_top), 0);
      let h1 = min(i32(oh * params.sh + params.fh) - i32(params.pad_top), i32(params.in_h));
      let w0 = max(i32(ow * params.sw) - i32(params.pad_left), 0);
      let w1 = min(i32(ow * params.sw + params.fw) - i32(params.pad_left), i32(params.in_w));
      let count = f32((h1 - h0) * (w1 - w0));
      acc += dy[((n * params.out_h + oh) * params.out_w + ow) * params.in_c + c] / count;
    }
  }
  out[idx] = acc;
}
`;
