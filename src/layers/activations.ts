/**
 * Activation functions by Keras name. `hardSigmoid` is TensorFlow.js's
 * (clip(0.2x + 0.5, 0, 1)), the recurrent default of tfjs models.
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';

export type ActivationName =
  | 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'hardSigmoid' | 'tanh' | 'softmax' | 'logSoftmax'
  | 'elu' | 'selu' | 'softplus' | 'softsign' | 'swish' | 'gelu' | 'leakyRelu' | 'exponential';

export type Activation = (x: Tensor) => Tensor;

const table: Record<ActivationName, Activation> = {
  linear: (x) => ops.clone(x),
  relu: ops.relu,
  relu6: ops.relu6,
  sigmoid: ops.sigmoid,
  // tfjs: clip(0.2x + 0.5, 0, 1)
  hardSigmoid: (x) => ops.clipByValue(ops.add(ops.mul(x, 0.2), 0.5), 0, 1),
  tanh: ops.tanh,
  softmax: (x) => ops.softmax(x),
  logSoftmax: (x) => ops.logSoftmax(x),
  elu: (x) => ops.elu(x),
  selu: ops.selu,
  softplus: ops.softplus,
  // x / (1 + |x|)
  softsign: (x) => ops.div(x, ops.add(ops.abs(x), 1)),
  // x·σ(x)
  swish: (x) => ops.mul(x, ops.sigmoid(x)),
  // tanh approximation: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))
  gelu: (x) => ops.mul(ops.mul(x, 0.5), ops.add(1, ops.tanh(ops.mul(ops.add(x, ops.mul(ops.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI))))),
  leakyRelu: (x) => ops.leakyRelu(x, 0.3),
  exponential: ops.exp,
};

/** Accepts camelCase or Keras snake_case names ('hard_sigmoid'). */
export function normaliseActivation(name: string | undefined | null): ActivationName {
  if (name === undefined || name === null) return 'linear';
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as ActivationName;
  if (!(camel in table)) throw new Error(`unknown activation '${name}'; known: ${Object.keys(table).join(', ')}`);
  return camel;
}

/** The activation function for a name. */
export function getActivation(name: string | undefined | null): Activation {
  return table[normaliseActivation(name)];
}

/** Keras's snake_case name for model files ('hardSigmoid' → 'hard_sigmoid'). */
export function activationKerasName(name: ActivationName): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
