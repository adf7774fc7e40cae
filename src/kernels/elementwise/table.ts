/**
 * The elementwise op table. One row gives an op's CPU scalar function and its
 * WGSL expression; one generic kernel per backend reads the table. Derivatives
 * live in `src/autograd/grads/elementwise.ts` (written with tensor ops so that
 * gradients of gradients work), keyed by the same names.
 *
 * `dtypes` says what the op accepts: `float` (float32 only), `numeric`
 * (float32 or int32, result of the same dtype) or `bool`.
 * In WGSL, `x` (and `a`, `b` for binary rows) is the element, `alpha`/`beta`
 * are the op's scalar attributes. WGSL lets the compiler assume finite floats,
 * so float rows produce NaN/±Inf explicitly, as the CPU function does, through
 * the helpers of `unary.wgsl.ts` and `binary.wgsl.ts`.
 */

/** Which input dtypes an elementwise op accepts. */
export type DTypeClass = 'float' | 'numeric' | 'bool';

/** A unary table row. */
export interface UnaryRow {
  readonly dtypes: DTypeClass;
  /** Scalar function; `alpha`/`beta` carry attributes such as leakyRelu's slope. */
  readonly cpu: (x: number, alpha: number, beta: number) => number;
  /** WGSL for float32; it may call the special-value helpers of `unary.wgsl.ts` (`exp_f`, `log_f`, `keep_nan`…). */
  readonly wgsl: string;
  /** WGSL for int32 inputs when it differs from `wgsl` (which then uses float-only helpers). */
  readonly wgslInt?: string;
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
  sign: { dtypes: 'numeric', cpu: (x) => Math.sign(x), wgsl: 'sign_f(x)', wgslInt: 'sign(x)' },
  relu: { dtypes: 'numeric', cpu: (x) => (x < 0 ? 0 : x), wgsl: 'keep_nan(x, select(x, 0.0, x < 0.0))', wgslInt: 'select(x, 0, x < 0)' },
  relu6: { dtypes: 'float', cpu: (x) => (x < 0 ? 0 : x > 6 ? 6 : x), wgsl: 'keep_nan(x, select(select(x, 6.0, x > 6.0), 0.0, x < 0.0))' },
  exp: { dtypes: 'float', cpu: (x) => Math.exp(x), wgsl: 'exp_f(x)' },
  expm1: { dtypes: 'float', cpu: (x) => Math.expm1(x), wgsl: 'expm1_f(x)' },
  log: { dtypes: 'float', cpu: (x) => Math.log(x), wgsl: 'log_f(x)' },
  log1p: { dtypes: 'float', cpu: (x) => Math.log1p(x), wgsl: 'log1p_f(x)' },
  sqrt: { dtypes: 'float', cpu: (x) => Math.sqrt(x), wgsl: 'sqrt_f(x)' },
  rsqrt: { dtypes: 'float', cpu: (x) => 1 / Math.sqrt(x), wgsl: 'rsqrt_f(x)' },
  reciprocal: { dtypes: 'float', cpu: (x) => 1 / x, wgsl: 'recip_f(x)' },
  sin: { dtypes: 'float', cpu: (x) => Math.sin(x), wgsl: 'sin_f(x)' },
  cos: { dtypes: 'float', cpu: (x) => Math.cos(x), wgsl: 'cos_f(x)' },
  floor: { dtypes: 'float', cpu: (x) => Math.floor(x), wgsl: 'floor_f(x)' },
  ceil: { dtypes: 'float', cpu: (x) => Math.ceil(x), wgsl: 'ceil_f(x)' },
  round: { dtypes: 'float', cpu: roundHalfEven, wgsl: 'round(x)' },
  sigmoid: { dtypes: 'float', cpu: (x) => 1 / (1 + Math.exp(-x)), wgsl: 'sigmoid_f(x)' },
  tanh: { dtypes: 'float', cpu: (x) => Math.tanh(x), wgsl: 'tanh_f(x)' },
  softplus: {
    dtypes: 'float',
    cpu: softplus,
    wgsl: 'softplus_f(x)',
  },
  /** elu(x) = x for x > 0, alpha (e^x - 1) otherwise. */
  elu: { dtypes: 'float', cpu: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x)), wgsl: 'keep_nan(x, select(alpha * expm1_f(x), x, x > 0.0))' },
  selu: {
    dtypes: 'float',
    cpu: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x)),
    wgsl: 'keep_nan(x, select(1.0507009873554805 * 1.6732632423543772 * expm1_f(x), 1.0507009873554805 * x, x > 0.0))',
  },
  /** leakyRelu(x) = x for x >= 0, alpha x otherwise. */
  leakyRelu: { dtypes: 'float', cpu: (x, alpha) => (x < 0 ? alpha * x : x), wgsl: 'keep_nan(x, select(x, alpha * x, x < 0.0))' },
  /** step(x) = 1 for x > 0, alpha otherwise (NaN stays NaN). */
  step: {
    dtypes: 'float',
    cpu: (x, alpha) => (x !== x ? x : x > 0 ? 1 : alpha),
    wgsl: 'keep_nan(x, select(alpha, 1.0, is_pos_f(x)))',
  },
  /** clipByValue(x, alpha, beta) = min(max(x, alpha), beta); NaN stays NaN. */
  clipByValue: {
    dtypes: 'numeric',
    cpu: (x, alpha, beta) => (x < alpha ? alpha : x > beta ? beta : x),
    wgsl: 'keep_nan(x, select(select(x, beta, x > beta), alpha, x < alpha))',
    wgslInt: 'select(select(x, beta, x > beta), alpha, x < alpha)',
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
  pow: { kind: 'float', cpu: (a, b) => Math.pow(a, b), wgsl: 'pow_f(a, b)' },
  maximum: { kind: 'arith', cpu: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b), wgsl: 'max_f(a, b)', wgslInt: 'max(a, b)' },
  minimum: { kind: 'arith', cpu: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b), wgsl: 'min_f(a, b)', wgslInt: 'min(a, b)' },
  squaredDifference: { kind: 'arith', cpu: (a, b) => (a - b) * (a - b), wgsl: '(a - b) * (a - b)' },
  equal: { kind: 'compare', cpu: (a, b) => (a === b ? 1 : 0), wgsl: 'eq_f(a, b)', wgslInt: 'a == b' },
  notEqual: { kind: 'compare', cpu: (a, b) => (a !== b ? 1 : 0), wgsl: '!eq_f(a, b)', wgslInt: 'a != b' },
  greater: { kind: 'compare', cpu: (a, b) => (a > b ? 1 : 0), wgsl: 'lt_f(b, a)', wgslInt: 'a > b' },
  greaterEqual: { kind: 'compare', cpu: (a, b) => (a >= b ? 1 : 0), wgsl: 'le_f(b, a)', wgslInt: 'a >= b' },
  less: { kind: 'compare', cpu: (a, b) => (a < b ? 1 : 0), wgsl: 'lt_f(a, b)', wgslInt: 'a < b' },
  lessEqual: { kind: 'compare', cpu: (a, b) => (a <= b ? 1 : 0), wgsl: 'le_f(a, b)', wgslInt: 'a <= b' },
  logicalAnd: { kind: 'logical', cpu: (a, b) => (a && b ? 1 : 0), wgsl: 'a != 0 && b != 0' },
  logicalOr: { kind: 'logical', cpu: (a, b) => (a || b ? 1 : 0), wgsl: 'a != 0 || b != 0' },
} as const satisfies Record<string, BinaryRow>;

/** Names of the binary elementwise ops. */
export type BinaryOp = keyof typeof binaryOps;
