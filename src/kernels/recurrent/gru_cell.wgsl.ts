import { wgsl } from '../webgpu/program.js';

/**
 * Fused GRU gates (resetAfter): one thread per (row, unit). xz, hz [B, 3U]
 * (z, r, h), h_prev [B, U] → out [B, U] = z·h_prev + (1 − z)·ĥ.
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> xz: array<f32>;
@group(0) @binding(1) var<storage, read> hz: array<f32>;
@group(0) @binding(2) var<storage, read> h_prev: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// Element idx = (row b, unit j).
fn element(idx: u32) {
  let u = params.units;
  let gb = gate_index(idx, 3u);
  let zg = activate(params.rec_act, xz[gb] + hz[gb]);
  let r = activate(params.rec_act, xz[gb + u] + hz[gb + u]);
  let hh = activate(params.act, xz[gb + 2u * u] + r * hz[gb + 2u * u]);
  out[idx] = zg * h_prev[idx] + (1.0 - zg) * hh;
}
`;
