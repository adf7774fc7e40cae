/**
 * Argument generators for the op fuzz test (ops.fuzz.test.ts): a seeded
 * `Gen` that draws shapes (rank 0–5, zero-size dims), dtypes, values (with
 * NaN/±Inf), and wrong arguments, and one generator per exported op.
 */
import * as sg from '../../src/index.js';

/** An op's arguments. */
export type Args = unknown[];

/** Draws arguments; every tensor it makes is recorded so the harness can dispose it. */
export class Gen {
  readonly made: sg.Tensor[] = [];
  private readonly r: sg.Rng;

  constructor(seed: number) {
    this.r = new sg.Rng(seed);
  }

  next(): number {
    return this.r.next();
  }
  int(lo: number, hi: number): number {
    return lo + this.r.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.r.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.r.int(xs.length)];
  }

  /** A float: multiples of 1/4 in [-3, 3] (exact in float32), sometimes 0, NaN or ±Inf. */
  float(): number {
    if (this.chance(0.03)) return this.pick([NaN, Infinity, -Infinity, 0]);
    return this.int(-12, 12) / 4;
  }

  dtype(): sg.DType {
    const u = this.next();
    return u < 0.7 ? 'float32' : u < 0.88 ? 'int32' : 'bool';
  }

  dim(): number {
    return this.chance(0.08) ? 0 : this.int(1, 4);
  }

  shape(minRank = 0, maxRank = 5): number[] {
    const r = this.int(minRank, maxRank);
    return Array.from({ length: r }, () => this.dim());
  }

  values(n: number, dtype: sg.DType): number[] {
    return Array.from({ length: n }, () => (dtype === 'float32' ? this.float() : dtype === 'int32' ? this.int(-5, 5) : this.int(0, 1)));
  }

  tensor(shape: readonly number[] = this.shape(), dtype: sg.DType = this.dtype()): sg.Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const t = sg.tensor(this.values(n, dtype), shape, dtype);
    this.made.push(t);
    return t;
  }

  /** Where a tensor is expected: mostly a tensor, sometimes a number, nested arrays, or something wrong. */
  x(shape?: readonly number[], dtype?: sg.DType): unknown {
    const u = this.next();
    if (u < 0.86) return this.tensor(shape, dtype);
    if (u < 0.91) return this.float();
    if (u < 0.95) return this.nested(shape ?? this.shape(0, 3));
    return this.wrong();
  }

  nested(shape: readonly number[]): unknown {
    const rec = (d: number): unknown => (d === shape.length ? this.float() : Array.from({ length: shape[d] }, () => rec(d + 1)));
    return rec(0);
  }

  /** An argument no op should accept where a specific kind of value belongs. */
  wrong(): unknown {
    const k = this.int(0, 19);
    switch (k) {
      case 0: return 'abc';
      case 1: return {};
      case 2: return null;
      case 3: return undefined;
      case 4: return NaN;
      case 5: return -1;
      case 6: return 2.5;
      case 7: return 1e9;
      case 8: return true;
      case 9: return [];
      case 10: return [[1], [2, 3]];
      case 11: return [1e9, 1e9];
      case 12: return -2.5;
      case 13: return this.tensor(this.shape(0, 2), 'float32');
      case 14: return [NaN];
      case 15: return () => 1;
      case 16: return Symbol('s');
      case 17: return 1n;
      case 18: {
        const t = this.tensor([2], 'float32');
        t.dispose();
        return t;
      }
      default: return [1.5, -1];
    }
  }

  /** An axis for `rank`: mostly valid (negative too), sometimes out of range. */
  axis(rank: number): number {
    if (this.chance(0.08)) return this.pick([rank, -rank - 1, 0.5, 99]);
    return rank === 0 ? 0 : this.int(-rank, rank - 1);
  }

  /** `valid`, or with probability p a wrong value. */
  maybe<T>(valid: T, p = 0.06): unknown {
    return this.chance(p) ? this.wrong() : valid;
  }

  /** A shape that broadcasts with `s` (mostly), drawn from its suffix with some dims set to 1. */
  broadcastable(s: readonly number[]): number[] {
    if (this.chance(0.1)) return this.shape();
    const k = this.int(0, s.length);
    const out = s.slice(s.length - k).map((d) => (this.chance(0.3) ? 1 : d));
    if (this.chance(0.2)) out.unshift(this.int(1, 2));
    return out;
  }

  /** An int32 index tensor with values in [lo, hi]. */
  indices(shape: readonly number[], lo: number, hi: number): sg.Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const t = sg.tensor(Array.from({ length: n }, () => this.int(lo, hi)), shape, 'int32');
    this.made.push(t);
    return t;
  }
}

