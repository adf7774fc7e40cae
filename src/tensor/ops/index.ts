/** Every public op function. */
export * from './creation.js';
export * from './elementwise.js';
export * from './matmul.js';
export * from './movement.js';
export * from './reduce.js';
export * from './conv.js';
export * from './fused.js';
export type { NestedValues, Rank, TensorLike } from './util.js';
