/** Choosing and describing backends. */
import { ENGINE } from './tensor/index.js';

let debugMode = false;

/**
 * Debug mode (as `tf.enableDebugMode()`): on WebGPU every dispatch is
 * submitted on its own under validation and out-of-memory error scopes, so a
 * GPU error becomes a JavaScript error that names the op, the shader and the
 * input shapes (thrown by the next read or op). Slow: for finding bugs.
 * Applies to the WebGPU backend now and to one created later;
 * `enableDebugMode(false)` turns it off.
 */
export function enableDebugMode(on = true): void {
  debugMode = on;
  const b = ENGINE.backendInstance('webgpu') as unknown as { debug?: boolean } | undefined;
  if (b && 'debug' in b) b.debug = on;
}

/**
 * Registers the 'webgpu' backend factory (cheap: no GPU work until
 * `setBackend('webgpu')` or `ready()`; the runtime module is loaded lazily).
 * An explicit `setBackend('webgpu')` accepts a software adapter.
 */
export function registerWebGpuBackend(): void {
  if (ENGINE.registeredBackends().includes('webgpu')) return;
  ENGINE.registerBackend(
    'webgpu',
    async () => (await import('./kernels/webgpu/backend.js')).createWebGpuBackend({ allowSoftware: true, debug: debugMode }),
    2,
  );
}

registerWebGpuBackend();

/**
 * Registers the 'wasm' backend factory (cheap: its module is loaded and its
 * kernels compiled on `setBackend('wasm')` or `ready()`). Starting it fails
 * where WebAssembly SIMD is missing, and `ready()` then moves on to 'cpu'.
 */
export function registerWasmBackend(): void {
  if (ENGINE.registeredBackends().includes('wasm')) return;
  ENGINE.registerBackend('wasm', async () => (await import('./kernels/wasm/backend.js')).createWasmBackend({ threads: wasmThreads }), 1.5);
}

let wasmThreads: number | undefined;

/**
 * Sets how many threads the wasm backend uses for large matMul/conv
 * products (the calling one included), now if it is running and for a
 * backend started later. Resolves with the number in use: 1 where memory
 * cannot be shared (a browser page without cross-origin isolation; see
 * `backendInfo().singleThreadReason`), or until the wasm backend is started.
 * @example await sg.setThreads(2);
 */
export async function setThreads(n: number): Promise<number> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setThreads: n must be a positive integer, got ${n}`);
  wasmThreads = n;
  const b = ENGINE.backendInstance('wasm') as unknown as { setThreads?: (n: number) => Promise<number> } | undefined;
  return b?.setThreads ? b.setThreads(n) : 1;
}

registerWasmBackend();

/**
 * Picks the best available backend and returns its name: a hardware WebGPU
 * adapter when one is registered and works, else 'wasm' where WebAssembly
 * SIMD is available, else the CPU (a software WebGPU adapter such as
 * SwiftShader ranks below both here).
 */
export async function ready(): Promise<string> {
  registerWebGpuBackend();
  registerWasmBackend();
  for (const name of ENGINE.registeredBackends()) {
    if (name === 'cpu64') continue;
    try {
      await ENGINE.setBackend(name);
      const b = ENGINE.backend as unknown as { isSoftware?: boolean };
      if (name === 'webgpu' && b.isSoftware) continue;
      return name;
    } catch {
      // Try the next one.
    }
  }
  await ENGINE.setBackend('cpu');
  return 'cpu';
}

/** A description of the current backend. */
export function backendInfo(): Record<string, unknown> {
  const b = ENGINE.backend;
  const info = (b as unknown as { info?: () => Record<string, unknown> }).info;
  return info ? info.call(b) : { name: b.name, float64: b.float64 };
}
