/** `sg.tuner`: hyperparameter search. */
export { randomSearch, RandomSearch, HyperParameters } from './random_search.js';
export type { RandomSearchArgs, Objective, Trial, TunableModel, HpValue } from './random_search.js';
