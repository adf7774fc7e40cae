/**
 * Command batching and dispatch helpers: one command encoder records dispatches
 * until it is submitted (on read, after `maxPending` dispatches, or on
 * `flush()`); large 1-D dispatches fold into two dimensions; debug-mode
 * dispatches run under error scopes that name the op and shader that failed.
 */
import type { BufferPool } from './buffer_pool.js';
import type { DeviceErrors } from './errors.js';

/**
 * Records commands on one encoder and submits them together; holds the
 * validation and out-of-memory error scopes of debug-mode dispatches.
 */
export class CommandBatcher {
  private current: GPUCommandEncoder | null = null;
  /** Error scopes of debug-mode dispatches not yet resolved (reads wait for them). */
  readonly scopes = new Set<Promise<void>>();
  /** Commands recorded since the last submit. */
  pending = 0;
  /** Command buffers submitted. */
  numSubmits = 0;

  /**
   * `errors` keeps what a debug scope caught; after each submit the buffers
   * `pool` held for the recorded commands can be reused.
   */
  constructor(
    private readonly device: GPUDevice,
    private readonly errors: DeviceErrors,
    private readonly pool: BufferPool,
  ) {}

  /** The encoder recording the pending commands (created on first use). */
  encoder(): GPUCommandEncoder {
    return (this.current ??= this.device.createCommandEncoder());
  }

  /** Submits recorded work. */
  flush(): void {
    if (!this.current) return;
    this.device.queue.submit([this.current.finish()]);
    this.numSubmits++;
    this.current = null;
    this.pending = 0;
    this.pool.submitted();
  }

  /** Opens the scopes around one debug-mode dispatch. */
  pushScopes(): void {
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
  }

  /** Closes the scopes of one debug-mode dispatch; an error they caught names `what`. */
  popScopes(what: string): void {
    for (const kind of ['validation', 'out-of-memory']) {
      const p: Promise<void> = this.device.popErrorScope().then(
        (err) => {
          this.scopes.delete(p);
          if (err) this.errors.asyncError ??= new Error(`webgpu: ${what} failed (${kind} error): ${err.message}`);
        },
        // Rejected only when the device is gone; the next op or read reports that.
        () => void this.scopes.delete(p),
      );
      this.scopes.add(p);
    }
  }
}

/**
 * The workgroup counts to dispatch for `workgroups` of shader `name`: an x over
 * `maxDim` folds into y (the shader reads its flat index across both); throws
 * where that cannot fit.
 */
export function splitWorkgroups(name: string, workgroups: readonly number[], maxDim: number): [number, number, number] {
  let [x, y = 1, z = 1] = workgroups;
  if (x > maxDim) {
    if (y !== 1) throw new Error(`webgpu: shader '${name}' dispatch (${x}, ${y}, ${z}) is over maxComputeWorkgroupsPerDimension (${maxDim})`);
    y = Math.ceil(x / maxDim);
    x = Math.ceil(x / y);
  }
  if (y > maxDim || z > maxDim) throw new Error(`webgpu: shader '${name}' dispatch (${x}, ${y}, ${z}) is over maxComputeWorkgroupsPerDimension (${maxDim})`);
  return [x, y, z];
}
