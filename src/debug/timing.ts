/**
 * Timing one kernel in isolation on its backend. On a WebGPU device with
 * timestamp queries every compute pass of the timed runs gets
 * begin/end-of-pass timestamps and the time is their sum (the GPU's own
 * clock); otherwise the runs are submitted together and awaited, and the time
 * is wall-clock (which includes submission). CPU kernels are timed with
 * performance.now().
 */
import type { Backend } from '../kernels/backend.js';
import type { DataId } from '../kernels/types.js';

/** How a time was taken. */
export type TimingSource = 'gpu-timestamps' | 'wall-clock-awaited' | 'cpu';

interface GpuLike {
  flush(): void;
  device: GPUDevice;
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

/** True when `b` is a WebGPU backend whose device has timestamp queries enabled. */
export function hasTimestamps(b: Backend): boolean {
  return isGpu(b) && b.device.features.has('timestamp-query');
}

/** Passes timed per measurement (two timestamps each); later passes go untimed, and the result says so by falling back. */
const MAX_PASSES = 1024;

/**
 * Runs `runs` with a timestamp pair on every compute pass the backend
 * records, and returns the summed GPU time in ms (null when a pass went
 * untimed or the timestamps came back empty).
 */
async function timestamped(b: Backend & GpuLike, runs: () => void): Promise<number | null> {
  const dev = b.device;
  // Shadowing needs the method on the prototype (as WebGPU implementations put it).
  if (Object.prototype.hasOwnProperty.call(dev, 'createCommandEncoder')) return null;
  const qs = dev.createQuerySet({ type: 'timestamp', count: 2 * MAX_PASSES });
  const resolve = dev.createBuffer({ size: 16 * MAX_PASSES, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const read = dev.createBuffer({ size: 16 * MAX_PASSES, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  let passes = 0;
  let overflow = false;
  const proto = Object.getPrototypeOf(dev) as GPUDevice;
  // The backend creates its encoders from this device: shadow createCommandEncoder on the
  // instance while timing, and hand back encoders whose compute passes write timestamps.
  (dev as { createCommandEncoder: GPUDevice['createCommandEncoder'] }).createCommandEncoder = (desc?: GPUCommandEncoderDescriptor) => {
    const enc = proto.createCommandEncoder.call(dev, desc);
    return new Proxy(enc, {
      get(target, key) {
        if (key === 'beginComputePass') {
          return (d: GPUComputePassDescriptor = {}) => {
            if (passes >= MAX_PASSES) {
              overflow = true;
              return target.beginComputePass(d);
            }
            const i = passes++;
            return target.beginComputePass({ ...d, timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
          };
        }
        const v = Reflect.get(target, key, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  };
  try {
    runs();
    b.flush();
  } finally {
    delete (dev as Partial<Pick<GPUDevice, 'createCommandEncoder'>>).createCommandEncoder;
  }
  try {
    if (overflow || passes === 0) return null;
    const enc = dev.createCommandEncoder();
    enc.resolveQuerySet(qs, 0, 2 * passes, resolve, 0);
    enc.copyBufferToBuffer(resolve, 0, read, 0, 16 * passes);
    dev.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ, 0, 16 * passes);
    const t = new BigUint64Array(read.getMappedRange(0, 16 * passes).slice(0));
    read.unmap();
    let ns = 0;
    for (let i = 0; i < passes; i++) ns += Number(t[2 * i + 1] - t[2 * i]);
    return ns > 0 ? ns / 1e6 : null;
  } finally {
    qs.destroy();
    resolve.destroy();
    read.destroy();
  }
}

/**
 * Milliseconds per run of `run` on `b`: one warm-up run, then `reps` runs,
 * divided by reps; GPU timestamps where the device has them (see the module
 * comment). Each run's output handle is released.
 */
export async function timeRuns(b: Backend, run: () => readonly DataId[], reps: number): Promise<{ ms: number; timing: TimingSource }> {
  const releaseAll = (ids: readonly DataId[]): void => {
    for (const id of ids) b.release(id);
  };
  releaseAll(run());
  await settle(b);
  const many = (): void => {
    for (let i = 0; i < reps; i++) releaseAll(run());
  };
  if (isGpu(b) && hasTimestamps(b)) {
    const ms = await timestamped(b, many);
    await b.device.queue.onSubmittedWorkDone();
    if (ms !== null) return { ms: ms / reps, timing: 'gpu-timestamps' };
  }
  const t0 = performance.now();
  many();
  await settle(b);
  return { ms: (performance.now() - t0) / reps, timing: isGpu(b) ? 'wall-clock-awaited' : 'cpu' };
}
