/**
 * Worker threads for the wasm backend's large products. Every worker
 * instantiates the GEMM module on the backend's shared WebAssembly.Memory,
 * then sleeps in `Atomics.wait` on a control block in that memory:
 *
 *   ctl[0] generation (bumped by the main thread to start a job)
 *   ctl[1] workers still running the current job
 *   ctl[2] stop flag
 *   ctl[3] 1 when a worker's band failed (a trap); its error is posted to the main thread
 *   ctl[16 + 16w ..] the 15 gemm arguments of worker w
 *
 * The main thread writes each worker's arguments (a band of C's rows, with
 * its own packing buffers), bumps the generation, notifies, runs band 0
 * itself, and waits for ctl[1] to reach 0 (blocking where it may, spinning
 * on a browser's main thread, where Atomics.wait is not allowed).
 * Workers are `worker_threads` in Node and Web Workers in browsers; both
 * need SharedArrayBuffer (in browsers: a cross-origin isolated page).
 */

/** The worker's program (plain JavaScript, run from a string: no separate file to ship). */
const WORKER_BODY = `
function start(d, ready) {
  const inst = new WebAssembly.Instance(d.module, { env: { memory: d.memory } });
  const gemm = inst.exports.gemm;
  const base = d.ctl >> 2;
  let gen = 0;
  ready();
  for (;;) {
    let h = new Int32Array(d.memory.buffer);
    Atomics.wait(h, base, gen);
    h = new Int32Array(d.memory.buffer);
    gen = Atomics.load(h, base);
    if (Atomics.load(h, base + 2) === 1) return;
    const a = base + 16 + 16 * d.id;
    try {
      gemm(h[a], h[a + 1], h[a + 2], h[a + 3], h[a + 4], h[a + 5], h[a + 6], h[a + 7], h[a + 8], h[a + 9], h[a + 10], h[a + 11], h[a + 12], h[a + 13], h[a + 14]);
    } catch (e) {
      // Never leave the main thread waiting: flag the failure, then count this band as done.
      Atomics.store(h, base + 3, 1);
    }
    if (Atomics.sub(h, base + 1, 1) === 1) Atomics.notify(h, base + 1);
  }
}
`;

const NODE_WORKER = `${WORKER_BODY}
const { parentPort, workerData } = require('node:worker_threads');
start(workerData, () => parentPort.postMessage('ready'));
`;

const WEB_WORKER = `${WORKER_BODY}
self.onmessage = (e) => start(e.data, () => self.postMessage('ready'));
`;

interface WorkerHandle {
  terminate(): unknown;
}

/** Why threads are unavailable here, or null when they are. */
export function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is not available';
  const g = globalThis as { crossOriginIsolated?: boolean; process?: { versions?: { node?: string } }; Worker?: unknown };
  if (g.process?.versions?.node) return null;
  if (typeof g.Worker !== 'function') return 'no Web Worker';
  if (g.crossOriginIsolated === false) return 'the page is not cross-origin isolated (COOP/COEP headers), so memory cannot be shared';
  return null;
}

/** Logical cores this process may use (Node: os.availableParallelism; browsers: hardwareConcurrency). */
export async function hardwareThreads(): Promise<number> {
  const g = globalThis as { process?: { versions?: { node?: string } }; navigator?: { hardwareConcurrency?: number } };
  if (g.process?.versions?.node) {
    const os = await import('node:os');
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return g.navigator?.hardwareConcurrency ?? 1;
}

/** A started set of workers sharing `memory`, with their control block at byte offset `ctl`. */
export class ThreadPool {
  private stopped = false;
  private readonly canBlock: boolean;

  private constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly ctl: number,
    private readonly workers: WorkerHandle[],
  ) {
    const h = new Int32Array(memory.buffer);
    let block = true;
    try {
      Atomics.wait(h, (ctl >> 2) + 3, 1, 0);
    } catch {
      block = false; // a browser's main thread
    }
    this.canBlock = block;
  }

  /** Threads a job uses: the workers and the calling thread. */
  get size(): number {
    return this.workers.length + 1;
  }

  /**
   * Starts `count` workers on `memory` (shared) running the compiled GEMM
   * `module`: the caller's own, so the workers run the code the engine has
   * already optimised for the calling thread (a module compiled anew in a
   * worker would start in the baseline tier and stay there for the few, long
   * calls a worker makes). `ctl` is a zeroed block of 64 + 64·count bytes in that memory.
   * Resolves when every worker is waiting for work.
   */
  static async start(memory: WebAssembly.Memory, module: WebAssembly.Module, ctl: number, count: number): Promise<ThreadPool> {
    const g = globalThis as { process?: { versions?: { node?: string } } };
    const workers: WorkerHandle[] = [];
    const readies: Promise<void>[] = [];
    if (g.process?.versions?.node) {
      const { Worker } = await import('node:worker_threads');
      for (let id = 0; id < count; id++) {
        // execArgv []: the parent's flags (e.g. --input-type=module) would turn the CommonJS worker script into ESM.
        const w = new Worker(NODE_WORKER, { eval: true, execArgv: [], workerData: { memory, module, ctl, id } });
        w.unref(); // idle workers never keep the process alive
        readies.push(new Promise((res, rej) => {
          w.once('message', () => res());
          w.once('error', rej);
        }));
        workers.push(w);
      }
    } else {
      const url = URL.createObjectURL(new Blob([WEB_WORKER], { type: 'text/javascript' }));
      for (let id = 0; id < count; id++) {
        const w = new Worker(url);
        readies.push(new Promise((res, rej) => {
          w.onmessage = () => res();
          w.onerror = (e) => rej(new Error(`wasm backend: worker failed to start: ${e.message}`));
        }));
        w.postMessage({ memory, module, ctl, id });
        workers.push(w);
      }
    }
    try {
      await Promise.all(readies);
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    return new ThreadPool(memory, ctl, workers);
  }

  /**
   * Runs gemm with `args[0]` on this thread and `args[w + 1]` on worker w,
   * returning when all are done. `gemm` is this thread's instance.
   */
  run(gemm: (...a: number[]) => number, args: readonly number[][]): void {
    if (this.stopped) throw new Error('wasm backend: thread pool was stopped');
    const h = new Int32Array(this.memory.buffer);
    const base = this.ctl >> 2;
    // Workers without a band run an empty product (all-zero arguments).
    for (let w = 0; w < this.workers.length; w++) {
      if (w + 1 < args.length) h.set(args[w + 1], base + 16 + 16 * w);
      else h.fill(0, base + 16 + 16 * w, base + 31 + 16 * w);
    }
    Atomics.store(h, base + 1, this.workers.length);
    Atomics.add(h, base, 1);
    Atomics.notify(h, base);
    let failure: unknown = null;
    try {
      gemm(...args[0]);
    } catch (e) {
      failure = e;
    }
    // Wait for the workers even when this band failed: they are still writing to the memory.
    for (;;) {
      const left = Atomics.load(h, base + 1);
      if (left === 0) break;
      if (this.canBlock) Atomics.wait(h, base + 1, left, 50);
    }
    if (Atomics.exchange(h, base + 3, 0) === 1) failure ??= new Error('wasm backend: a worker thread trapped while running a product band');
    if (failure) throw failure;
  }

  /** Stops the workers. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const h = new Int32Array(this.memory.buffer);
    const base = this.ctl >> 2;
    Atomics.store(h, base + 2, 1);
    Atomics.add(h, base, 1);
    Atomics.notify(h, base);
    for (const w of this.workers) w.terminate();
  }
}
