import { wgsl } from '../webgpu/program.js';

/**
 * Backward of the fused LSTM gates: one thread per (row, unit). Recomputes
 * the gates from z [B, 4U] and c_prev [B, U]; the upstream gradients
 * dc, dh [B, U] → two outputs dz [B, 4U] and dc_prev [B, U]. Derivatives as
 * in `recurrent/cpu.ts`.
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read> c_prev: array<f32>;
@group(0) @binding(2) var<storage, read> dc: array<f32>;
@group(0) @binding(3) var<storage, read> dh: array<f32>;
@group(0) @binding(4) var<storage, read_write> dz: array<f32>;
@group(0) @binding(5) var<storage, read_write> dc_prev: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

// Element idx = (row b, unit j).
fn element(idx: u32) {
  let u = params.units;
  let zb = gate_index(idx, 4u);
  let zi = z[zb];
  let zf = z[zb + u];
  let zc = z[zb + 2u * u];
  let zo = z[zb + 3u * u];
  let i = activate(params.rec_act, zi);
  let f = activate(params.rec_act, zf);
  let g = activate(params.act, zc);
  let o = activate(params.rec_act, zo);
  let cp = c_prev[idx];
  let c = f * cp + i * g;
  let tc = activate(params.act, c);
  let dhj = dh[idx];
  let dcj = dc[idx] + dhj * o * derivative(params.act, c, tc);
  dz[zb] = dcj * g * derivative(params.rec_act, zi, i);
  dz[zb + u] = dcj * cp * derivative(params.rec_act, zf, f);
  dz[zb + 2u * u] = dcj * i * derivative(params.act, zc, g);
  dz[zb + 3u * u] = dhj * tc * derivative(params.rec_act, zo, o);
  dc_prev[idx] = dcj * f;
}
`;