type OpGen = (g: Gen) => Args;

const rankOf = (x: unknown): number => (x instanceof sg.Tensor ? x.rank : 1);
const shapeOf = (x: unknown): readonly number[] => (x instanceof sg.Tensor ? x.shape : [1]);

const unary: OpGen = (g) => [g.x()];
const unaryAlpha: OpGen = (g) => [g.x(), g.maybe(g.float())];
const binaryOf = (preferred?: sg.DType): OpGen => (g) => {
  const s = g.shape();
  const dt = preferred && g.chance(0.8) ? preferred : g.dtype();
  const b = g.chance(0.5) ? g.broadcastable(s) : s;
  return g.chance(0.5) ? [g.x(s, dt), g.x(b, g.chance(0.8) ? dt : g.dtype())] : [g.x(b, dt), g.x(s, dt)];
};
const binary = binaryOf();
const reduceOf = (preferred?: sg.DType): OpGen => (g) => {
  const x = g.x(undefined, preferred && g.chance(0.8) ? preferred : g.chance(0.3) ? 'bool' : undefined);
  const r = rankOf(x);
  const axis = g.pick([undefined, null, g.axis(r), [g.axis(r), g.axis(r)], g.wrong()]);
  return [x, axis, g.maybe(g.chance(0.5))];
};
const reduceGen = reduceOf();
const seed = (g: Gen): unknown => (g.chance(0.06) ? g.pick(['abc', NaN, {}, [1]]) : g.int(0, 1000));
const cellAct = (g: Gen): unknown => (g.chance(0.9) ? g.pick(['tanh', 'sigmoid', 'relu', 'linear', 'hardSigmoid']) : g.wrong());
const pair = (g: Gen, lo: number, hi: number): unknown => g.maybe(g.chance(0.5) ? g.int(lo, hi) : [g.int(lo, hi), g.int(lo, hi)]);
const padMode = (g: Gen): unknown => g.maybe(g.chance(0.9) ? g.pick(['same', 'valid']) : [g.int(0, 2), g.int(0, 2), g.int(0, 2), g.int(0, 2)]);
const imageShape = (g: Gen): number[] => (g.chance(0.85) ? [g.int(0, 2), g.int(1, 6), g.int(1, 6), g.int(0, 3)].map((d, i) => (i === 0 && d === 0 && g.chance(0.5) ? 1 : d)) : g.shape());

