/**
 * The elementwise op table. One row gives an op's CPU scalar function and its
 * WGSL expression; one generic kernel per backend reads the table. Derivatives
 * live in `src/autograd/grads/elementwise.ts` (written with tensor ops so that
 * gradients of gradients work), keyed by the same names.
 *
 * `dtypes` says what the op accepts: `float` (float32 only), `numeric`
 * (float32 or int32, result of the same dtype) or `bool`.
 * In WGSL, `x` (and `a`, `b` for binary rows) is the element, `alpha`/`beta`
 * are the op's scalar attributes.
 */

/** Which input dtypes an elementwise op accepts. */
export type DTypeClass = 'float' | 'numeric' | 'bool';

/** A unary table row. */
export interface UnaryRow {
  readonly dtypes: DTypeClass;
  /** Scalar function; `alpha`/`beta` carry attributes such as leakyRelu's slope. */
  readonly cpu: (x: number, alpha: number, beta: number) => number;
  readonly wgsl: string;
}

const SELU_SCALE = 1.0507009873554804934193349852946;
const SELU_ALPHA = 1.6732632423543772848170429916717;

/** Round half to even, as TensorFlow's `round` does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** softplus(x) = log(1 + e^x), computed without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export const unaryOps = {
  neg: { dtypes: 'numeric', cpu: (x) => -x, wgsl: '-x' },
  abs: { dtypes: 'numeric', cpu: (x) => Math.abs(x), wgsl: 'abs(x)' },
  square: { dtypes: 'numeric', cpu: (x) => x * x, wgsl: 'x * x' },
  sign: { dtypes: 'numeric', cpu: (x) => Math.sign(x), wgsl: 'sign(x)' },
  relu: { dtypes: 'numeric', cpu: (x) => (x < 0 ? 0 : x), wgsl: 'select(x, 0.0, x < 0.0)' },
  relu6: { dtypes: 'float', cpu: (x) => (x < 0 ? 0 : x > 6 ? 6 : x), wgsl: 'select(select(x, 6.0, x > 6.0), 0.0, x < 0.0)' },
  exp: { dtypes: 'float', cpu: (x) => Math.exp(x), wgsl: 'exp(x)' },
  expm1: { dtypes: 'float', cpu: (x) => Math.expm1(x), wgsl: 'expm1_f(x)' },
  log: { dtypes: 'float', cpu: (x) => Math.log(x), wgsl: 'log(x)' },
  log1p: { dtypes: 'float', cpu: (x) => Math.log1p(x), wgsl: 'log1p_f(x)' },
  sqrt: { dtypes: 'float', cpu: (x) => Math.sqrt(x), wgsl: 'sqrt(x)' },
  rsqrt: { dtypes: 'float', cpu: (x) => 1 / Math.sqrt(x), wgsl: 'inverseSqrt(x)' },
  reciprocal: { dtypes: 'float', cpu: (x) => 1 / x, wgsl: '1.0 / x' },
  sin: { dtypes: 'float', cpu: (x) => Math.sin(x), wgsl: 'sin(x)' },
  cos: { dtypes: 'float', cpu: (x) => Math.cos(x), wgsl: 'cos(x)' },
  floor: { dtypes: 'float', cpu: (x) => Math.floor(x), wgsl: 'floor(x)' },
  ceil: { dtypes: 'float', cpu: (x) => Math.ceil(x), wgsl: 'ceil(x)' },
  round: { dtypes: 'float', cpu: roundHalfEven, wgsl: 'round(x)' },
  sigmoid: { dtypes: 'float', cpu: (x) => 1 / (1 + Math.exp(-x)), wgsl: '1.0 / (1.0 + exp(-x))' },
  tanh: { dtypes: 'float', cpu: (x) => Math.tanh(x), wgsl: 'tanh(clamp(x, -15.0, 15.0))' },
  softplus: {
    dtypes: 'float',
    cpu: softplus,
    wgsl: 'select(log1p_f(exp(x)), x + log1p_f(exp(-x)), x > 0.0)',
  },
  /** elu(x) = x for x > 0, alpha (e^x - 1) otherwise. */
  elu: { dtypes: 'float', cpu: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x)), wgsl: 'select(alpha * expm1_f(x), x, x > 0.0)' },
  selu: {
    dtypes: 'float',
    cpu: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x)),
    wgsl: 'select(1.0507009873554805 * 1.6732632423543772 * expm1_f(x), 1.0507009873554805 * x, x > 0.0)',
  },
  /** leakyRelu(x) = x for x >= 0, alpha x otherwise. */
  leakyRelu: { dtypes: 'float', cpu: (x, alpha) => (x < 0 ? alpha * x : x), wgsl: 'select(x, alpha * x, x < 0.0)' },
  /** step(x) = 1 for x > 0, alpha otherwise (NaN stays NaN). */
  step: {
    dtypes: 'float',
    cpu: (x, alpha) => (x !== x ? x : x > 0 ? 1 : alpha),
    wgsl: 'select(select(alpha, 1.0, x > 0.0), x, x != x)',
  },
  /** clipByValue(x, alpha, beta) = min(max(x, alpha), beta); NaN stays NaN. */
  clipByValue: {
    dtypes: 'numeric',
    cpu: (x, alpha, beta) => (x < alpha ? alpha : x > beta ? beta : x),
    wgsl: 'select(select(x, beta, x > beta), alpha, x < alpha)',
  },
  logicalNot: { dtypes: 'bool', cpu: (x) => (x ? 0 : 1), wgsl: 'select(1, 0, x != 0)' },
} as const satisfies Record<string, UnaryRow>;

