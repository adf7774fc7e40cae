/**
 * Elementwise ops against TensorFlow.js: every unary and binary table row on
 * six shapes (sizes 1, odd primes, non-powers of two, one a multiple of 4), broadcasting, special
 * values (NaN, ±Inf, ±0) and gradients.
 */
import { afterEach, beforeEach } from 'vitest';
import * as sg from '../../src/index.js';
import type { Gen, InputSpec } from '../helpers/check_op.js';
import { checkOp, expectNoLeak } from '../helpers/check_op.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

// [4, 6] has a multiple of 4 elements: webgpu runs the vec4 shaders on it, the scalar ones on the rest.
const SHAPES: number[][] = [[1], [7], [3, 33], [2, 3, 7], [127], [4, 6]];
// NaN, ±Inf, ±0, finite values whose result is special (log(0), log(-1), 1/0), ±1e30, then subnormals (GPUs may flush
// them), values past exp's overflow (88.72) and tanh's saturation (9.02). 20 elements run the vec4 shader, the first 19 the scalar one.
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2.5, -3.5, 1e30, -1e30, 0.5, 1e-40, -1e-40, 89, -89, 5, 9.5, -12, 20];

type TfFn = (t: never) => unknown;
interface UnaryRow {
  name: string;
  sg: (x: sg.Tensor) => sg.Tensor;
  tf: TfFn;
  gen?: Gen;
  grad?: boolean;
  special?: boolean;
  /** Values over a wide range (small and large magnitudes) for one more case, shape [61]. */
  wide?: Gen;
}

/** Log-uniform magnitudes in [lo, hi], with a random sign when `signed`. */
function logUniform(lo: number, hi: number, signed = false): Gen {
  return (r) => Math.fround((signed && r.next() < 0.5 ? -1 : 1) * lo * Math.pow(hi / lo, r.next()));
}

// tf is passed at call time; rows name the tfjs function.
const unary: UnaryRow[] = [
  { name: 'neg', sg: sg.neg, tf: 'neg' as never },
  { name: 'abs', sg: sg.abs, tf: 'abs' as never, gen: 'awayFromZero' },
  { name: 'square', sg: sg.square, tf: 'square' as never, wide: logUniform(1e-3, 1e3, true) },
  { name: 'sign', sg: sg.sign, tf: 'sign' as never, gen: 'awayFromZero', special: false },
  { name: 'relu', sg: sg.relu, tf: 'relu' as never, gen: 'awayFromZero' },
  { name: 'relu6', sg: sg.relu6, tf: 'relu6' as never, gen: (r) => Math.fround((r.next() < 0.5 ? -1 : 1) * (0.1 + 8 * r.next())) },
  { name: 'exp', sg: sg.exp, tf: 'exp' as never, wide: (r) => Math.fround(r.normal() * 8) },
  { name: 'expm1', sg: sg.expm1, tf: 'expm1' as never, wide: (r) => Math.fround(r.normal() * 8) },
  { name: 'log', sg: sg.log, tf: 'log' as never, gen: 'positive', wide: logUniform(1e-3, 1e3) },
  { name: 'log1p', sg: sg.log1p, tf: 'log1p' as never, gen: 'positive', wide: (r) => Math.fround(r.next() < 0.3 ? -0.99 * r.next() : 1e-3 * Math.pow(1e6, r.next())) },
  { name: 'sqrt', sg: sg.sqrt, tf: 'sqrt' as never, gen: 'positive', wide: logUniform(1e-3, 1e3) },
  { name: 'rsqrt', sg: sg.rsqrt, tf: 'rsqrt' as never, gen: 'positive', wide: logUniform(1e-3, 1e3) },
  { name: 'reciprocal', sg: sg.reciprocal, tf: 'reciprocal' as never, gen: 'positive', wide: logUniform(1e-3, 1e3, true) },
  { name: 'sin', sg: sg.sin, tf: 'sin' as never, wide: logUniform(1e-3, 1e3, true) },
  { name: 'cos', sg: sg.cos, tf: 'cos' as never, wide: logUniform(1e-3, 1e3, true) },
  { name: 'floor', sg: sg.floor, tf: 'floor' as never, gen: (r) => Math.fround(r.normal() * 3 + 0.01) },
  { name: 'ceil', sg: sg.ceil, tf: 'ceil' as never, gen: (r) => Math.fround(r.normal() * 3 + 0.01) },
  { name: 'round', sg: sg.round, tf: 'round' as never, gen: (r) => Math.fround(r.normal() * 3 + 0.01) },
  { name: 'sigmoid', sg: sg.sigmoid, tf: 'sigmoid' as never, wide: (r) => Math.fround(r.normal() * 8) },
  { name: 'tanh', sg: sg.tanh, tf: 'tanh' as never },
  { name: 'softplus', sg: sg.softplus, tf: 'softplus' as never, wide: (r) => Math.fround(r.normal() * 8) },
  { name: 'elu', sg: (x) => sg.elu(x), tf: 'elu' as never, gen: 'awayFromZero' },
  { name: 'selu', sg: sg.selu, tf: 'selu' as never, gen: 'awayFromZero' },
  { name: 'leakyRelu', sg: (x) => sg.leakyRelu(x, 0.3), tf: ((tf: any, x: any) => tf.leakyRelu(x, 0.3)) as never, gen: 'awayFromZero' },
  { name: 'step', sg: (x) => sg.step(x), tf: 'step' as never, gen: 'awayFromZero' },
  { name: 'clipByValue', sg: (x) => sg.clipByValue(x, -0.5, 0.7), tf: ((tf: any, x: any) => tf.clipByValue(x, -0.5, 0.7)) as never, gen: (r) => Math.fround(r.normal() + 0.003) },
];

