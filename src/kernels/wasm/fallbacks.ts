/**
 * The ops the wasm backend runs with the JavaScript CPU kernel (on views of
 * wasm memory, no copy), each with the reason. Kept apart from the kernels so
 * `sg.kernels.list()` can say which ops have a wasm kernel without loading them.
 */
import type { OpName } from '../op_names.js';

/** Ops whose wasm backend runs the JavaScript kernel on views of wasm memory, with the reason. */
export const JS_FALLBACK = {
  sign: 'no SIMD sign; rare',
  expm1: 'exp(x) − 1 in f32 loses all digits near 0; needs its own series (Math.expm1 in JS)',
  log: 'no SIMD log yet (simd_math.ts has exp only)',
  log1p: 'no SIMD log yet',
  rsqrt: 'rare outside layer norm; Math.sqrt in float64 keeps it exact',
  reciprocal: 'rare; exact in JS',
  sin: 'no SIMD sin/cos (range reduction); rare in these models',
  cos: 'no SIMD sin/cos (range reduction); rare in these models',
  softplus: 'needs log1p',
  elu: 'needs expm1 (see expm1)',
  selu: 'needs expm1 (see expm1)',
  logicalNot: 'bool data',
  floorDiv: 'int32 semantics (zero divisor gives 0)',
  pow: 'needs log and exp with TensorFlow\'s sign rules',
  equal: 'bool output',
  notEqual: 'bool output',
  greater: 'bool output',
  greaterEqual: 'bool output',
  less: 'bool output',
  lessEqual: 'bool output',
  logicalAnd: 'bool data',
  logicalOr: 'bool data',
  cast: 'a copy with conversion: memory-bound either way',
  where: 'three-way broadcast; memory-bound',
  transpose: 'movement: memory-bound index arithmetic',
  reshape: 'never runs: the engine shares the data (incRef)',
  concat: 'movement',
  slice: 'movement',
  pad: 'movement',
  tile: 'movement',
  gather: 'movement with int32 indices',
  scatterAdd: 'movement with int32 indices',
  oneHot: 'int32 output',
  any: 'bool data',
  all: 'bool data',
  argMax: 'int32 output, first-index tie rule',
  argMin: 'int32 output, first-index tie rule',
  softmax: 'small [B, classes] rows in these models; a row max/sum needs scalar tails',
  logSoftmax: 'needs log',
  avgPool: 'rare in the models here (max pooling is the hot one); JS loop over windows',
  avgPoolGrad: 'rare in the models here; JS loop over windows',
} as const satisfies Partial<Record<OpName, string>>;
