import { wgsl } from '../webgpu/program.js';

/**
 * Epilogue slots of the GEMM cores (composed by `composeGemm`, gemm.ts):
 * `gemm_epilogue(c0, v)` maps a row of the 4×4 block (columns c0..c0+3)
 * before the core stores it.
 */

/** C = A·B as is. */
export const plain = wgsl`
fn gemm_epilogue(c0: u32, v: vec4<T>) -> vec4<T> {
  return v;
}
`;

/** act(v + bias[c]) with a scalar `bias` binding (columns past N read the last bias; they are never stored); needs `activation`. */
export const biasAct = wgsl`
fn gemm_epilogue(c0: u32, v: vec4<T>) -> vec4<T> {
  let c = min(vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(gemm_dims().n - 1u));
  return vec4<T>(act(v.x + bias[c.x]), act(v.y + bias[c.y]), act(v.z + bias[c.z]), act(v.w + bias[c.w]));
}
`;

/** act(v + bias[c]) with a vec4 `bias` binding (N a multiple of 4); needs `activation`. */
export const biasAct4 = wgsl`
fn gemm_epilogue(c0: u32, v: vec4<T>) -> vec4<T> {
  let s = v + bias[c0 / 4u];
  return vec4<T>(act(s.x), act(s.y), act(s.z), act(s.w));
}
`;

/**
 * `act(x)`: the activation `params.act` (`cellActivationCodes`: linear 0,
 * relu 1, sigmoid 2, tanh 4), float only. NaN stays NaN as in the CPU kernel,
 * tested on the bits (WGSL lets implementations assume finite floats:
 * SwiftShader's tanh(clamp(NaN)) is -1).
 */
export const activation = wgsl`
fn act(x: T) -> T {
  if ((bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u) { return x; }
  switch params.act {
    case 1u: { return select(x, 0.0, x < 0.0); }
    case 2u: { return 1.0 / (1.0 + exp(-x)); }
    case 4u: { return tanh(clamp(x, -15.0, 15.0)); }
    default: { return x; }
  }
}
`;
