import { wgsl } from '../webgpu/program.js';

/**
 * Backward of the fused GRU gates: one thread per (row, unit). Recomputes the
 * gates; dy [B, U] = dh → three outputs dxz [B, 3U], dhz [B, 3U] and
 * dh_prev [B, U]. Derivatives as in `recurrent/cpu.ts`.
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> xz: array<f32>;
@group(0) @binding(1) var<storage, read> hz: array<f32>;
@group(0) @binding(2) var<storage, read> h_prev: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dxz: array<f32>;
@group(0) @binding(5) var<storage, read_write> dhz: array<f32>;
@group(0) @binding(6) var<storage, read_write> dh_prev: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;

// Element idx = (row b, unit j).
fn element(idx: u32) {
  let u = params.units;
  let gb = gate_index(idx, 3u);
  let az = xz[gb] + hz[gb];
  let ar = xz[gb + u] + hz[gb + u];
  let zg = activate(params.rec_act, az);
  let r = activate(params.rec_act, ar);
  let mh = hz[gb + 2u * u];
  let ah = xz[gb + 2u * u] + r * mh;
  let hh = activate(params.act, ah);
  let dh = dy[idx];
  let daz = dh * (h_prev[idx] - hh) * derivative(params.rec_act, az, zg);
  let dah = dh * (1.0 - zg) * derivative(params.act, ah, hh);
  let dar = dah * mh * derivative(params.rec_act, ar, r);
  dxz[gb] = daz;
  dxz[gb + u] = dar;
  dxz[gb + 2u * u] = dah;
  dhz[gb] = daz;
  dhz[gb + u] = dar;
  dhz[gb + 2u * u] = dah * r;
  dh_prev[idx] = dh * zg;
}
`;
