/**
 * The gradient table: the family rules (`grads/<family>.ts`, the same
 * families as `src/kernels/<family>/`) collected, exhaustive over `OpName`,
 * so a new op does not compile until it has a rule (or is declared
 * 'nondiff'). Each rule has its derivative in a comment above it.
 */
import type { OpName } from '../../kernels/op_names.js';
import type { GradRule } from '../rule.js';
import { convRules } from './conv.js';
import { elementwiseRules } from './elementwise.js';
import { matMulRules } from './matmul.js';
import { movementRules } from './movement.js';
import { optimizerRules } from './optimizer.js';
import { poolRules } from './pool.js';
import { recurrentRules } from './recurrent.js';
import { reduceRules } from './reduce.js';

/** Every op's gradient rule, or 'nondiff'. */
export const gradRules: { readonly [K in OpName]: GradRule<K> | 'nondiff' } = {
  ...elementwiseRules,
  ...movementRules,
  ...reduceRules,
  ...matMulRules,
  ...convRules,
  ...poolRules,
  ...recurrentRules,
  ...optimizerRules,
};
