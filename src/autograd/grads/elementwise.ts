/**
 * Derivatives of the elementwise ops: the table ops, one line each, keyed by
 * the same names as `src/kernels/elementwise/table.ts`, and cast and where. `x` is the input, `y` the
 * output, `dy` the incoming gradient.
 */
import type { BinaryOp, UnaryOp } from '../../kernels/elementwise/table.js';
import * as ops from '../../tensor/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { GradRule } from '../rule.js';
import { mask, reduceTo } from '../rule.js';

type U = (dy: Tensor, x: Tensor, y: Tensor, alpha: number, beta: number) => Tensor;
const SELU_SCALE = 1.0507009873554804934193349852946;
const SELU_ALPHA = 1.6732632423543772848170429916717;

const unary: { [K in UnaryOp]: U | 'nondiff' } = {
  // d(-x) = -1
  neg: (dy) => ops.neg(dy),
  // d|x| = 1 for x > 0, -1 otherwise (TensorFlow's choice at 0)
  abs: (dy, x) => ops.mul(dy, ops.step(x, -1)),
  // d(x²) = 2x
  square: (dy, x) => ops.mul(dy, ops.mul(x, 2)),
  // sign is flat almost everywhere
  sign: (dy) => ops.zerosLike(dy),
  // d relu = 1 for x > 0
  relu: (dy, x) => ops.mul(dy, ops.step(x)),
  // d relu6 = 1 for 0 < x <= 6
  relu6: (dy, x) => ops.mul(dy, mask(ops.logicalAnd(ops.greater(x, 0), ops.lessEqual(x, 6)))),
  // d eˣ = eˣ = y
  exp: (dy, _x, y) => ops.mul(dy, y),
  // d(eˣ − 1) = eˣ
  expm1: (dy, x) => ops.mul(dy, ops.exp(x)),
  // d ln x = 1/x
  log: (dy, x) => ops.div(dy, x),
  // d ln(1+x) = 1/(1+x)
  log1p: (dy, x) => ops.div(dy, ops.add(x, 1)),
  // d √x = 1/(2√x) = 1/(2y)
  sqrt: (dy, _x, y) => ops.div(dy, ops.mul(y, 2)),
  // d x^(-1/2) = -1/2 x^(-3/2) = -y/(2x)
  rsqrt: (dy, x, y) => ops.mul(dy, ops.div(ops.mul(y, -0.5), x)),
  // d(1/x) = -1/x²
  reciprocal: (dy, x) => ops.neg(ops.div(dy, ops.square(x))),
  // d sin = cos
  sin: (dy, x) => ops.mul(dy, ops.cos(x)),
  // d cos = -sin
  cos: (dy, x) => ops.neg(ops.mul(dy, ops.sin(x))),
  // floor/ceil/round are flat almost everywhere
  floor: (dy) => ops.zerosLike(dy),
  ceil: (dy) => ops.zerosLike(dy),
  round: (dy) => ops.zerosLike(dy),
  // d σ = σ(1 − σ)
  sigmoid: (dy, _x, y) => ops.mul(dy, ops.mul(y, ops.sub(1, y))),
  // d tanh = 1 − tanh²
  tanh: (dy, _x, y) => ops.mul(dy, ops.sub(1, ops.square(y))),
  // d softplus = σ(x)
  softplus: (dy, x) => ops.mul(dy, ops.sigmoid(x)),
  // d elu = 1 for x > 0, y + alpha otherwise
  elu: (dy, x, y, alpha) => ops.where(ops.greater(x, 0), dy, ops.mul(dy, ops.add(y, alpha))),
  // d selu = scale for x > 0, scale·alpha·eˣ otherwise
  selu: (dy, x) => ops.where(ops.greater(x, 0), ops.mul(dy, SELU_SCALE), ops.mul(dy, ops.mul(ops.exp(x), SELU_SCALE * SELU_ALPHA))),
  // d leakyRelu = 1 for x > 0, alpha otherwise
  leakyRelu: (dy, x, _y, alpha) => ops.where(ops.greater(x, 0), dy, ops.mul(dy, alpha)),
  // step is flat almost everywhere
  step: (dy) => ops.zerosLike(dy),
  // d clip = 1 inside [min, max]
  clipByValue: (dy, x, _y, lo, hi) => ops.where(ops.logicalAnd(ops.greaterEqual(x, lo), ops.lessEqual(x, hi)), dy, ops.zerosLike(dy)),
  logicalNot: 'nondiff',
};

