/**
 * Fused ops: the LSTM and GRU cell gate math, the Adam step and Dense's
 * act(a·b + bias), each one kernel. lstmCell, the cell gradients and
 * adamUpdate are multi-output primitives: their kernels write each result
 * to its own tensor. The `*Packed` functions concatenate those results into
 * one tensor (a copy) for callers that want a single tensor.
 */
import type { MatMulActivation } from '../../kernels/matmul/spec.js';
import { isMatMulActivation } from '../../kernels/matmul/spec.js';
import type { AdamAttrs } from '../../kernels/optimizer/spec.js';
import type { CellActivation, CellAttrs } from '../../kernels/recurrent/spec.js';
import { isCellActivation } from '../../kernels/recurrent/spec.js';
import type { Tensor } from '../tensor.js';
import type { TensorLike } from './util.js';
import { ENGINE, assertFloat, checkBool, checkNumber, describe, fmtShape, toTensor } from './util.js';

export type { CellActivation } from '../../kernels/recurrent/spec.js';
export type { MatMulActivation } from '../../kernels/matmul/spec.js';


function cellAttrs(op: string, activation: string, recurrentActivation: string): CellAttrs {
  for (const a of [activation, recurrentActivation]) {
    if (!isCellActivation(a)) throw new Error(`${op}: unsupported activation ${describe(a)}; fused cells take linear, relu, sigmoid, hardSigmoid, tanh`);
  }
  return { activation: activation as CellActivation, recurrentActivation: recurrentActivation as CellActivation };
}

/** Checks a rank-2 float tensor of `[rows, cols]` (either may be undefined = any). */
function check(t: Tensor, name: string, op: string, rows: number | undefined, cols: number | undefined): void {
  assertFloat(t, name, op);
  if (t.rank !== 2 || (rows !== undefined && t.shape[0] !== rows) || (cols !== undefined && t.shape[1] !== cols)) {
    throw new Error(`${op}: argument '${name}' must have shape [${rows ?? 'batch'},${cols ?? 'n'}], got ${fmtShape(t.shape)}`);
  }
}

function lstmArgs(z: TensorLike, cPrev: TensorLike, op: string): [Tensor, Tensor] {
  const tz = toTensor(z, 'z', op);
  check(tz, 'z', op, undefined, undefined);
  if (tz.shape[1] % 4 !== 0) throw new Error(`${op}: z must be [batch, 4·units], got ${fmtShape(tz.shape)}`);
  const tc = toTensor(cPrev, 'cPrev', op);
  check(tc, 'cPrev', op, tz.shape[0], tz.shape[1] / 4);
  return [tz, tc];
}

function gruArgs(xz: TensorLike, hz: TensorLike, hPrev: TensorLike, op: string): [Tensor, Tensor, Tensor] {
  const tx = toTensor(xz, 'xz', op);
  check(tx, 'xz', op, undefined, undefined);
  if (tx.shape[1] % 3 !== 0) throw new Error(`${op}: xz must be [batch, 3·units], got ${fmtShape(tx.shape)}`);
  const th = toTensor(hz, 'hz', op);
  check(th, 'hz', op, tx.shape[0], tx.shape[1]);
  const tp = toTensor(hPrev, 'hPrev', op);
  check(tp, 'hPrev', op, tx.shape[0], tx.shape[1] / 3);
  return [tx, th, tp];
}

/**
 * LSTM cell gates, packed: z [B, 4U] (x·W + h·U + b, Keras gate order
 * i, f, c, o), cPrev [B, U] → [B, 2U] = [c | h] (`lstmCell`'s two outputs
 * concatenated).
 */
export function lstmCellPacked(z: TensorLike, cPrev: TensorLike, activation: CellActivation = 'tanh', recurrentActivation: CellActivation = 'sigmoid'): Tensor {
  return ENGINE.scopedOp('lstmCellPacked', () => ENGINE.dispatch('concat', lstmOutputs('lstmCellPacked', z, cPrev, activation, recurrentActivation), { axis: 1 }));
}

function lstmOutputs(op: string, z: TensorLike, cPrev: TensorLike, activation: CellActivation, recurrentActivation: CellActivation): Tensor[] {
  const attrs = cellAttrs(op, activation, recurrentActivation);
  return ENGINE.dispatchMulti('lstmCell', lstmArgs(z, cPrev, op), attrs);
}

