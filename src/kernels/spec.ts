/**
 * Output shape and dtype of every primitive op: the registry of the family
 * specs (`<family>/spec.ts`). Backends and the public ops use these, so shape
 * logic exists in one place. The public ops validate arguments first (with
 * the user-facing op name in messages); specs assume valid input except where
 * they compute something that can still fail.
 */
import { convSpecs } from './conv/spec.js';
import { elementwiseSpecs } from './elementwise/spec.js';
import { matMulSpecs } from './matmul/spec.js';
import { movementSpecs } from './movement/spec.js';
import type { MultiOutputOp, OpAttrMap, OpName } from './op_names.js';
import { isMultiOutput } from './op_names.js';
import { optimizerSpecs } from './optimizer/spec.js';
import { poolSpecs } from './pool/spec.js';
import { recurrentSpecs } from './recurrent/spec.js';
import { reduceSpecs } from './reduce/spec.js';
import type { DType } from './types.js';

/** Input as the spec sees it. */
export interface SpecInput {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Shape and dtype of one output. */
export interface OutputInfo {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Shape and dtype rules of a single-output op. */
export interface OpSpec<K extends OpName> {
  outputShape(inputs: readonly SpecInput[], attrs: OpAttrMap[K]): number[];
  outputDtype(inputs: readonly SpecInput[], attrs: OpAttrMap[K]): DType;
}

/** Shape and dtype rules of a multi-output op: one entry per output, in `multiOutputNames` order. */
export interface MultiOpSpec<K extends OpName> {
  outputs(inputs: readonly SpecInput[], attrs: OpAttrMap[K]): OutputInfo[];
}

/** The spec type of op `K`: `MultiOpSpec` for a multi-output op, else `OpSpec`. */
export type SpecOf<K extends OpName> = [K] extends [MultiOutputOp] ? MultiOpSpec<K> : OpSpec<K>;

/** Shape and dtype of each output of `op` (one entry for a single-output op). */
export function outputInfos<K extends OpName>(op: K, inputs: readonly SpecInput[], attrs: OpAttrMap[K]): OutputInfo[] {
  if (isMultiOutput(op)) return (specs[op] as MultiOpSpec<K>).outputs(inputs, attrs);
  const s = specs[op] as OpSpec<K>;
  return [{ shape: s.outputShape(inputs, attrs), dtype: s.outputDtype(inputs, attrs) }];
}

/** Every op's spec (exhaustive: a new op does not compile until its family spec has it). */
export const specs: { readonly [K in OpName]: SpecOf<K> } = {
  ...elementwiseSpecs,
  ...movementSpecs,
  ...reduceSpecs,
  ...matMulSpecs,
  ...convSpecs,
  ...poolSpecs,
  ...recurrentSpecs,
  ...optimizerSpecs,
};
