/**
 * shadergrad: tensors, autograd and Keras-style layers, with WGSL kernels on
 * WebGPU and a CPU fallback. This file only re-exports; nothing runs at load.
 */
export * from './tensor/index.js';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, noGrad } from './autograd/index.js';
export { ready, backendInfo, enableDebugMode, setBackend, setThreads } from './backends.js';
export type { ReadyOptions } from './backends.js';
export * as kernels from './debug/kernels_api.js';
export * as debug from './debug/index.js';
export * as data from './data/index.js';
export * as tuner from './tuner/index.js';
export * as io from './io/index.js';
export * from './layers/index.js';
export type { DType, TypedArray } from './kernels/types.js';
