/** Specs of the reductions (sum/prod/max/min/any/all, argMax/argMin, softmax/logSoftmax). */
import type { OpSpec, SpecInput } from '../spec.js';
import type { DType } from '../types.js';

/** Shape after removing `axes`. */
export function reducedShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

const reduceSpec = { outputShape: (ins: readonly SpecInput[], a: { axes: readonly number[] }) => reducedShape(ins[0].shape, a.axes), outputDtype: (ins: readonly SpecInput[]) => ins[0].dtype };
const boolReduceSpec = { ...reduceSpec, outputDtype: (): DType => 'bool' };
const argSpec = { outputShape: (ins: readonly SpecInput[], a: { axis: number }) => reducedShape(ins[0].shape, [a.axis]), outputDtype: (): DType => 'int32' };

const same = { outputShape: (ins: readonly SpecInput[]) => [...ins[0].shape], outputDtype: (ins: readonly SpecInput[]) => ins[0].dtype };

type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all' | 'argMax' | 'argMin' | 'softmax' | 'logSoftmax';

/** Output shape and dtype of each reduction. */
export const reduceSpecs: { readonly [K in ReduceOp]: OpSpec<K> } = {
  sum: reduceSpec,
  prod: reduceSpec,
  max: reduceSpec,
  min: reduceSpec,
  any: boolReduceSpec,
  all: boolReduceSpec,
  argMax: argSpec,
  argMin: argSpec,
  softmax: same,
  logSoftmax: same,
};
