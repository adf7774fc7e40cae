/**
 * The layer parity suite (every layer's output, input and weight gradients,
 * and 5-step optimizer trajectories, against tfjs-cpu) with shadergrad on
 * webgpu (Dawn + SwiftShader in Node). Skipped when no WebGPU adapter exists.
 */
import { describe } from 'vitest';
import { forwardBackends } from '../helpers/backends.js';

const hasGpu = forwardBackends().includes('webgpu');
if (hasGpu) {
  (globalThis as { __SG_PARITY_BACKEND__?: string }).__SG_PARITY_BACKEND__ = 'webgpu';
  await import('./parity.test.js');
} else {
  describe.skip('layer parity on webgpu (no adapter)', () => {});
}
