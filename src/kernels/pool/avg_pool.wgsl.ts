import { wgsl } from '../webgpu/program.js';

/**
 * avgPool forward, NHWC: one thread per output element. Window taps skip padding: max ignores them, avg divides by the number of
 * in-bounds taps (TensorFlow's rule). Pool windows have no dilation (dh, dw unused).
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
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@group(0) @binding(2) var<uniform> params: Params;

// WGSL rejects a non-finite constant, so the NaN's bits sit in a private variable.
var<private> NAN_BITS: u32 = 0x7fc00000u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * (nwg.x * 64u);
  if (idx >= params.size) { return; }
  let c = idx % params.in_c;
  let ow = (idx / params.in_c) % params.out_w;
  let oh = (idx / (params.in_c * params.out_w)) % params.out_h;
  let n = idx / (params.in_c * params.out_w * params.out_h);
  var total = 0.0;
  var count = 0u;
  for (var ky = 0u; ky < params.fh; ky++) {
    let ih = i32(oh * params.sh + ky) - i32(params.pad_top);
    if (ih < 0 || ih >= i32(params.in_h)) { continue; }
    for (var kx = 0u; kx < params.fw; kx++) {
      let iw = i32(ow * params.sw + kx) - i32(params.pad_left);
      if (iw < 0 || iw >= i32(params.in_w)) { continue; }
      total += x[((n * params.in_h + u32(ih)) * params.in_w + u32(iw)) * params.in_c + c];
      count++;
    }
  }
  // A window entirely in explicit padding has no taps: 0/0 = NaN, as on the CPU and in TensorFlow.js.
  out[idx] = select(bitcast<f32>(NAN_BITS), total / f32(max(count, 1u)), count > 0u);
}
`;
