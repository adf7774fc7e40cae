import { wgsl } from '../webgpu/program.js';

/**
 * Fused LSTM gates: one thread per (row, unit). z [B, 4U] (i, f, c, o),
 * c_prev [B, U] → two outputs c [B, U] and h [B, U]. Activation codes: 0 linear, 1 relu,
 * 2 sigmoid, 3 hardSigmoid, 4 tanh (`recurrent/spec.ts`).
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read> c_prev: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<storage, read_write> h: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// Element idx = (row b, unit j).
fn element(idx: u32) {
  let u = params.units;
  let zb = gate_index(idx, 4u);
  let i = activate(params.rec_act, z[zb]);
  let f = activate(params.rec_act, z[zb + u]);
  let g = activate(params.act, z[zb + 2u * u]);
  let o = activate(params.rec_act, z[zb + 3u * u]);
  let cn = f * c_prev[idx] + i * g;
  c[idx] = cn;
  h[idx] = o * activate(params.act, cn);
}
`;
