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
import type { OpAttrMap, OpName } from './op_names.js';
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

/** Shape and dtype rules of one op. */
export interface OpSpec<K extends OpName> {
  outputShape(inputs: readonly SpecInput[], attrs: OpAttrMap[K]): number[];
  outputDtype(inputs: readonly SpecInput[], attrs: OpAttrMap[K]): DType;
}

/** Every op's spec (exhaustive: a new op does not compile until its family spec has it). */
export const specs: { readonly [K in OpName]: OpSpec<K> } = {
  ...elementwiseSpecs,
  ...movementSpecs,
  ...reduceSpecs,
  ...matMulSpecs,
  ...convSpecs,
  ...poolSpecs,
  ...recurrentSpecs,
  ...optimizerSpecs,
};
