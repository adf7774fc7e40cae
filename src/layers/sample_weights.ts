/**
 * `fit`'s `sampleWeight` and `classWeight`, as Keras and tfjs: each sample's
 * loss is multiplied by its weight before the batch mean (mean(w·loss), not
 * a weighted average), so a weight of 2 counts a sample twice. `classWeight`
 * maps a class index to a weight, the class being argMax of a one-hot target,
 * or the target value itself for [n] / [n, 1] targets (tfjs's rule).
 * Metrics and validation losses stay unweighted, as in tfjs.
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { toDataTensor } from './plain_data.js';
import type { DataLike } from './plain_data.js';

/** Class index → weight. */
export type ClassWeight = Record<number, number>;

/** Per-output values: one (single output), a list in output order, or a dict keyed by output name. */
function perOutput<T>(v: T | T[] | Record<string, T>, names: readonly string[], where: string, what: string, isValue: (x: unknown) => boolean): (T | null)[] {
  if (names.length === 1) {
    if (Array.isArray(v) && v.length === 1 && !isValue(v)) return [v[0] as T];
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && names[0] in v && !isValue(v)) return [(v as Record<string, T>)[names[0]]];
    return [v as T];
  }
  if (Array.isArray(v) && !isValue(v)) {
    if (v.length !== names.length) throw new Error(`${where}: ${what} is a list of ${v.length}, but the model has ${names.length} outputs (${names.join(', ')})`);
    return v as T[];
  }
  if (typeof v === 'object' && v !== null && !isValue(v)) {
    const rec = v as Record<string, T>;
    for (const k of Object.keys(rec)) if (!names.includes(k)) throw new Error(`${where}: ${what} has key '${k}', which is not an output name; outputs: ${names.join(', ')}`);
    return names.map((n) => rec[n] ?? null);
  }
  throw new Error(`${where}: the model has ${names.length} outputs, so ${what} must be a list of ${names.length} or a dict keyed by output name (${names.join(', ')})`);
}

const isClassWeight = (x: unknown): boolean => typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every((w) => typeof w === 'number');
const isWeightVector = (x: unknown): boolean => ArrayBuffer.isView(x) || x instanceof ops.Tensor || (Array.isArray(x) && x.every((e) => typeof e === 'number'));

/** Each sample's class id from targets y: argMax of one-hot rows, else the value. */
async function classIds(y: Tensor, where: string): Promise<ArrayLike<number>> {
  if (y.rank === 1 || (y.rank === 2 && y.shape[1] === 1)) return y.data();
  if (y.rank !== 2) throw new Error(`${where}: classWeight needs targets of rank 1 or 2 (class ids or one-hot), got shape [${y.shape}]`);
  const ids = ops.argMax(y, 1);
  const v = await ids.data();
  ids.dispose();
  return v;
}

/**
 * @internal Per-output weight vectors [n] (null where an output has none), or
 * null when neither option is given. New tensors are pushed to `owned`.
 */
export async function sampleWeights(
  ys: readonly Tensor[], names: readonly string[], where: string, owned: Tensor[],
  sampleWeight?: DataLike | DataLike[] | Record<string, DataLike>, classWeight?: ClassWeight | ClassWeight[] | Record<string, ClassWeight>,
): Promise<(Tensor | null)[] | null> {
  if (sampleWeight === undefined && classWeight === undefined) return null;
  const n = ys[0].shape[0];
  const sws = sampleWeight === undefined ? names.map(() => null) : perOutput(sampleWeight, names, where, 'sampleWeight', isWeightVector);
  const cws = classWeight === undefined ? names.map(() => null) : perOutput(classWeight, names, where, 'classWeight', isClassWeight);
  const out: (Tensor | null)[] = [];
  for (let i = 0; i < names.length; i++) {
    const sw = sws[i];
    const cw = cws[i];
    if (sw === null && cw === null) {
      out.push(null);
      continue;
    }
    const w = new Float32Array(n).fill(1);
    if (sw !== null) {
      const tmp: Tensor[] = [];
      const t = toDataTensor(sw, where, names.length > 1 ? `sampleWeight['${names[i]}']` : 'sampleWeight', tmp);
      if (t.size !== n || (t.rank !== 1 && !(t.rank === 2 && t.shape[1] === 1))) {
        ops.dispose(tmp);
        throw new Error(`${where}: sampleWeight needs one weight per sample, shape [${n}], got [${t.shape}]`);
      }
      w.set(await t.data());
      ops.dispose(tmp);
    }
    if (cw !== null) {
      if (!isClassWeight(cw)) throw new Error(`${where}: classWeight must map class ids to numbers, e.g. { 0: 1, 1: 5 }, got ${JSON.stringify(cw)}`);
      const ids = await classIds(ys[i], where);
      for (let j = 0; j < n; j++) {
        const c = (cw as Record<string, number>)[String(ids[j])];
        if (c === undefined) throw new Error(`${where}: classWeight has no weight for class ${ids[j]}, which is in the targets (sample ${j}); give every class a weight`);
        w[j] *= c;
      }
    }
    const t = ops.tensor(w, [n]);
    owned.push(t);
    out.push(t);
  }
  return out;
}

/** @internal loss [batch, ...] times weights [batch], broadcast over the trailing dims. */
export function weighLoss(loss: Tensor, w: Tensor | null | undefined): Tensor {
  if (!w) return loss;
  return ops.mul(loss, loss.rank <= 1 ? w : ops.reshape(w, [w.shape[0], ...loss.shape.slice(1).map(() => 1)]));
}
