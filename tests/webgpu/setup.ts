/**
 * Vitest setup: when the `webgpu` package yields an adapter (SwiftShader here),
 * registers the WebGPU backend and adds it to the backends the op suites
 * compare (`__SG_EXTRA_BACKENDS__`). Without an adapter nothing changes.
 */
import * as sg from '../../src/index.js';
import { createWebGpuBackend, getGpu } from '../../src/kernels/webgpu/backend.js';

const g = globalThis as { __SG_EXTRA_BACKENDS__?: string[]; __SG_WEBGPU__?: boolean };

async function probe(): Promise<boolean> {
  if (process.env.SG_NO_WEBGPU) return false;
  try {
    const adapter = await (await getGpu()).requestAdapter();
    return adapter !== null;
  } catch {
    return false;
  }
}

const found = await probe();
if (!found && process.env.SG_REQUIRE_WEBGPU) {
  // CI sets this: the WebGPU suites must run there, not be skipped silently.
  throw new Error('SG_REQUIRE_WEBGPU is set but the `webgpu` package found no adapter (is libvulkan1 installed and VK_ICD_FILENAMES pointing at SwiftShader?)');
}
if (found) {
  sg.registerBackend('webgpu', () => createWebGpuBackend({ allowSoftware: true }), -1);
  g.__SG_EXTRA_BACKENDS__ = ['webgpu'];
  g.__SG_WEBGPU__ = true;
}
