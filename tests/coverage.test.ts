/**
 * Kernel coverage: every primitive op has a CPU kernel (enforced by the type
 * of the CPU registry) and a WebGPU kernel (checked here, since the WebGPU
 * registry is typed as partial). The allowed gaps are listed here, with a
 * reason.
 */
import { expect, test } from 'vitest';
import { opNames } from '../src/kernels/op_names.js';
import { gpuKernels } from '../src/kernels/webgpu/kernels.js';
import * as sg from '../src/index.js';
import { JS_FALLBACK, wasmKernels } from '../src/kernels/wasm/kernels.js';

const ALLOWED_GPU_GAPS: Record<string, string> = {
  reshape: 'a view on every backend: the engine shares the buffer (incRef) and runs no kernel',
};

test('every op has a webgpu kernel', () => {
  const missing = opNames.filter((op) => !(op in gpuKernels) && !(op in ALLOWED_GPU_GAPS));
  expect(missing).toEqual([]);
});

test('sg.kernels.list() names cpu and webgpu for every op, and wasm where it has its own kernel', () => {
  const list = sg.kernels.list();
  expect(list.length).toBe(opNames.length);
  for (const k of list) {
    const wasm = k.name in wasmKernels || k.name === 'reshape';
    expect(k.backends, k.name).toEqual(['cpu', 'webgpu', ...(wasm ? ['wasm'] : [])]);
  }
});

test('sg.kernels.source and bindings show the WGSL a kernel runs', () => {
  for (const op of opNames) {
    expect(sg.kernels.list().find((k) => k.name === op)?.backends.slice(0, 2), op).toEqual(['cpu', 'webgpu']);
    if (!(op in ALLOWED_GPU_GAPS)) expect(sg.kernels.source(op), op).toMatch(/@compute/);
  }
  expect(sg.kernels.bindings('matMul').map((s) => s.bindings.map((b) => b.name))).toEqual([
    ['a', 'b', 'out', 'params'],
    ['a', 'b', 'out', 'params'],
    ['a', 'b', 'out', 'params'],
  ]);
  expect(sg.kernels.bindings('add').map((s) => s.shader)).toEqual(['binary_add_f32', 'binary_add_f32_vec4']);
  expect(sg.kernels.bindings('conv2d')[0].bindings.map((b) => b.kind)).toEqual(['read-only-storage', 'read-only-storage', 'storage', 'uniform']);
});

test('every op has a wasm kernel or is listed (with a reason) as running the JS kernel on wasm memory', () => {
  const own = Object.keys(wasmKernels);
  const fallback = Object.keys(JS_FALLBACK);
  expect([...own, ...fallback].sort()).toEqual([...opNames].sort());
  expect(own.filter((o) => fallback.includes(o))).toEqual([]);
  // The hot ops of training (the issue #12 profile) run in wasm.
  for (const op of ['matMul', 'fusedMatMul', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'add', 'mul', 'relu', 'step', 'sum', 'adamUpdate']) expect(own).toContain(op);
});
