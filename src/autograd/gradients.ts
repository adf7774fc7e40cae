/**
 * The gradient functions of TensorFlow.js: grad, grads, valueAndGrad,
 * valueAndGrads, variableGrads.
 */
import type { Tensor, Variable } from '../tensor/index.js';
import { ENGINE, Variable as VariableClass, onesLike } from '../tensor/index.js';
import { Tape, backprop, getRecorder } from './tape.js';

function assertTensor(v: unknown, what: string, op: string): asserts v is Tensor {
  if (!(v && typeof v === 'object' && 'dataId' in v && 'shape' in v)) throw new Error(`${op}: ${what} must be a Tensor, got ${typeof v}`);
}

/**
 * Runs f under a new tape and backpropagates from its result.
 * `xsOf` picks what to differentiate with respect to, once the tape is known.
 */
function gradients(op: string, f: () => Tensor, xsOf: (tape: Tape) => readonly Tensor[], dy?: Tensor): { value: Tensor; grads: (Tensor | null)[]; xs: readonly Tensor[] } {
  const rec = getRecorder();
  // An enclosing tape that records means a higher-order gradient: keep everything for it.
  const outer = rec.active;
  const tape = new Tape();
  ENGINE.startScope();
  let value: Tensor;
  let grads: (Tensor | null)[];
  let xs: readonly Tensor[];
  try {
    rec.tapes.push(tape);
    const saved = rec.paused;
    rec.paused = 0;
    try {
      value = f();
    } finally {
      rec.paused = saved;
      rec.tapes.splice(rec.tapes.lastIndexOf(tape), 1);
    }
    assertTensor(value, 'the value returned by f', op);
    if (value.dtype !== 'float32') throw new Error(`${op}: f must return a float32 tensor, got ${value.dtype}`);
    xs = xsOf(tape);
    let seed = dy;
    if (seed) {
      assertTensor(seed, 'dy', op);
      if (seed.shape.length !== value.shape.length || seed.shape.some((d, i) => d !== value.shape[i])) {
        throw new Error(`${op}: dy of shape [${seed.shape}] does not match f's result [${value.shape}]`);
      }
    } else seed = onesLike(value);
    grads = backprop(tape, xs, value, seed, !outer);
  } catch (e) {
    ENGINE.endScope(null);
    throw e;
  }
  ENGINE.endScope([value, ...grads.filter((g): g is Tensor => g !== null)], !outer);
  return { value, grads, xs };
}

function checkArgs(op: string, xs: readonly Tensor[]): void {
  xs.forEach((x, i) => {
    assertTensor(x, `argument ${i}`, op);
    x.assertAlive(op);
    if (x.dtype !== 'float32') throw new Error(`${op}: can only differentiate with respect to float32 tensors, argument ${i} is ${x.dtype}`);
  });
}

function required(op: string, grads: (Tensor | null)[], value: Tensor): Tensor[] {
  const missing = grads.findIndex((g) => g === null);
  if (missing >= 0) {
    for (const g of grads) g?.dispose();
    value.dispose();
    throw new Error(`${op}: argument ${missing} is not used by f: the result does not depend on it`);
  }
  return grads as Tensor[];
}

/**
 * valueAndGrads(f)(args, dy?) → { value, grads }: f's result and its gradient
 * with respect to every argument (dy defaults to ones).
 * @example const { value, grads } = sg.valueAndGrads((a, b) => a.mul(b).sum())([a, b]);
 */
export function valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: readonly Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (args, dy) => {
    if (!Array.isArray(args)) throw new Error('valueAndGrads: args must be an array of tensors');
    checkArgs('valueAndGrads', args);
    const { value, grads } = gradients('valueAndGrads', () => f(...args), () => args, dy);
    return { value, grads: required('valueAndGrads', grads, value) };
  };
}

/** grads(f)(args, dy?) → the gradient of f with respect to each argument. */
export function grads(f: (...args: Tensor[]) => Tensor): (args: readonly Tensor[], dy?: Tensor) => Tensor[] {
  return (args, dy) => {
    const { value, grads: g } = valueAndGrads(f)(args, dy);
    value.dispose();
    return g;
  };
}

/** valueAndGrad(f)(x, dy?) → { value, grad } for a one-argument f. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    checkArgs('valueAndGrad', [x]);
    const { value, grads: g } = gradients('valueAndGrad', () => f(x), () => [x], dy);
    return { value, grad: required('valueAndGrad', g, value)[0] };
  };
}

/**
 * grad(f)(x, dy?) → df/dx for a one-argument f.
 * @example sg.grad((x) => x.square())(sg.tensor([3])) // [6]
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => {
    const { value, grad: g } = valueAndGrad(f)(x, dy);
    value.dispose();
    return g;
  };
}

/**
 * Gradients of a scalar-valued f with respect to variables: the given list,
 * or every trainable variable f used. Returns `{ value, grads }` with grads
 * keyed by variable name; variables f did not use are left out.
 */
export function variableGrads(f: () => Tensor, varList?: readonly Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
  const { value, grads: g, xs } = gradients(
    'variableGrads',
    () => {
      const y = f();
      assertTensor(y, 'the value returned by f', 'variableGrads');
      if (y.rank !== 0) throw new Error(`variableGrads: f must return a scalar, got shape [${y.shape}]`);
      return y;
    },
    (tape) => {
      if (varList) return varList;
      const found = new Set<Variable>();
      for (const n of tape.nodes) for (const t of n.inputs) if (t instanceof VariableClass && t.trainable) found.add(t);
      return [...found];
    },
  );
  const out: Record<string, Tensor> = {};
  xs.forEach((x, i) => {
    const gi = g[i];
    if (gi) out[(x as Variable).name] = gi;
  });
  return { value, grads: out };
}

export { noGrad } from './tape.js';
