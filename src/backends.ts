/** Choosing and describing backends. */
import { createWebGpuBackend } from './kernels/webgpu/backend.js';
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
 * `setBackend('webgpu')` or `ready()`). The runtime is imported statically:
 * in a one-file bundle a dynamic import saves nothing and makes the bundler wrap
 * every module in a lazy initializer, which stops consumers' tree-shaking.
 * An explicit `setBackend('webgpu')` accepts a software adapter.
 */
export function registerWebGpuBackend(): void {
  if (ENGINE.registeredBackends().includes('webgpu')) return;
  ENGINE.registerBackend(
    'webgpu',
    () => createWebGpuBackend({ allowSoftware: true, debug: debugMode }),
    2,
  );
}

registerWebGpuBackend();

/**
 * Switches backend (`'cpu'`, `'wasm'`, `'webgpu'`, or a registered test backend).
 * Registers the built-in backends first, so a bundle that keeps only this
 * function (a consumer bundling the sources drops this module's load-time
 * registrations when it uses none of its exports: package.json's
 * `sideEffects`) still finds them.
 * @example await sg.setBackend('wasm');
 */
export async function setBackend(name: string): Promise<void> {
  registerWebGpuBackend();
  registerWasmBackend();
  await ENGINE.setBackend(name);
}

/** Options of `ready()`. */
export interface ReadyOptions {
  /**
   * Whether to try WebGPU. Default: yes. In Node, the `webgpu` package's
   * native Dawn code prints adapter warnings to stderr while it probes, even
   * when it ends on the CPU; so by default Node asks a short-lived child
   * process first (its output is dropped) and opens WebGPU in this process
   * only when the child found a hardware adapter. `true` probes in this
   * process directly; `false` (or SHADERGRAD_WEBGPU=0) never tries WebGPU.
   */
  webgpu?: boolean;
}

type NodeProcess = { versions?: { node?: string }; env?: Record<string, string | undefined>; execPath?: string };

let hardwareProbe: Promise<boolean> | null = null;

/**
 * In Node: whether the optional `webgpu` package finds a hardware adapter, asked
 * of a child process whose stderr (Dawn's and Vulkan's warnings) is dropped.
 * False when the package is missing, the adapter is a software one, or the
 * child fails or takes over 20 s. Asked once per process.
 */
function nodeHasHardwareGpu(): Promise<boolean> {
  hardwareProbe ??= (async () => {
    const proc = (globalThis as { process?: NodeProcess }).process;
    if (!proc?.versions?.node || !proc.execPath) return false;
    let spec = 'webgpu';
    try {
      // A variable, not a literal: webpack 5 resolves `import.meta.resolve('webgpu')` at build time
      // and fails an app's build where the optional package is not installed.
      spec = (import.meta as { resolve?: (s: string) => string }).resolve?.(spec) ?? spec;
    } catch {
      return false; // not installed: nothing to probe
    }
    const script =
      'const m = await import(process.argv[1]); const a = await m.create([]).requestAdapter(); const i = a?.info ?? {};' +
      "process.stdout.write(JSON.stringify(a ? { software: Boolean(a.isFallbackAdapter || i.isFallbackAdapter) || i.architecture === 'swiftshader' } : null)); process.exit(0);";
    try {
      // A literal specifier: the browser build maps it to a stub (never reached there: no process.versions.node).
      const { execFile } = await import('node:child_process');
      const out = await new Promise<string>((resolve) => {
        execFile(proc.execPath!, ['--input-type=module', '-e', script, spec], { timeout: 20_000, encoding: 'utf8' }, (err, stdout) => resolve(err ? 'null' : stdout));
      });
      const r = JSON.parse(out || 'null') as { software: boolean } | null;
      return r !== null && !r.software;
    } catch {
      return false;
    }
  })();
  return hardwareProbe;
}

/** Whether ready() should open WebGPU in this process. */
async function wantWebGpu(opts: ReadyOptions): Promise<boolean> {
  if (opts.webgpu !== undefined) return opts.webgpu;
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (proc?.env?.SHADERGRAD_WEBGPU === '0') return false;
  if (proc?.env?.SHADERGRAD_WEBGPU === '1') return true;
  if ((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) return true;
  return nodeHasHardwareGpu();
}

/**
 * Registers the 'wasm' backend factory (cheap: its kernels are compiled on `setBackend('wasm')` or `ready()`). Starting it fails
 * where WebAssembly SIMD is missing, and `ready()` then moves on to 'cpu'.
 *
 * Unlike the WebGPU runtime, the wasm backend is imported dynamically, when it
 * is first started: the published bundles are built with code splitting, so it
 * is a chunk of its own (about 13 KiB gz) that an app bundler (Vite, webpack,
 * esbuild --splitting) also keeps apart, fetched only where wasm is chosen.
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
 * adapter when one is registered and works (in browsers navigator.gpu, in
 * Node the optional `webgpu` package, probed silently: see
 * `ReadyOptions.webgpu`), else 'wasm' where WebAssembly SIMD is available,
 * else the CPU (a software WebGPU adapter such as SwiftShader ranks below
 * both here).
 * @example await sg.ready(); // 'webgpu' on a hardware GPU, else 'wasm', else 'cpu'; nothing printed
 */
export async function ready(opts: ReadyOptions = {}): Promise<string> {
  if (typeof opts !== 'object' || opts === null) throw new Error(`ready: expected an options object like { webgpu: true }, got ${String(opts)}`);
  for (const k of Object.keys(opts)) if (k !== 'webgpu') throw new Error(`ready: unknown option '${k}'; known options: webgpu`);
  const wantGpu = await wantWebGpu(opts);
  registerWebGpuBackend();
  registerWasmBackend();
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