/**
 * One LSTM step after the matMuls, one kernel with two outputs: z [B, 4U]
 * (x·W + h·U + b, Keras gate order i, f, c, o), cPrev [B, U] → the new cell
 * state c [B, U] and output h [B, U], with
 * c = σ(z_f)·cPrev + σ(z_i)·act(z_c), h = σ(z_o)·act(c) (σ = recurrentActivation).
 * @example const { c, h } = sg.lstmCell(z, c0) // z [B, 4U], c0 [B, U]
 */
export function lstmCell(z: TensorLike, cPrev: TensorLike, activation: CellActivation = 'tanh', recurrentActivation: CellActivation = 'sigmoid'): { c: Tensor; h: Tensor } {
  return ENGINE.scopedOp('lstmCell', () => {
    const [c, h] = lstmOutputs('lstmCell', z, cPrev, activation, recurrentActivation);
    return { c, h };
  });
}

/** Backward of lstmCell, one kernel: the upstream gradients dc, dh [B, U] → dz [B, 4U] and dcPrev [B, U]. */
export function lstmCellGrad(z: Tensor, cPrev: Tensor, dc: Tensor, dh: Tensor, activation: CellActivation, recurrentActivation: CellActivation): { dz: Tensor; dcPrev: Tensor } {
  return ENGINE.scopedOp('lstmCellGrad', () => {
    const op = 'lstmCellGrad';
    const attrs = cellAttrs(op, activation, recurrentActivation);
    const [tz, tc] = lstmArgs(z, cPrev, op);
    const tdc = toTensor(dc, 'dc', op);
    check(tdc, 'dc', op, tz.shape[0], tz.shape[1] / 4);
    const tdh = toTensor(dh, 'dh', op);
    check(tdh, 'dh', op, tz.shape[0], tz.shape[1] / 4);
    const [dz, dcPrev] = ENGINE.dispatchMulti(op, [tz, tc, tdc, tdh], attrs);
    return { dz, dcPrev };
  });
}

/**
 * One GRU step (Keras gate order z, r, h, resetAfter): xz = x·W + b_in and
 * hz = h·U + b_rec, both [B, 3U], hPrev [B, U] → h [B, U] with
 * z = σ(xz_z + hz_z), r = σ(xz_r + hz_r), ĥ = act(xz_h + r·hz_h),
 * h = z·hPrev + (1 − z)·ĥ (σ = recurrentActivation).
 */
export function gruCell(xz: TensorLike, hz: TensorLike, hPrev: TensorLike, activation: CellActivation = 'tanh', recurrentActivation: CellActivation = 'sigmoid'): Tensor {
  return ENGINE.scopedOp('gruCell', () => {
    const op = 'gruCell';
    const attrs = cellAttrs(op, activation, recurrentActivation);
    return ENGINE.dispatch(op, gruArgs(xz, hz, hPrev, op), attrs);
  });
}

/** Backward of gruCell, one kernel: dh [B, U] → dxz [B, 3U], dhz [B, 3U] and dhPrev [B, U]. */
export function gruCellGrad(xz: Tensor, hz: Tensor, hPrev: Tensor, dy: Tensor, activation: CellActivation, recurrentActivation: CellActivation): { dxz: Tensor; dhz: Tensor; dhPrev: Tensor } {
  return ENGINE.scopedOp('gruCellGrad', () => {
    const op = 'gruCellGrad';
    const attrs = cellAttrs(op, activation, recurrentActivation);
    const [tx, th, tp] = gruArgs(xz, hz, hPrev, op);
    const td = toTensor(dy, 'dy', op);
    check(td, 'dy', op, tx.shape[0], tx.shape[1] / 3);
    const [dxz, dhz, dhPrev] = ENGINE.dispatchMulti(op, [tx, th, tp, td], attrs);
    return { dxz, dhz, dhPrev };
  });
}

/** Adam's hyperparameters for one step; `step` is the 1-based iteration. */
export type AdamStep = Partial<Omit<AdamAttrs, 'step'>> & { step: number };

/**
 * One Adam step (TensorFlow.js's rule) for a weight, its gradient and its
 * moments, packed: [3, ...shape] = [w', m', v'] (`adamUpdate`'s three
 * outputs stacked).
 */
export function adamUpdatePacked(w: TensorLike, g: TensorLike, m: TensorLike, v: TensorLike, a: AdamStep): Tensor {
  return ENGINE.scopedOp('adamUpdatePacked', () => {
    const outs = adamOutputs('adamUpdatePacked', w, g, m, v, a);
    return ENGINE.dispatch('concat', outs.map((t) => ENGINE.dispatch('reshape', [t], { shape: [1, ...t.shape] })), { axis: 0 });
  });
}