/** Names of the unary elementwise ops. */
export type UnaryOp = keyof typeof unaryOps;

/** What a binary op returns: the inputs' dtype, or bool. */
export type BinaryKind = 'arith' | 'float' | 'compare' | 'logical';

/** A binary table row. */
export interface BinaryRow {
  /** arith: numeric in, same dtype out; float: float32 only; compare: numeric in, bool out; logical: bool in and out. */
  readonly kind: BinaryKind;
  readonly cpu: (a: number, b: number) => number;
  readonly wgsl: string;
  /** WGSL for int32 inputs when it differs from `wgsl`. */
  readonly wgslInt?: string;
}

export const binaryOps = {
  add: { kind: 'arith', cpu: (a, b) => a + b, wgsl: 'a + b' },
  sub: { kind: 'arith', cpu: (a, b) => a - b, wgsl: 'a - b' },
  mul: { kind: 'arith', cpu: (a, b) => a * b, wgsl: 'a * b' },
  div: { kind: 'float', cpu: (a, b) => a / b, wgsl: 'a / b' },
  /** floor(a / b); for int32 a zero divisor gives 0 as in TensorFlow.js. */
  floorDiv: { kind: 'arith', cpu: (a, b) => Math.floor(a / b), wgsl: 'floor(a / b)', wgslInt: 'floor_div_i(a, b)' },
  pow: { kind: 'float', cpu: (a, b) => Math.pow(a, b), wgsl: 'pow_signed(a, b)' },
  maximum: { kind: 'arith', cpu: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b), wgsl: 'select(max(a, b), a + b, a != a || b != b)' },
  minimum: { kind: 'arith', cpu: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b), wgsl: 'select(min(a, b), a + b, a != a || b != b)' },
  squaredDifference: { kind: 'arith', cpu: (a, b) => (a - b) * (a - b), wgsl: '(a - b) * (a - b)' },
  equal: { kind: 'compare', cpu: (a, b) => (a === b ? 1 : 0), wgsl: 'a == b' },
  notEqual: { kind: 'compare', cpu: (a, b) => (a !== b ? 1 : 0), wgsl: 'a != b' },
  greater: { kind: 'compare', cpu: (a, b) => (a > b ? 1 : 0), wgsl: 'a > b' },
  greaterEqual: { kind: 'compare', cpu: (a, b) => (a >= b ? 1 : 0), wgsl: 'a >= b' },
  less: { kind: 'compare', cpu: (a, b) => (a < b ? 1 : 0), wgsl: 'a < b' },
  lessEqual: { kind: 'compare', cpu: (a, b) => (a <= b ? 1 : 0), wgsl: 'a <= b' },
  logicalAnd: { kind: 'logical', cpu: (a, b) => (a && b ? 1 : 0), wgsl: 'a != 0 && b != 0' },
  logicalOr: { kind: 'logical', cpu: (a, b) => (a || b ? 1 : 0), wgsl: 'a != 0 || b != 0' },
} as const satisfies Record<string, BinaryRow>;

/** Names of the binary elementwise ops. */
export type BinaryOp = keyof typeof binaryOps;
