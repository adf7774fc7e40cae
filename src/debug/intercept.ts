/**
 * Sees (and may rewrite) each WGSL dispatch a WebGPU backend records, by
 * shadowing its `launch` method on the instance for the duration of a call;
 * and sets the wasm backend's run recorder for the duration of a call.
 */
import type { Backend } from '../kernels/backend.js';
import type { WasmRunRecord } from '../kernels/wasm/kernel.js';
import type { Launch } from '../kernels/webgpu/program.js';

interface Launcher {
  launch(l: Launch): unknown;
}

/** True when `b` records WGSL launches (the WebGPU backend). */
export function hasLaunches(b: Backend): b is Backend & Launcher {
  return typeof (b as Partial<Launcher>).launch === 'function';
}

/**
 * Runs `fn` with every launch on `b` passed through `rewrite` first (which
 * may return it unchanged or a modified copy); restores `b` afterwards, also
 * on errors. Calls do not nest on one backend.
 */
export async function withLaunches<T>(b: Backend, rewrite: (l: Launch) => Launch, fn: () => T | Promise<T>): Promise<T> {
  if (!hasLaunches(b)) return fn();
  if (Object.prototype.hasOwnProperty.call(b, 'launch')) throw new Error('sg.debug: launches are already being traced on this backend (calls do not nest)');
  const proto = Object.getPrototypeOf(b) as Launcher;
  (b as Launcher).launch = (l: Launch) => proto.launch.call(b, rewrite(l));
  try {
    return await fn();
  } finally {
    delete (b as Partial<Launcher>).launch;
  }
}

interface WasmRecording {
  name: string;
  recorder: ((r: WasmRunRecord) => void) | null;
}

/** True when `b` can record what each kernel ran (the wasm backend). */
export function hasWasmRecorder(b: Backend): b is Backend & WasmRecording {
  return b.name === 'wasm' && 'recorder' in b;
}

/**
 * Runs `fn` with `record` receiving what each `run` on the wasm backend `b`
 * did (nothing happens on other backends); clears the backend's recorder
 * afterwards, also on errors. Calls do not nest on one backend.
 */
export async function withWasmRecorder<T>(b: Backend, record: (r: WasmRunRecord) => void, fn: () => T | Promise<T>): Promise<T> {
  if (!hasWasmRecorder(b)) return fn();
  if (b.recorder) throw new Error('sg.debug: wasm runs are already being recorded on this backend (calls do not nest)');
  b.recorder = record;
  try {
    return await fn();
  } finally {
    b.recorder = null;
  }
}