/** One argument generator per fuzzed op, keyed by the op's exported name. */
export const GENS: Record<string, OpGen> = {
  // creation
  tensor: (g) => {
    const s = g.shape(0, 3);
    const dt = g.dtype();
    const vals = g.chance(0.8) ? g.nested(s) : g.values(s.reduce((a, b) => a * b, 1), dt);
    return [g.maybe(vals), g.chance(0.5) ? g.maybe(s) : undefined, g.chance(0.5) ? g.maybe(dt) : undefined];
  },
  scalar: (g) => [g.maybe(g.chance(0.8) ? g.float() : g.chance(0.5)), g.chance(0.5) ? g.maybe(g.dtype()) : undefined],
  fill: (g) => [g.maybe(g.shape()), g.maybe(g.float()), g.maybe(g.dtype())],
  zeros: (g) => [g.maybe(g.shape()), g.maybe(g.dtype())],
  ones: (g) => [g.maybe(g.shape()), g.maybe(g.dtype())],
  logicalNot: (g) => [g.x(undefined, g.chance(0.8) ? 'bool' : undefined)],
  zerosLike: unary,
  onesLike: unary,
  range: (g) => [g.maybe(g.int(-5, 5)), g.maybe(g.int(-5, 10)), g.maybe(g.pick([1, 2, -1, 0.5, 3])), g.maybe(g.pick(['float32', 'int32']))],
  // The seed is always given (or wrong but never undefined), so both backends draw the same values.
  randomNormal: (g) => [g.maybe(g.shape()), g.maybe(g.float()), g.maybe(g.int(0, 3)), g.maybe(g.pick(['float32', 'int32'])), seed(g)],
  truncatedNormal: (g) => [g.maybe(g.shape()), g.maybe(g.float()), g.maybe(g.int(0, 3)), g.maybe(g.pick(['float32', 'int32'])), seed(g)],
  randomUniform: (g) => [g.maybe(g.shape()), g.maybe(g.int(-3, 0)), g.maybe(g.int(-1, 3)), g.maybe(g.pick(['float32', 'int32'])), seed(g)],
  // elementwise
  cast: (g) => [g.x(), g.maybe(g.dtype())],
  clone: unary,
  ...Object.fromEntries(
    ['neg', 'abs', 'square', 'sign', 'relu', 'relu6', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'reciprocal', 'sin', 'cos', 'floor', 'ceil', 'round', 'sigmoid', 'tanh', 'softplus', 'selu'].map((k) => [k, unary]),
  ),
  elu: unaryAlpha,
  leakyRelu: unaryAlpha,
  step: unaryAlpha,
  clipByValue: (g) => {
    const a = g.float();
    return [g.x(), g.maybe(a), g.maybe(g.chance(0.9) ? a + g.int(0, 8) / 4 : a - 1)];
  },
  ...Object.fromEntries(
    ['add', 'sub', 'mul', 'div', 'floorDiv', 'pow', 'maximum', 'minimum', 'squaredDifference', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual'].map((k) => [k, binary]),
  ),
  logicalAnd: binaryOf('bool'),
  logicalOr: binaryOf('bool'),
  where: (g) => {
    const s = g.shape();
    const dt = g.dtype();
    return [g.x(g.chance(0.5) ? g.broadcastable(s) : s, 'bool'), g.x(s, dt), g.x(g.chance(0.5) ? g.broadcastable(s) : s, dt)];
  },
  // matmul
  matMul: (g) => {
    const [m, k, n] = [g.dim(), g.dim(), g.dim()];
    const batch = g.shape(0, 2);
    const tA = g.chance(0.3);
    const tB = g.chance(0.3);
    const dt = g.chance(0.85) ? 'float32' : g.dtype();
    const a = g.x([...batch, ...(tA ? [k, m] : [m, k])], dt);
    const b = g.x([...(g.chance(0.7) ? batch : g.broadcastable(batch)), ...(tB ? [n, g.chance(0.9) ? k : k + 1] : [g.chance(0.9) ? k : k + 1, n])], dt);
    return [a, b, g.maybe(tA), g.maybe(tB)];
  },
  // movement
  reshape: (g) => {
    const x = g.x();
    const s = [...shapeOf(x)];
    for (let i = s.length - 1; i > 0; i--) {
      const j = g.int(0, i);
      [s[i], s[j]] = [s[j], s[i]];
    }
    if (s.length && g.chance(0.3)) s[g.int(0, s.length - 1)] = -1;
    if (g.chance(0.3)) s.push(1);
    return [x, g.maybe(g.chance(0.9) ? s : g.shape())];
  },
  transpose: (g) => {
    const x = g.x();
    const r = rankOf(x);
    const perm = [...Array(r).keys()].sort(() => g.next() - 0.5);
    return [x, g.chance(0.2) ? undefined : g.maybe(g.chance(0.9) ? perm : [...perm, 0])];
  },
  expandDims: (g) => {
    const x = g.x();
    return [x, g.maybe(g.axis(rankOf(x) + 1))];
  },
  squeeze: (g) => {
    const x = g.x(g.shape().map((d) => (g.chance(0.4) ? 1 : d)));
    const ones = shapeOf(x).flatMap((d, i) => (d === 1 ? [i] : []));
    return [x, g.chance(0.4) ? undefined : g.maybe(g.chance(0.8) ? ones.filter(() => g.chance(0.5)) : [g.axis(rankOf(x))])];
  },
  concat: (g) => {
    const s = g.shape(1);
    const dt = g.dtype();
    const axis = g.axis(s.length);
    const xs = Array.from({ length: g.int(1, 3) }, () => {
      const t = [...s];
      if (s.length) t[((axis % s.length) + s.length) % s.length] = g.dim();
      return g.x(g.chance(0.9) ? t : g.shape(), g.chance(0.9) ? dt : g.dtype());
    });
    return [g.maybe(xs, 0.03), g.maybe(axis)];
  },
  stack: (g) => {
    const s = g.shape(0, 4);
    const dt = g.dtype();
    const xs = Array.from({ length: g.int(1, 3) }, () => g.x(g.chance(0.9) ? s : g.shape(), g.chance(0.9) ? dt : g.dtype()));
    return [g.maybe(xs, 0.03), g.maybe(g.axis(s.length + 1))];
  },
  slice: (g) => {
    const x = g.x();
    const s = shapeOf(x);
    const begin = s.map((d) => g.int(0, d));
    const size = s.map((d, i) => (g.chance(0.2) ? -1 : g.int(0, d - begin[i] + (g.chance(0.05) ? 1 : 0))));
    if (g.chance(0.2)) return [x, g.maybe(begin[0] ?? 0), size.length ? g.maybe(size[0]) : undefined];
    return [x, g.maybe(begin), g.chance(0.2) ? undefined : g.maybe(size)];
  },
  split: (g) => {
    const x = g.x(g.shape(1));
    const s = shapeOf(x);
    const axis = g.axis(s.length);
    const dim = s.length ? s[((axis % s.length) + s.length) % s.length] ?? 1 : 1;
    const divs = [1, 2, 3, 4].filter((k) => dim % k === 0);
    const sizes = [g.int(0, dim)];
    sizes.push(dim - sizes[0]);
    if (g.chance(0.3)) sizes[0] = -1;
    return [x, g.maybe(g.chance(0.5) ? g.pick(divs) : sizes), g.maybe(axis)];
  },
  unstack: (g) => {
    const x = g.x();
    return [x, g.maybe(g.axis(rankOf(x)))];
  },
  pad: (g) => {
    const x = g.x();
    const p = shapeOf(x).map(() => [g.int(0, 2), g.int(0, 2)]);
    return [x, g.maybe(p), g.chance(0.3) ? undefined : g.maybe(g.float())];
  },
  tile: (g) => {
    const x = g.x(g.shape(0, 4));
    return [x, g.maybe(shapeOf(x).map(() => g.int(0, 3)))];
  },
  broadcastTo: (g) => {
    const s = g.shape();
    return [g.x(g.broadcastable(s)), g.maybe(s)];
  },
  gather: (g) => {
    const x = g.x(g.shape(0, 4));
    const r = rankOf(x);
    const axis = g.axis(r);
    const dim = r ? shapeOf(x)[((axis % r) + r) % r] ?? 1 : 1;
    // Sometimes one index just outside [0, dim): both backends must refuse it.
    const idx = g.chance(0.85) ? g.indices(g.shape(0, 2), g.chance(0.9) ? 0 : -1, Math.max(0, g.chance(0.9) ? dim - 1 : dim)) : g.x(undefined, g.dtype());
    return [x, idx, g.maybe(axis)];
  },
  scatterAdd: (g) => {
    const idxShape = g.shape(0, 2);
    const pre = g.shape(0, 2);
    const post = g.shape(0, 1);
    const dim = g.dim();
    const dy = g.tensor([...pre, ...idxShape, ...post], g.chance(0.9) ? 'float32' : g.dtype());
    const idx = g.indices(idxShape, g.chance(0.9) ? 0 : -1, Math.max(0, g.chance(0.9) ? dim - 1 : dim));
    return [dy, g.maybe(idx), g.maybe(pre.length), g.maybe(dim)];
  },
  oneHot: (g) => {
    const depth = g.int(1, 4);
    const idx = g.chance(0.85) ? g.indices(g.shape(0, 3), -1, depth) : g.x();
    return [idx, g.maybe(depth), g.chance(0.5) ? undefined : g.maybe(g.int(-3, 3)), g.chance(0.5) ? undefined : g.maybe(g.int(-3, 3))];
  },
  // reductions
  sum: reduceGen,
  prod: reduceGen,
  max: reduceGen,
  min: reduceGen,
  any: reduceOf('bool'),
  all: reduceOf('bool'),
  mean: reduceGen,
  logSumExp: reduceGen,
  argMax: (g) => {
    const x = g.x();
    return [x, g.chance(0.2) ? undefined : g.maybe(g.axis(rankOf(x)))];
  },
  argMin: (g) => {
    const x = g.x();
    return [x, g.chance(0.2) ? undefined : g.maybe(g.axis(rankOf(x)))];
  },
  softmax: (g) => [g.x(), g.chance(0.5) ? undefined : g.maybe(g.pick([-1, 0, 1]))],
  logSoftmax: (g) => [g.x(), g.chance(0.5) ? undefined : g.maybe(g.pick([-1, 0, 1]))],
  // conv and pooling
  conv2d: (g) => {
    const xs = imageShape(g);
    const f = [g.int(1, 3), g.int(1, 3), g.chance(0.9) ? xs[3] ?? 1 : g.int(1, 3), g.int(0, 3)];
    return [g.x(xs, g.chance(0.9) ? 'float32' : g.dtype()), g.x(f, 'float32'), pair(g, 1, 3), padMode(g), g.chance(0.95) ? 'NHWC' : g.wrong(), pair(g, 1, 2)];
  },
  conv1d: (g) => {
    const xs = g.chance(0.85) ? [g.int(1, 2), g.int(1, 6), g.int(0, 3)] : g.shape();
    const f = [g.int(1, 3), g.chance(0.9) ? xs[2] ?? 1 : 2, g.int(1, 3)];
    return [g.x(xs, 'float32'), g.x(f, 'float32'), g.maybe(g.int(1, 3)), g.maybe(g.pick(['same', 'valid'])), g.chance(0.95) ? 'NWC' : g.wrong(), g.maybe(g.int(1, 2))];
  },
  maxPool: (g) => [g.x(imageShape(g), g.chance(0.9) ? 'float32' : g.dtype()), g.chance(0.03) ? [1e9, 3] : pair(g, 1, 4), pair(g, 1, 3), padMode(g)],
  avgPool: (g) => [g.x(imageShape(g), g.chance(0.9) ? 'float32' : g.dtype()), g.chance(0.03) ? [1e9, 3] : pair(g, 1, 4), pair(g, 1, 3), padMode(g)],
  // fused
  lstmCellPacked: (g) => lstmGen(g),
  lstmCell: (g) => lstmGen(g),
  lstmCellGrad: (g) => {
    const [z, c, a, ra] = lstmGen(g);
    return [z, c, g.x(shapeOf(c), 'float32'), g.x(shapeOf(c), 'float32'), a, ra];
  },
  gruCell: (g) => gruGen(g),
  gruCellGrad: (g) => {
    const [xz, hz, h, a, ra] = gruGen(g);
    return [xz, hz, h, g.x(shapeOf(h), 'float32'), a, ra];
  },
  adamUpdatePacked: (g) => adamGen(g),
  adamUpdate: (g) => adamGen(g),
  fusedConv2d: (g) => {
    const xs = imageShape(g);
    const f = [g.int(1, 3), g.int(1, 3), g.chance(0.9) ? xs[3] ?? 1 : g.int(1, 3), g.int(0, 3)];
    const bias = g.chance(0.2) ? undefined : g.x([g.chance(0.9) ? f[3] : f[3] + 1], 'float32');
    return [g.x(xs, g.chance(0.9) ? 'float32' : g.dtype()), g.x(f, 'float32'), bias, g.chance(0.95) ? g.pick(['linear', 'relu', 'sigmoid', 'tanh']) : g.wrong(), pair(g, 1, 3), padMode(g), pair(g, 1, 2)];
  },
  fusedMatMul: (g) => {
    const [m, k, n] = [g.dim(), g.dim(), g.dim()];
    const tA = g.chance(0.3);
    const tB = g.chance(0.3);
    return [g.x(tA ? [k, m] : [m, k], 'float32'), g.x(tB ? [n, k] : [k, n], 'float32'), g.x([g.chance(0.9) ? n : n + 1], 'float32'), g.chance(0.95) ? g.pick(['linear', 'relu', 'sigmoid', 'tanh']) : g.wrong(), g.maybe(tA), g.maybe(tB)];
  },
};

function lstmGen(g: Gen): Args {
  const [b, u] = [g.dim(), g.dim()];
  return [g.x([b, 4 * u], 'float32'), g.x([b, g.chance(0.9) ? u : u + 1], 'float32'), cellAct(g), cellAct(g)];
}

function gruGen(g: Gen): Args {
  const [b, u] = [g.dim(), g.dim()];
  return [g.x([b, 3 * u], 'float32'), g.x([b, 3 * u], 'float32'), g.x([b, g.chance(0.9) ? u : u + 1], 'float32'), cellAct(g), cellAct(g)];
}

function adamGen(g: Gen): Args {
  const s = g.shape(0, 3);
  const w = [g.x(s, 'float32'), g.x(s, 'float32'), g.x(s, 'float32'), g.x(g.chance(0.95) ? s : g.shape(), 'float32')];
  const settings = g.chance(0.9) ? { step: g.maybe(g.int(1, 5)), learningRate: g.chance(0.5) ? undefined : g.maybe(0.01) } : g.wrong();
  return [...w, settings];
}

/** The fuzzed ops, sorted (the call sequence depends on this order). */
export const OP_NAMES = Object.keys(GENS).sort();

/** One call: its op and its argument generator's seed. */
export function callOf(seed: number, i: number): { op: string; gen: Gen } {
  const pickOp = new sg.Rng(seed * 7919 + i * 104729);
  const op = OP_NAMES[pickOp.int(OP_NAMES.length)];
  return { op, gen: new Gen(seed * 15485863 + i) };
}
