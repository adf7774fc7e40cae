/**
 * Vitest setup: where WebAssembly SIMD validates (Node 20+ always), adds the
 * wasm backend to the backends the op suites compare (`__SG_EXTRA_BACKENDS__`).
 * SG_NO_WASM=1 leaves it out.
 */
import { simdSupported } from '../../src/kernels/wasm/emitter.js';

const g = globalThis as { __SG_EXTRA_BACKENDS__?: string[] };

if (!process.env.SG_NO_WASM && simdSupported()) g.__SG_EXTRA_BACKENDS__ = [...(g.__SG_EXTRA_BACKENDS__ ?? []), 'wasm'];