function tfCall(row: { tf: TfFn }) {
  return (tf: any, ...xs: any[]) => (typeof row.tf === 'string' ? tf[row.tf as string](...xs) : (row.tf as any)(tf, ...xs));
}

for (const row of unary) {
  const cases: { label?: string; inputs: InputSpec[] }[] = SHAPES.map((shape) => ({ inputs: [{ shape, gen: row.gen }] }));
  if (row.wide) cases.push({ label: 'wide range [61]', inputs: [{ shape: [61], gen: row.wide }] });
  checkOp({ op: row.name, sg: row.sg, tf: tfCall(row), cases, grad: row.grad });
  if (row.special !== false) {
    checkOp({
      op: `${row.name} special values`,
      sg: row.sg,
      tf: tfCall(row),
      cases: [
        { label: 'NaN ±Inf ±0', inputs: [{ shape: [SPECIAL.length], gen: SPECIAL }] },
        { label: 'NaN ±Inf ±0, scalar shader', inputs: [{ shape: [SPECIAL.length - 1], gen: SPECIAL }] },
      ],
      grad: false,
    });
  }
}

// Past the saturation points every element is compared, so a kernel that clamps tanh's input too early (at ±4, say)
// or saturates sigmoid/softplus/elu wrongly fails here; both shader kinds, values and gradients.
const beyond4 = (r: sg.Rng): number => Math.fround((r.next() < 0.5 ? -1 : 1) * (4 + 11 * r.next()));
for (const name of ['tanh', 'sigmoid', 'softplus', 'elu', 'selu', 'exp'] as const) {
  checkOp({
    op: `${name} at |x| in (4, 15)`,
    sg: (x) => (sg as any)[name](x),
    tf: (tf: any, x: any) => tf[name](x),
    cases: [[4, 6], [23]].map((shape) => ({ inputs: [{ shape, gen: beyond4 }] })),
  });
}

// sin/cos over the whole float32 range (WGSL's builtins are only specified on [-π, π]; SwiftShader's sin(1e30) was 1),
// including values next to multiples of π/2 where the reduced argument cancels. Gradients at such sizes are not
// testable by finite differences (x ± h is x in float64 beyond 1e11), so forward only.
for (const name of ['sin', 'cos'] as const) {
  checkOp({
    op: `${name} huge arguments`,
    sg: (x) => sg[name](x),
    tf: (tf: any, x: any) => tf[name](x),
    cases: [
      { label: 'log-uniform 1..3e38, vec4 shader', inputs: [{ shape: [64], gen: logUniform(1, 3e38, true) }] },
      { label: 'near multiples of π/2, scalar shader', inputs: [{ shape: [63], gen: (r: sg.Rng, i: number) => Math.fround((Math.PI / 2) * Math.round(r.next() * 10 ** (1 + (i % 9)))) }] },
    ],
    grad: false,
  });
}

