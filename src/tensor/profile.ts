/**
 * `profile(fn)`: which kernels ran, how often and for how long, how many
 * tensors fn left behind, and the peak bytes held while it ran.
 */
import type { OpName } from '../kernels/op_names.js';
import { ENGINE } from './engine.js';

export interface ProfileInfo {
  kernels: { name: OpName; backend: string; calls: number; totalMs: number }[];
  /** Wall time of the whole call. */
  wallMs: number;
  /** Tensors alive after fn that were not before (its results, or leaks). */
  newTensors: number;
  newBytes: number;
  peakBytes: number;
  /**
   * How kernel times were taken: 'wall-clock' times the backend's run call
   * (on the CPU that is the kernel itself; on a GPU backend it is only the
   * encoding, unless the backend reports GPU timestamps).
   */
  timing: 'wall-clock' | 'gpu-timestamps';
}

/**
 * Runs fn (sync or async) and reports the kernels it ran.
 * @example const info = await sg.profile(() => sg.matMul(a, b)); console.table(info.kernels);
 */
export async function profile(fn: () => unknown): Promise<ProfileInfo> {
  if (ENGINE.profiler) throw new Error('profile: already profiling; profile calls do not nest');
  const start = ENGINE.memory();
  const stats = new Map<string, { name: OpName; backend: string; calls: number; totalMs: number }>();
  let peak = start.numBytes;
  ENGINE.profiler = {
    onKernel(op, backend, ms) {
      const k = `${backend}/${op}`;
      const e = stats.get(k) ?? { name: op, backend, calls: 0, totalMs: 0 };
      e.calls++;
      e.totalMs += ms;
      stats.set(k, e);
    },
    onMemory(bytes) {
      if (bytes > peak) peak = bytes;
    },
  };
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    ENGINE.profiler = null;
  }
  const wallMs = performance.now() - t0;
  const end = ENGINE.memory();
  return {
    kernels: [...stats.values()].sort((a, b) => b.totalMs - a.totalMs),
    wallMs,
    newTensors: end.numTensors - start.numTensors,
    newBytes: end.numBytes - start.numBytes,
    peakBytes: peak,
    timing: 'wall-clock',
  };
}