type B = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];

const binary: { [K in BinaryOp]: B | 'nondiff' } = {
  // d(a+b) = (1, 1)
  add: (dy) => [dy, dy],
  // d(a−b) = (1, −1)
  sub: (dy) => [dy, ops.neg(dy)],
  // d(ab) = (b, a)
  mul: (dy, a, b) => [ops.mul(dy, b), ops.mul(dy, a)],
  // d(a/b) = (1/b, −a/b²)
  div: (dy, a, b) => [ops.div(dy, b), ops.neg(ops.div(ops.mul(dy, a), ops.square(b)))],
  floorDiv: 'nondiff',
  // d(aᵇ) = (b·aᵇ⁻¹, aᵇ·ln a), the latter taken as 0 where a <= 0
  pow: (dy, a, b, y) => [
    ops.mul(dy, ops.mul(b, ops.pow(a, ops.sub(b, 1)))),
    ops.mul(dy, ops.mul(y, ops.where(ops.greater(a, 0), ops.log(ops.maximum(a, 1e-30)), ops.zerosLike(a)))),
  ],
  // d max(a, b) goes to a where a >= b, else to b
  maximum: (dy, a, b) => [ops.mul(dy, mask(ops.greaterEqual(a, b))), ops.mul(dy, mask(ops.less(a, b)))],
  // d min(a, b) goes to a where a <= b, else to b
  minimum: (dy, a, b) => [ops.mul(dy, mask(ops.lessEqual(a, b))), ops.mul(dy, mask(ops.greater(a, b)))],
  // d(a−b)² = (2(a−b), −2(a−b))
  squaredDifference: (dy, a, b) => {
    const g = ops.mul(dy, ops.mul(ops.sub(a, b), 2));
    return [g, ops.neg(g)];
  },
  equal: 'nondiff',
  notEqual: 'nondiff',
  greater: 'nondiff',
  greaterEqual: 'nondiff',
  less: 'nondiff',
  lessEqual: 'nondiff',
  logicalAnd: 'nondiff',
  logicalOr: 'nondiff',
};

/** Rules for the unary table ops. */
export const unaryRules = /* @__PURE__ */ Object.fromEntries(
  Object.entries(unary).map(([k, f]) => [
    k,
    f === 'nondiff'
      ? 'nondiff'
      : ((dy, { inputs, output, attrs }) => [f(dy, inputs[0], output, attrs.alpha ?? 0, attrs.beta ?? 0)]) as GradRule<UnaryOp>,
  ]),
) as { [K in UnaryOp]: GradRule<K> | 'nondiff' };

/** Rules for the binary table ops; broadcast gradients are summed back to each input's shape. */
export const binaryRules = /* @__PURE__ */ Object.fromEntries(
  Object.entries(binary).map(([k, f]) => [
    k,
    f === 'nondiff'
      ? 'nondiff'
      : ((dy, { inputs, output }) => {
          const [ga, gb] = f(dy, inputs[0], inputs[1], output);
          return [ga && reduceTo(ga, inputs[0].shape), gb && reduceTo(gb, inputs[1].shape)];
        }) as GradRule<BinaryOp>,
  ]),
) as { [K in BinaryOp]: GradRule<K> | 'nondiff' };

/** Every elementwise op's rule: the table's unary and binary ops, cast and where. */
export const elementwiseRules: { readonly [K in UnaryOp | BinaryOp | 'cast' | 'where']: GradRule<K> | 'nondiff' } = {
  ...unaryRules,
  ...binaryRules,
  // d cast = identity for float → float; no gradient into int/bool inputs
  cast: (dy, { inputs }) => [inputs[0].dtype === 'float32' ? ops.clone(dy) : null],
  // d where = (none, dy where c, dy where not c)
  where: (dy, { inputs: [c, a, b] }) => {
    const z = ops.zerosLike(dy);
    return [null, reduceTo(ops.where(c, dy, z), a.shape), reduceTo(ops.where(c, z, dy), b.shape)];
  },
};
