/**
 * Out-of-range index detection for gather and scatterAdd on WebGPU. Each
 * check is one `index_check` dispatch that writes a 4-i32 slot of a small
 * flags buffer; reads copy the flags back with the tensor data, and the first
 * bad index becomes the read's error, with the same message as the CPU kernel.
 */
import type { TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import type { Launch } from '../webgpu/program.js';
import { movementShaders } from './webgpu.js';

/** Checks one flags buffer holds (4 i32 each: found, value, position, unused). */
const SLOTS = 256;
const BYTES = SLOTS * 16;

/** What the checks need from the runtime. */
export interface CheckHost {
  readonly device: GPUDevice;
  launch(l: Launch): unknown;
  /** Records a buffer copy after the pending dispatches and submits everything. */
  copyAndSubmit(src: GPUBuffer, dst: GPUBuffer, bytes: number): void;
}

/** Checks recorded into one flags buffer, with the message each one throws. */
interface Batch {
  buffer: GPUBuffer;
  messages: ((value: number, position: number) => string)[];
}

export class IndexChecks {
  /** Checks recorded since the last read-back. */
  private current: Batch | null = null;
  /** Flags buffers read back, ready for reuse. */
  private readonly freeFlags: GPUBuffer[] = [];
  private readonly freeStaging: GPUBuffer[] = [];
  /** Read-backs in flight. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The first bad index found; `takeError` hands it to a read. */
  private error: Error | null = null;
  private disposed = false;

  constructor(private readonly host: CheckHost) {}

  /** Records a check that every value of `indices` lies in [0, dim); a bad one makes a later read throw `message(value, position)`. */
  add(indices: TensorInfo, dim: number, message: (value: number, position: number) => string): void {
    const n = sizeOf(indices.shape);
    if (n === 0) return;
    // A full buffer is read back in the background, so memory stays bounded without reads.
    if (this.current && this.current.messages.length === SLOTS) void this.readBack();
    if (!this.current) {
      const buffer = this.freeFlags.pop() ?? this.host.device.createBuffer({ label: 'index_check', size: BYTES, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      this.current = { buffer, messages: [] };
    }
    const slot = this.current.messages.length;
    this.current.messages.push(message);
    this.host.launch({ shader: movementShaders.index_check, inputs: [indices], outputs: [{ raw: this.current.buffer }], params: { n, dim, slot }, workgroups: [1] });
  }

  /** Copies the current checks' flags out (submitting pending work); they are inspected when the copy lands. */
  readBack(): void {
    const c = this.current;
    if (!c) return;
    this.current = null;
    const bytes = c.messages.length * 16;
    const staging = this.freeStaging.pop() ?? this.host.device.createBuffer({ label: 'index_check_read', size: BYTES, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.host.copyAndSubmit(c.buffer, staging, bytes);
    const p: Promise<void> = staging
      .mapAsync(GPUMapMode.READ, 0, bytes)
      .then(
        () => {
          const v = new Int32Array(staging.getMappedRange(0, bytes).slice(0));
          staging.unmap();
          if (this.disposed) staging.destroy();
          else {
            this.freeFlags.push(c.buffer);
            this.freeStaging.push(staging);
          }
          for (let s = 0; s < c.messages.length; s++) {
            if (v[4 * s] !== 0) {
              if (!this.error) this.error = new Error(c.messages[s](v[4 * s + 1], v[4 * s + 2]));
              break;
            }
          }
        },
        () => {
          // The device was lost or the backend disposed: the runtime reports that.
          staging.destroy();
        },
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits for every read-back in flight. */
  async settled(): Promise<void> {
    if (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /** The first bad index found since the last call (cleared), or null. */
  takeError(): Error | null {
    const e = this.error;
    this.error = null;
    return e;
  }

  dispose(): void {
    this.disposed = true;
    for (const b of [...this.freeFlags, ...this.freeStaging]) b.destroy();
    this.current?.buffer.destroy();
    this.freeFlags.length = 0;
    this.freeStaging.length = 0;
    this.current = null;
  }
}
