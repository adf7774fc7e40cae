/**
 * Sees (and may rewrite) each WGSL dispatch a WebGPU backend records, by
 * shadowing its `launch` method on the instance for the duration of a call.
 */
import type { Backend } from '../kernels/backend.js';
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