// Relative accuracy where results are small or cancel, which the default atol (1e-5) does not see: SwiftShader's
// builtins were 28% off for tanh(2e-7), 65% for log1p(-1e-7) (via its log near 1, 13% off), 0.7% for expm1(1e-5).
// The kernels' own formulas must hold 1e-5 relative on every element.
const RELATIVE: [string, Gen][] = [
  ['expm1', logUniform(1e-7, 1, true)],
  ['log1p', logUniform(1e-7, 0.9, true)],
  ['tanh', logUniform(1e-7, 9, true)],
  ['sin', logUniform(1e-7, 1e6, true)],
  ['cos', (r) => Math.fround((Math.PI / 2) * (1 + 2 * r.int(1000)) + (r.next() - 0.5) * 1e-2)],
  ['elu', (r) => Math.fround(-1e-7 * Math.pow(1e7, r.next()))],
  ['log', (r) => Math.fround(r.next() < 0.5 ? 1 + (r.next() - 0.5) * 1e-3 : 1e-30 * Math.pow(1e60, r.next()))],
  ['exp', (r) => Math.fround(-80 + 165 * r.next())],
  ['sigmoid', (r) => Math.fround(-80 + 160 * r.next())],
  ['softplus', (r) => Math.fround(-80 + 160 * r.next())],
];
for (const [name, gen] of RELATIVE) {
  checkOp({
    op: `${name} to 1e-5 relative`,
    sg: (x) => (sg as any)[name](x),
    tf: (tf: any, x: any) => tf[name](x),
    cases: [[64], [61]].map((shape) => ({ inputs: [{ shape, gen }] })),
    tol: { rtol: 1e-5, atol: 1e-37 },
  });
}

checkOp({ op: 'logicalNot', sg: sg.logicalNot, tf: tfCall({ tf: 'logicalNot' as never }), cases: SHAPES.map((shape) => ({ inputs: [{ shape, dtype: 'bool' as const }] })) });
checkOp({ op: 'neg int32', sg: sg.neg, tf: tfCall({ tf: 'neg' as never }), cases: SHAPES.map((shape) => ({ inputs: [{ shape, dtype: 'int32' as const }] })) });
checkOp({ op: 'cast float→int32', sg: (x) => sg.cast(x, 'int32'), tf: (tf, x) => tf.cast(x, 'int32'), cases: SHAPES.map((shape) => ({ inputs: [{ shape, gen: (r: sg.Rng) => Math.fround(r.normal() * 4) }] })), grad: false });
checkOp({ op: 'cast float→bool', sg: (x) => sg.cast(x, 'bool'), tf: (tf, x) => tf.cast(x, 'bool'), cases: SHAPES.map((shape) => ({ inputs: [{ shape, gen: [0, 1, -2, 0.5, 0] }] })), grad: false });

