/** The tensor layer's public surface: Tensor, Variable, ops, memory and backend control. */
import type { Backend } from '../kernels/backend.js';
import type { TypedArray } from '../kernels/types.js';
import type { TensorContainer } from './engine.js';
import { ENGINE } from './engine.js';
import { Tensor, Variable } from './tensor.js';
import { toTensor } from './ops/util.js';
import type { TensorLike } from './ops/util.js';

export { Tensor, Variable } from './tensor.js';
export type { NestedArray } from './tensor.js';
export * from './ops/index.js';
export { ENGINE } from './engine.js';
export type { OpRecorder, TensorContainer } from './engine.js';
export { Rng, setSeed, nextSeed } from './random.js';
export { profile } from './profile.js';
export type { ProfileInfo } from './profile.js';

/**
 * Runs `fn` and disposes every tensor it made except those it returns.
 * @example const y = sg.tidy(() => x.mul(2).add(1)); // the x·2 intermediate is freed
 */
export function tidy<T extends TensorContainer>(fn: () => T): T {
  return ENGINE.tidy(fn);
}

/** Keeps `t` alive past the enclosing `tidy`. */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}

/** Disposes every tensor in `c`. */
export function dispose(c: TensorContainer): void {
  const set = new Set<Tensor>();
  const walk = (v: unknown): void => {
    if (v instanceof Tensor) set.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) Object.values(v).forEach(walk);
  };
  walk(c);
  for (const t of set) t.dispose();
}

/** Live tensors and bytes: `{ numTensors, numBytes, numBuffers, pooledBytes }`. */
export function memory(): { numTensors: number; numBytes: number; numBuffers: number; pooledBytes: number } {
  return ENGINE.memory();
}

let variableCount = 0;

/**
 * A variable holding a copy of `initial`'s value; trainable ones are what
 * optimizers update.
 */
export function variable(initial: TensorLike, trainable = true, name?: string, dtype?: Tensor['dtype']): Variable {
  const t = toTensor(initial, 'initial', 'variable', dtype);
  const v = new Variable(t, trainable, name ?? `variable_${variableCount++}`);
  if (t !== initial) t.dispose();
  return v;
}

/** Switches backend (`'cpu'`, `'webgpu'`, or a registered test backend). */
export async function setBackend(name: string): Promise<void> {
  await ENGINE.setBackend(name);
}

/** The current backend's name. */
export function getBackend(): string {
  return ENGINE.backend.name;
}

/** Registers a backend factory under `name` (higher priority is preferred by `ready()`). */
export function registerBackend(name: string, factory: () => Backend | Promise<Backend>, priority = 0): void {
  ENGINE.registerBackend(name, factory, priority);
}

/** The typed arrays tensor data comes in and out as (Float32Array, Int32Array, Uint8Array, Float64Array). */
export type { TypedArray };
