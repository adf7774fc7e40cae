/** Autograd's public surface. */
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, noGrad } from './gradients.js';
export { backprop, Tape } from './tape.js';
export type { GradRule, GradContext } from './rule.js';
export { gradRules } from './grads/index.js';
