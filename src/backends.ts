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

/** Options of `ready()`. */
export interface ReadyOptions {
  /**
   * Whether to try WebGPU. Default: yes in browsers (navigator.gpu); in Node
   * only when the environment variable SHADERGRAD_WEBGPU=1 is set, because the
   * `webgpu` package's native Dawn code prints adapter warnings to stderr
   * while probing, even when it ends on the CPU. `true` probes in Node too.
   */
  webgpu?: boolean;
}

/** True where probing WebGPU is silent (a browser's navigator.gpu) or asked for by SHADERGRAD_WEBGPU=1. */
function probeWebGpuByDefault(): boolean {
  if ((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) return true;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.SHADERGRAD_WEBGPU === '1';
}

/**
 * Picks the best available backend and returns its name: a hardware WebGPU
 * adapter when one is registered, works and is wanted (see
 * `ReadyOptions.webgpu`), else the CPU (a software WebGPU adapter such as
 * SwiftShader ranks below the CPU here).
 * @example await sg.ready(); // 'cpu' in Node unless asked: await sg.ready({ webgpu: true })
 */
export async function ready(opts: ReadyOptions = {}): Promise<string> {
  if (typeof opts !== 'object' || opts === null) throw new Error(`ready: expected an options object like { webgpu: true }, got ${String(opts)}`);
  for (const k of Object.keys(opts)) if (k !== 'webgpu') throw new Error(`ready: unknown option '${k}'; known options: webgpu`);
  const wantGpu = opts.webgpu ?? probeWebGpuByDefault();
  registerWebGpuBackend();
  for (const name of ENGINE.registeredBackends()) {
    if (name === 'cpu64') continue;
    if (name === 'webgpu' && !wantGpu) continue;
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
