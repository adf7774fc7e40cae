import { wgsl } from '../webgpu/program.js';

/**
 * Parts shared by the LSTM/GRU cell shaders, composed by `recurrent/webgpu.ts`
 * by concatenation: `params` (every cell shader's Params and workgroup size),
 * `activation` (the activation codes of `recurrent/spec.ts`: 0 linear,
 * 1 relu, 2 sigmoid, 3 hardSigmoid, 4 tanh) and, for the backward shaders,
 * `derivative`. Each cell file adds its bindings and `element(idx)`, one
 * thread per (row, unit), run by the shared `perElement` main
 * (`webgpu/element.wgsl.ts`).
 */

/** The params every cell shader takes (`cellLaunch`) and gate_index, where an element's gates are. */
export const params = wgsl`
struct Params {
  size: u32,
  units: u32,
  act: u32,
  rec_act: u32,
}

// Index in a [B, gates·U] tensor of gate 0 of element idx = (row b, unit j) of [B, U]; gate k is k·U further.
fn gate_index(idx: u32, gates: u32) -> u32 {
  let u = params.units;
  let b = idx / u;
  return b * gates * u + (idx - b * u);
}
`;

/** activate(code, x): the cell activations, NaN kept. */
export const activation = wgsl`
// NaN stays NaN, as on the CPU; the test reads the bits (WGSL lets implementations
// assume finite floats: SwiftShader's max(NaN, 0) is 0 and exp(NaN) +Inf).
fn is_nan_f(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }

fn activate(code: u32, x: f32) -> f32 {
  if (is_nan_f(x)) { return x; }
  switch code {
    case 1u: { return max(x, 0.0); }
    case 2u: { return 1.0 / (1.0 + exp(-x)); }
    case 3u: { return clamp(0.2 * x + 0.5, 0.0, 1.0); }
    case 4u: { return tanh(clamp(x, -15.0, 15.0)); }
    default: { return x; }
  }
}
`;

/** derivative(code, x, y): the activations' derivatives as in `recurrent/cpu.ts`. */
export const derivative = wgsl`
// Derivative at x given y = activate(code, x).
fn derivative(code: u32, x: f32, y: f32) -> f32 {
  switch code {
    case 1u: { return select(0.0, 1.0, x > 0.0); }
    case 2u: { return y * (1.0 - y); }
    case 3u: {
      let v = 0.2 * x + 0.5;
      return select(0.0, 0.2, v >= 0.0 && v <= 1.0);
    }
    case 4u: { return 1.0 - y * y; }
    default: { return 1.0; }
  }
}
`;