// Binary ops: equal shapes, scalar, row/column broadcasting, rank-extending broadcasting.
const BIN_CASES: [number[], number[]][] = [
  [[1], [1]],
  [[7], [7]],
  [[3, 33], [33]],
  [[2, 3, 7], [3, 1]],
  [[127], [1]],
  [[5, 1], [1, 11]],
  // vec4 on webgpu: whole operands, and an operand repeating along leading dims (a bias).
  [[4, 6], [4, 6]],
  [[2, 3, 8], [3, 8]],
  [[16], [1, 16]],
];
interface BinaryRow {
  name: string;
  sg: (a: sg.Tensor, b: sg.Tensor) => sg.Tensor;
  ga?: Gen;
  gb?: Gen;
  dtype?: 'float32' | 'int32' | 'bool';
  grad?: boolean;
}
const binary: BinaryRow[] = [
  { name: 'add', sg: sg.add },
  { name: 'sub', sg: sg.sub },
  { name: 'mul', sg: sg.mul },
  { name: 'div', sg: sg.div, gb: 'awayFromZero' },
  { name: 'pow', sg: sg.pow, ga: 'positive', gb: 'unit' },
  { name: 'maximum', sg: sg.maximum, ga: 'distinct', gb: 'normal' },
  { name: 'minimum', sg: sg.minimum, ga: 'distinct', gb: 'normal' },
  { name: 'squaredDifference', sg: sg.squaredDifference },
  { name: 'equal', sg: sg.equal, ga: 'int', gb: 'int' },
  { name: 'notEqual', sg: sg.notEqual, ga: 'int', gb: 'int' },
  { name: 'greater', sg: sg.greater },
  { name: 'greaterEqual', sg: sg.greaterEqual, ga: 'int', gb: 'int' },
  { name: 'less', sg: sg.less },
  { name: 'lessEqual', sg: sg.lessEqual, ga: 'int', gb: 'int' },
  { name: 'logicalAnd', sg: sg.logicalAnd, dtype: 'bool' },
  { name: 'logicalOr', sg: sg.logicalOr, dtype: 'bool' },
  { name: 'add int32', sg: sg.add, dtype: 'int32' },
  { name: 'mul int32', sg: sg.mul, dtype: 'int32' },
  { name: 'floorDiv int32', sg: sg.div, dtype: 'int32', gb: [1, 2, -3, 4, 5, -2, 7] },
];
const WIDE_BINARY = ['add', 'sub', 'mul', 'div', 'squaredDifference'];
for (const row of binary) {
  const tfName = row.name.split(' ')[0].replace('floorDiv', 'div');
  // tfjs's maximum/minimum/squaredDifference gradients ignore broadcasting: broadcast explicitly for the reference.
  const explicit = ['maximum', 'minimum', 'squaredDifference'].includes(tfName);
  const nondiff = ['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'logicalAnd', 'logicalOr'].includes(tfName) || row.dtype === 'int32';
  checkOp({
    op: row.name,
    sg: row.sg,
    grad: !nondiff,
    tf: (tf: any, a: any, b: any) => {
      if (!explicit) return tf[tfName](a, b);
      const s = tf.broadcastArgs(tf.tensor1d(a.shape, 'int32'), tf.tensor1d(b.shape, 'int32')).arraySync();
      return tf[tfName](tf.broadcastTo(a, s), tf.broadcastTo(b, s));
    },
    cases: [
      ...BIN_CASES.map(([sa, sb]) => ({ inputs: [{ shape: sa, gen: row.ga, dtype: row.dtype }, { shape: sb, gen: row.gb, dtype: row.dtype }] })),
      // Magnitudes from 1e-3 to 1e3, both signs, for the float arithmetic rows.
      ...(WIDE_BINARY.includes(row.name) ? [{ label: 'wide range [61]', inputs: [{ shape: [61], gen: logUniform(1e-3, 1e3, true) }, { shape: [61], gen: logUniform(1e-3, 1e3, true) }] }] : []),
    ],
  });
}
const SPECIAL_B = [NaN, 1, Infinity, -Infinity, 0, -0, 2, -2, 1e30, 3];
const SPECIAL_A = [1, NaN, Infinity, Infinity, 0, 1, -0, -1e30, 1e30, -3];
for (const name of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'squaredDifference', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual'] as const) {
  checkOp({
    op: `${name} special values`,
    sg: (a, b) => (sg as any)[name](a, b),
    tf: (tf: any, a: any, b: any) => tf[name](a, b),
    cases: [
      { label: 'NaN ±Inf ±0', inputs: [{ shape: [10], gen: SPECIAL_A }, { shape: [10], gen: SPECIAL_B }] },
      // Both operands whole [8]: the vec4 shader.
      { label: 'NaN ±Inf ±0, vec4 shader', inputs: [{ shape: [8], gen: SPECIAL_A }, { shape: [8], gen: SPECIAL_B }] },
    ],
    grad: false,
  });
}

// Comparisons, maximum/minimum and sign on subnormals and signed zeros: GPUs may flush subnormals to 0 in float
// comparisons (1e-40 > 0 false), so the kernels compare bits; a flush here would flip a 0/1 result.
const SUB_A = [1e-40, 0, -1e-40, 1e-40, -0, 1e-38, 2e-40, -1e-40];
const SUB_B = [0, 1e-40, 0, 1e-40, 0, 1e-40, 1e-40, -2e-40];
for (const name of ['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'maximum', 'minimum'] as const) {
  checkOp({
    op: `${name} subnormals`,
    sg: (a, b) => (sg as any)[name](a, b),
    tf: (tf: any, a: any, b: any) => tf[name](a, b),
    cases: [
      { label: 'vec4 shader', inputs: [{ shape: [8], gen: SUB_A }, { shape: [8], gen: SUB_B }] },
      { label: 'scalar shader', inputs: [{ shape: [7], gen: SUB_A }, { shape: [7], gen: SUB_B }] },
    ],
    grad: false,
  });
}
checkOp({
  op: 'sign subnormals and ±0',
  sg: sg.sign,
  tf: (tf: any, x: any) => tf.sign(x),
  cases: [{ label: 'no NaN (tf.sign(NaN) is 0, Math.sign NaN)', inputs: [{ shape: [8], gen: [1e-40, -1e-40, 0, -0, Infinity, -Infinity, 3, -2] }] }],
  grad: false,
});

// pow's gradients away from positive bases. d/db aᵇ = aᵇ·ln a is taken as 0 where a <= 0 (as tf.grads does); without
// that guard it is NaN there (ln of a negative, 0·ln 0). Negative bases take integer exponents (a finite forward); their
// exponent gradient is compared with tf.grads only, as (−2)^(3±h) is NaN. Zero bases take integer exponents >= 1, so both
// gradients are finite and finite differences hold. Wide bases span 1e-2..1e2 with exponents in (−3, 3).
checkOp({
  op: 'pow non-positive and wide bases',
  sg: sg.pow,
  tf: (tf: any, a: any, b: any) => tf.pow(a, b),
  cases: [
    { label: 'negative bases, integer exponents', inputs: [{ shape: [5, 7], gen: (r: sg.Rng) => Math.fround(-0.5 - 2.5 * r.next()) }, { shape: [7], gen: [-3, -2, -1, 1, 2, 3, 4] }], fdInputs: [0] },
    { label: 'zero bases, integer exponents >= 1', inputs: [{ shape: [9], gen: [0, 0, 0, 0, 1.5, 0.75, 0.5, 2, 1.25] }, { shape: [9], gen: [1, 2, 3, 4, 2, 3, 1.5, 1, 2.5] }] },
    { label: 'wide positive bases', inputs: [{ shape: [61], gen: logUniform(1e-2, 1e2) }, { shape: [61], gen: (r: sg.Rng) => Math.fround(6 * r.next() - 3) }] },
  ],
});

// pow's special cases (Math.pow's, as TensorFlow.js's CPU backend): x^±0 = 1 even for NaN x, 1^±Inf = NaN, negative
// bases with integer and non-integer exponents, ±0 and ±Inf bases with odd/even/fractional exponents, overflow,
// underflow, subnormal bases.
const POW_PAIRS: [number, number][] = [
  [NaN, 0], [NaN, -0], [1, Infinity], [-1, -Infinity], [1, NaN], [NaN, 1], [-2, 0.5], [-8, 1 / 3], [-2, 3], [-2, 2], [-2, -3],
  [0, -1], [-0, -1], [-0, -2], [0, 0.5], [-0, 0.5], [-0, 3], [0, -0.5], [-0, -0.5], [Infinity, -1], [-Infinity, 3], [-Infinity, 2],
  [-Infinity, -3], [-Infinity, 0.5], [-Infinity, -0.5], [0.5, Infinity], [0.5, -Infinity], [2, Infinity], [2, -Infinity],
  [-0.5, Infinity], [-3, -Infinity], [2, 200], [-2, 201], [2, -200], [10, 38], [10, 39], [1e-40, 0.5], [1e-40, 2], [3e-39, -1], [-1e30, 3],
  [2, 1e-40], [-2, 1e-40], [0, -1e-40], [Infinity, -1e-40],
];
checkOp({
  op: 'pow edge cases',
  sg: sg.pow,
  tf: (tf: any, a: any, b: any) => tf.pow(a, b),
  cases: [
    { label: 'Math.pow cases', inputs: [{ shape: [POW_PAIRS.length], gen: POW_PAIRS.map((p) => p[0]) }, { shape: [POW_PAIRS.length], gen: POW_PAIRS.map((p) => p[1]) }] },
    { label: 'Math.pow cases, vec4 shader', inputs: [{ shape: [44], gen: POW_PAIRS.map((p) => p[0]) }, { shape: [44], gen: POW_PAIRS.map((p) => p[1]) }] },
  ],
  grad: false,
});

checkOp({
  op: 'where',
  sg: (c, a, b) => sg.where(c, a, b),
  tf: (tf, c, a, b) => tf.where(c as any, a, b),
  cases: [
    { inputs: [{ shape: [1], dtype: 'bool' }, { shape: [1] }, { shape: [1] }] },
    { inputs: [{ shape: [7], dtype: 'bool' }, { shape: [7] }, { shape: [7] }] },
    { inputs: [{ shape: [3, 33], dtype: 'bool' }, { shape: [3, 33] }, { shape: [33] }] },
    { inputs: [{ shape: [2, 3, 7], dtype: 'bool' }, { shape: [3, 7] }, { shape: [2, 3, 7] }] },
    { inputs: [{ shape: [127], dtype: 'bool' }, { shape: [127] }, { shape: [1] }] },
  ],
});
