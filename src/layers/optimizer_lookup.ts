/** Optimizers by name (`compile({ optimizer: 'nadam' })`): the built-in ones of optimizers.ts and optimizers_extra.ts. */
import { adam, Optimizer, rmsprop, sgd } from './optimizers.js';
import { adagrad, adamw, nadam } from './optimizers_extra.js';

/**
 * An optimizer from `compile`'s argument: an Optimizer, a name ('sgd',
 * 'adam', 'rmsprop') with default settings, or a bare number (Adam with that
 * learning rate).
 */
export function getOptimizer(spec: Optimizer | string | number): Optimizer {
  if (spec instanceof Optimizer) return spec;
  if (typeof spec === 'number') return adam({ learningRate: spec });
  const known: Record<string, () => Optimizer> = { sgd, adam, rmsprop, adagrad, nadam, adamw };
  const f = known[spec.toLowerCase()];
  if (!f) throw new Error(`unknown optimizer '${spec}'; known: ${Object.keys(known).join(', ')}`);
  return f();
}
