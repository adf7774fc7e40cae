/**
 * WebGPU device setup: finding `navigator.gpu` (or the optional `webgpu`
 * package in Node) and requesting an adapter and a device with its limits.
 */

/** The device limits the backend reports and requests from the adapter. */
export const LIMIT_NAMES = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxUniformBufferBindingSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
] as const;

/** The `LIMIT_NAMES` limits of a device or adapter. */
export function limitsOf(limits: GPUSupportedLimits): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of LIMIT_NAMES) out[k] = (limits as unknown as Record<string, number>)[k];
  return out;
}

/** Options of `createWebGpuBackend`. */
export interface WebGpuOptions {
  device?: GPUDevice;
  /** Accept a software adapter (SwiftShader, fallback). Default true. */
  allowSoftware?: boolean;
  /** Request the adapter's own limits (default) or WebGPU's defaults. */
  requiredLimits?: 'adapter' | 'default';
  /** Dispatches recorded before an automatic submit (default 64). */
  maxPending?: number;
  /**
   * Debug mode: every dispatch runs under validation and out-of-memory error
   * scopes and is submitted on its own, so a GPU error names the op and shader
   * that caused it (slow; for finding bugs). Toggle later with `backend.debug`.
   */
  debug?: boolean;
}

let nodeGpu: GPU | null = null;

/** navigator.gpu in browsers; in Node one cached instance from the optional `webgpu` package. */
export async function getGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (nav) return nav;
  if (nodeGpu) return nodeGpu;
  let mod: { create: (o: string[]) => GPU; globals: object };
  try {
    const name = 'webgpu';
    // Left to run time by Vite and webpack (a variable request would otherwise warn, or make webpack bundle a context).
    mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as typeof mod;
  } catch (e) {
    throw new Error(`webgpu: no navigator.gpu and the optional 'webgpu' package could not be loaded (${(e as Error).message})`);
  }
  Object.assign(globalThis, mod.globals);
  nodeGpu = mod.create([]);
  return nodeGpu;
}

/** Requests an adapter and a device as `opts` asks; returns the device with what the adapter says of itself. */
export async function requestDevice(opts: WebGpuOptions = {}): Promise<{ device: GPUDevice; adapterInfo: Record<string, unknown> }> {
  const gpu = await getGpu();
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('webgpu: no GPU adapter available');
  const ai = adapter.info ?? ({} as GPUAdapterInfo);
  const isFallback = Boolean((adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (ai as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  const adapterInfo: Record<string, unknown> = {
    vendor: ai.vendor,
    architecture: ai.architecture,
    device: ai.device,
    description: ai.description,
    isFallbackAdapter: isFallback,
  };
  const software = isFallback || ai.architecture === 'swiftshader';
  if (software && opts.allowSoftware === false) throw new Error(`webgpu: only a software adapter is available (${ai.vendor} ${ai.architecture})`);
  const requiredLimits: Record<string, number> = (opts.requiredLimits ?? 'adapter') === 'adapter' ? limitsOf(adapter.limits) : {};
  // Timestamp queries, where offered, let sg.debug time single kernels on the GPU itself.
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  return { device, adapterInfo };
}
