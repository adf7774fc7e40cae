/** Broadcasting rules for elementwise ops (NumPy's), and the specs of the elementwise ops (unary, binary, cast, where). */
import type { OpSpec, SpecInput } from '../spec.js';
import type { DType } from '../types.js';
import { fmtShape, mapRecord } from '../types.js';
import type { BinaryOp, UnaryOp } from './table.js';
import { binaryOps, unaryOps } from './table.js';

/**
 * The broadcast shape of several shapes: dims are aligned from the right and
 * each must be equal or 1. Throws naming the op and the shapes.
 */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) {
        throw new Error(`${op}: shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast together`);
      }
    }
  }
  return out;
}

/**
 * Strides to read an input of `shape` while walking `outShape` in row-major
 * order: broadcast dims get stride 0. Returned with `outShape`'s rank.
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const st = new Array<number>(rank).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = rank - shape.length + i;
    st[o] = shape[i] === 1 ? 0 : acc;
    acc *= shape[i];
  }
  return st;
}

const same = { outputShape: (ins: readonly SpecInput[]) => [...ins[0].shape], outputDtype: (ins: readonly SpecInput[]) => ins[0].dtype };

/** Specs of the elementwise ops: unary ops keep their input's shape, binary ops and where broadcast. */
export const elementwiseSpecs: { readonly [K in UnaryOp | BinaryOp | 'cast' | 'where']: OpSpec<K> } = {
  ...mapRecord(Object.keys(unaryOps) as UnaryOp[], () => same),
  ...mapRecord(Object.keys(binaryOps) as BinaryOp[], (k) => ({
    outputShape: (ins: readonly SpecInput[]) => broadcastShapes(k, ins[0].shape, ins[1].shape),
    outputDtype: (ins: readonly SpecInput[]): DType => (binaryOps[k].kind === 'compare' || binaryOps[k].kind === 'logical' ? 'bool' : ins[0].dtype),
  })),
  cast: { outputShape: (ins) => [...ins[0].shape], outputDtype: (_, a) => a.dtype },
  where: { outputShape: (ins) => broadcastShapes('where', ins[0].shape, ins[1].shape, ins[2].shape), outputDtype: (ins) => ins[1].dtype },
};
