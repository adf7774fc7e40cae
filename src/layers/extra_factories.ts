/**
 * Factories for the merge layers (add, subtract, multiply, average, maximum,
 * minimum), layerNormalization, timeDistributed and repeatVector, plus
 * Keras's `serialize`/`deserialize` of a layer. Options are checked strictly.
 */
import type { Tensor } from '../tensor/index.js';
import { checkConfig } from './config_check.js';
import type { Layer, LayerArgs } from './layer.js';
import type { LayerNormalizationArgs } from './layer_normalization.js';
import { LayerNormalization } from './layer_normalization.js';
import type { Merge } from './merge_ops.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merge_ops.js';
import type { RepeatVectorArgs } from './repeat_vector.js';
import { RepeatVector } from './repeat_vector.js';
import { layerFromEntryRaw } from './model_io.js';
import { registeredLayers } from './layer_registry.js';
import type { SymbolicTensor } from './symbolic.js';
import type { TimeDistributedArgs } from './time_distributed.js';
import { TimeDistributed } from './time_distributed.js';

const LAYER_KEYS = ['name', 'inputShape', 'batchInputShape', 'trainable', 'dtype'] as const;

/** A merge factory: `f(args?)` gives the layer; `f([a, b], args?)` applies it at once (symbolic or concrete inputs), as Keras's `add([a, b])`. */
export interface MergeFactory<L extends Merge> {
  (args?: LayerArgs): L;
  (inputs: SymbolicTensor[], args?: LayerArgs): SymbolicTensor;
  (inputs: Tensor[], args?: LayerArgs): Tensor;
}

function mergeFactory<L extends Merge>(name: string, make: (a: LayerArgs) => L): MergeFactory<L> {
  const f = (a?: LayerArgs | SymbolicTensor[] | Tensor[], b?: LayerArgs): L | SymbolicTensor | Tensor => {
    if (Array.isArray(a)) {
      checkConfig(name, b ?? {}, LAYER_KEYS);
      return make(b ?? {}).apply(a as SymbolicTensor[]) as SymbolicTensor;
    }
    checkConfig(name, a ?? {}, LAYER_KEYS);
    return make(a ?? {});
  };
  return f as MergeFactory<L>;
}

/** Sum of the inputs. @example const y = sg.layers.add([a, b]); */
export const add = /* @__PURE__ */ mergeFactory('add', (a) => new Add(a));
/** Difference of exactly two inputs, x₁ − x₂. @example const d = sg.layers.subtract([a, b]); */
export const subtract = /* @__PURE__ */ mergeFactory('subtract', (a) => new Subtract(a));
/** Elementwise product of the inputs. @example const y = sg.layers.multiply([a, b]); */
export const multiply = /* @__PURE__ */ mergeFactory('multiply', (a) => new Multiply(a));
/** Mean of the inputs. @example const y = sg.layers.average([a, b]); */
export const average = /* @__PURE__ */ mergeFactory('average', (a) => new Average(a));
/** Elementwise maximum of the inputs. @example const y = sg.layers.maximum([a, b]); */
export const maximum = /* @__PURE__ */ mergeFactory('maximum', (a) => new Maximum(a));
/** Elementwise minimum of the inputs. @example const y = sg.layers.minimum([a, b]); */
export const minimum = /* @__PURE__ */ mergeFactory('minimum', (a) => new Minimum(a));

/** Per-sample normalisation over the last axis (or `axis`), then γ·x̂ + β. @example sg.layers.layerNormalization({ epsilon: 1e-6 }) */
export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  checkConfig('layerNormalization', args, [...LAYER_KEYS, 'axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer']);
  return new LayerNormalization(args);
}

/** Applies `layer` to every time step. @example sg.layers.timeDistributed({ layer: sg.layers.dense({ units: 1 }) }) */
export function timeDistributed(args: TimeDistributedArgs): TimeDistributed {
  checkConfig('timeDistributed', args ?? {}, [...LAYER_KEYS, 'layer']);
  registeredLayers(); // registers the built-in classes, for a `layer` given as { className, config }
  return new TimeDistributed(args);
}

/** Repeats a [batch, features] input n times: [batch, n, features]. @example sg.layers.repeatVector({ n: 10 }) */
export function repeatVector(args: RepeatVectorArgs): RepeatVector {
  checkConfig('repeatVector', args ?? {}, [...LAYER_KEYS, 'n']);
  return new RepeatVector(args);
}

/** A layer's `{ class_name, config }`, as Keras's `keras.layers.serialize` and model.json write it. */
export function serialize(layer: Layer): { class_name: string; config: Record<string, unknown> } {
  return { class_name: layer.getClassName(), config: layer.getConfig() };
}

/**
 * A new layer (unbuilt, fresh weights) from `{ class_name, config }` (or
 * `{ className, config }`), as Keras's `keras.layers.deserialize`.
 * @example const copy = sg.layers.deserialize(sg.layers.serialize(layer));
 */
export function deserialize(entry: { class_name?: string; className?: string; config: Record<string, unknown> }): Layer {
  const cls = entry?.class_name ?? entry?.className;
  if (typeof cls !== 'string' || !entry.config || typeof entry.config !== 'object') throw new Error(`deserialize: expected { class_name, config }, got ${JSON.stringify(entry)?.slice(0, 200)}`);
  return layerFromEntryRaw({ class_name: cls, config: entry.config });
}
