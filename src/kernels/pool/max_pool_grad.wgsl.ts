import { wgsl } from '../webgpu/program.js';

/**
 * maxPool gradient, NHWC: one thread per input element; for every window
 * covering it, recomputes the window's first maximum (as the CPU kernel
 * does) and takes that window's dy when it is this element. Window taps skip padding: max ignores them, avg divides by the number of
 * in-bounds taps (TensorFlow's rule). Pool windows have no dilation (dh, dw unused).
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@group(0) @binding(3) var<uniform> params: Params;

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
      // The window (oh, ow): find its first maximum.
      var best = 0.0;
      var at = 0xffffffffu;
      for (var wy = 0u; wy < params.fh; wy++) {
        let yh = i32(oh * params.sh + wy) - i32(params.pad_top);
        if (yh < 0 || yh >= i32(params.in_h)) { continue; }
        for (var wx = 0u; wx < params.fw; wx++) {
          let yw = i32(ow * params.sw + wx) - i32(params.pad_left);
          if (yw < 0 || yw >= i32(params.in_w)) { continue; }
          let p = (n * params.in_h + u32(yh)) * params.in_w + u32(yw);
          let e = x[p * params.in_c + c];
          if (at == 0xffffffffu || e > best) { best = e; at = p; }
        }
      }
      if (at == (n * params.in_h + ih) * params.in_w + iw) {
        acc += dy[((n * params.out_h + oh) * params.out_w + ow) * params.in_c + c];
      }
    }
  }
  out[idx] = acc;
}
`;