function adamOutputs(op: string, w: TensorLike, g: TensorLike, m: TensorLike, v: TensorLike, a: AdamStep): Tensor[] {
  if (a === null || typeof a !== 'object') throw new Error(`${op}: the step settings must be an object like { step: 1 }, got ${describe(a)}`);
  const ts = ([['w', w], ['g', g], ['m', m], ['v', v]] as const).map(([n, x]) => {
    const t = toTensor(x, n, op);
    assertFloat(t, n, op);
    return t;
  });
  for (let i = 1; i < 4; i++) {
    if (ts[i].shape.length !== ts[0].shape.length || ts[i].shape.some((d, j) => d !== ts[0].shape[j])) {
      throw new Error(`${op}: w, g, m, v must have the same shape, got ${ts.map((t) => fmtShape(t.shape)).join(', ')}`);
    }
  }
  if (!(typeof a.step === 'number' && Number.isInteger(a.step) && a.step >= 1)) throw new Error(`${op}: step must be an integer >= 1, got ${describe(a.step)}`);
  for (const k of ['learningRate', 'beta1', 'beta2', 'epsilon'] as const) if (a[k] !== undefined) checkNumber(op, k, a[k]);
  const attrs: AdamAttrs = { learningRate: a.learningRate ?? 0.001, beta1: a.beta1 ?? 0.9, beta2: a.beta2 ?? 0.999, epsilon: a.epsilon ?? 1e-7, step: a.step };
  return ENGINE.dispatchMulti('adamUpdate', ts, attrs);
}

/**
 * One Adam step (TensorFlow.js's rule), one kernel with three outputs: the
 * new weight and moments, with m' = β1·m + (1−β1)·g, v' = β2·v + (1−β2)·g²,
 * w' = w − lr·m̂/(√v̂ + ε), m̂ = m'/(1−β1ᵗ), v̂ = v'/(1−β2ᵗ). Defaults lr
 * 0.001, β 0.9/0.999, ε 1e-7.
 */
export function adamUpdate(w: TensorLike, g: TensorLike, m: TensorLike, v: TensorLike, a: AdamStep): { w: Tensor; m: Tensor; v: Tensor } {
  return ENGINE.scopedOp('adamUpdate', () => {
    const [w2, m2, v2] = adamOutputs('adamUpdate', w, g, m, v, a);
    return { w: w2, m: m2, v: v2 };
  });
}

/**
 * act(op(a)·op(b) + bias) in one kernel (Dense's forward): a, b rank 2
 * (transposes read in place), bias [N] added to every row, activation one of
 * linear, relu, sigmoid, tanh.
 * @example sg.fusedMatMul(x, w, b, 'relu') // x [B, in], w [in, units], b [units] → [B, units]
 */
export function fusedMatMul(a: TensorLike, b: TensorLike, bias: TensorLike, activation: MatMulActivation = 'linear', transposeA = false, transposeB = false): Tensor {
  return ENGINE.scopedOp('fusedMatMul', () => {
    const op = 'fusedMatMul';
    if (!isMatMulActivation(activation)) throw new Error(`${op}: unsupported activation ${describe(activation)}; fusedMatMul takes linear, relu, sigmoid, tanh`);
    checkBool(op, 'transposeA', transposeA);
    checkBool(op, 'transposeB', transposeB);
    const ta = toTensor(a, 'a', op);
    const tb = toTensor(b, 'b', op);
    const tbias = toTensor(bias, 'bias', op);
    assertFloat(ta, 'a', op);
    assertFloat(tb, 'b', op);
    assertFloat(tbias, 'bias', op);
    if (ta.rank !== 2 || tb.rank !== 2) throw new Error(`${op}: a and b must be rank 2, got ${fmtShape(ta.shape)} x ${fmtShape(tb.shape)}`);
    const ka = transposeA ? ta.shape[0] : ta.shape[1];
    const kb = transposeB ? tb.shape[1] : tb.shape[0];
    const n = transposeB ? tb.shape[0] : tb.shape[1];
    if (ka !== kb) throw new Error(`${op}: inner dimensions differ: ${fmtShape(ta.shape)} x ${fmtShape(tb.shape)} (transposeA=${transposeA}, transposeB=${transposeB})`);
    if (tbias.rank !== 1 || tbias.shape[0] !== n) throw new Error(`${op}: argument 'bias' must have shape [${n}], got ${fmtShape(tbias.shape)}`);
    return ENGINE.dispatch('fusedMatMul', [ta, tb, tbias], { transposeA, transposeB, activation });
  });
}
