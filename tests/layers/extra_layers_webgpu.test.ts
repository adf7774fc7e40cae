/**
 * The merge / layerNormalization / timeDistributed / repeatVector parity cases
 * (forward, input and weight gradients against tfjs-cpu) with shadergrad on
 * webgpu (Dawn + SwiftShader in Node). Skipped when no WebGPU adapter exists.
 */
import { describe } from 'vitest';
import { forwardBackends } from '../helpers/backends.js';

const hasGpu = forwardBackends().includes('webgpu');
if (hasGpu) {
  (globalThis as { __SG_EXTRA_LAYERS_BACKEND__?: string }).__SG_EXTRA_LAYERS_BACKEND__ = 'webgpu';
  await import('./extra_layers.test.js');
} else {
  describe.skip('extra layers parity on webgpu (no adapter)', () => {});
}
