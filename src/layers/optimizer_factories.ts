/** `sg.optimizers.*`: sgd, adam, rmsprop (a bare number is the learning rate). */
export { sgd, adam, rmsprop, SGD, Adam, RMSprop, Optimizer, getOptimizer } from './optimizers.js';
export { adagrad, nadam, adamw, Adagrad, Nadam, AdamW } from './optimizers_extra.js';
export type { AdagradArgs, NadamArgs, AdamWArgs } from './optimizers_extra.js';
