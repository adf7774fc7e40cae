import { wgsl } from '../webgpu/program.js';

/**
 * One Adam step per element (TensorFlow.js's rule, ε after the bias
 * correction): three outputs new_w = w', new_m = m', new_v = v', all [n].
 */
export const main = wgsl`
struct Params {
  size: u32,
  learning_rate: f32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  correction1: f32,
  correction2: f32,
}

@group(0) @binding(0) var<storage, read> w: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> m: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
@group(0) @binding(4) var<storage, read_write> new_w: array<f32>;
@group(0) @binding(5) var<storage, read_write> new_m: array<f32>;
@group(0) @binding(6) var<storage, read_write> new_v: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;

// Element k (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(k: u32) {
  let gk = g[k];
  let m2 = params.beta1 * m[k] + (1.0 - params.beta1) * gk;
  let v2 = params.beta2 * v[k] + (1.0 - params.beta2) * gk * gk;
  let m_hat = m2 / params.correction1;
  let v_hat = v2 / params.correction2;
  new_w[k] = w[k] + (m_hat / (sqrt(v_hat) + params.epsilon)) * (-params.learning_rate);
  new_m[k] = m2;
  new_v[k] = v2;
}
`;
