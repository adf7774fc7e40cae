/** Gradient rule of the Adam step: 'nondiff' (an optimizer update is not differentiated). */
import type { OpName } from '../../kernels/op_names.js';
import type { GradRule } from '../rule.js';

/** Optimizer ops' gradient rules. */
export const optimizerRules: { readonly [K in 'adamUpdate' & OpName]: GradRule<K> | 'nondiff' } = {
  adamUpdate: 'nondiff',
};
