/** `sg.optimizers.*`: sgd, adam, rmsprop (a bare number is the learning rate). */
export { sgd, adam, rmsprop, SGD, Adam, RMSprop, Optimizer, getOptimizer } from './optimizers.js';
