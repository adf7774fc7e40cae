/** `sg.optimizers.*`: sgd, adam, rmsprop (a bare number is the learning rate). */
export { sgd, adam, rmsprop, SGD, Adam, RMSprop, Optimizer } from './optimizers.js';
export { getOptimizer } from './optimizer_lookup.js';
export { adagrad, nadam, adamw, Adagrad, Nadam, AdamW } from './optimizers_extra.js';
export type { AdagradArgs, NadamArgs, AdamWArgs } from './optimizers_extra.js';
