/** Timing one kernel in isolation on its backend: GPU work is submitted and awaited, so the time is the kernel's, not its encoding's. */
import type { Backend } from '../kernels/backend.js';
import type { DataId } from '../kernels/types.js';

interface GpuLike {
  flush(): void;
  device: { queue: { onSubmittedWorkDone(): Promise<undefined> } };
}

function isGpu(b: Backend): b is Backend & GpuLike {
  return typeof (b as Partial<GpuLike>).flush === 'function' && (b as Partial<GpuLike>).device !== undefined;
}

/** Waits until `b` has finished every command recorded so far (a no-op on CPU backends). */
export async function settle(b: Backend): Promise<void> {
  if (isGpu(b)) {
    b.flush();
    await b.device.queue.onSubmittedWorkDone();
  }
}

/**
 * Milliseconds per run of `run` on `b`: one warm-up run, then `reps` runs
 * submitted together and awaited (GPU) or run back to back (CPU), divided by
 * reps. Each run's output handle is released.
 */
export async function timeRuns(b: Backend, run: () => DataId, reps: number): Promise<number> {
  b.release(run());
  await settle(b);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) b.release(run());
  await settle(b);
  return (performance.now() - t0) / reps;
}
