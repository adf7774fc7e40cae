/**
 * Built-in layer classes by Keras class name, registered on first lookup
 * rather than by each module at load: a top-level registration call would keep
 * every layer in a bundle that never uses one (the package is side-effect free).
 */
import { Conv1D, Conv2D } from './conv.js';
import type { ConvArgs } from './conv.js';
import { coreLayerClasses } from './core.js';
import { embeddingLayerClasses } from './embedding.js';
import { inputLayerClasses } from './input_layer.js';
import type { Layer } from './layer.js';
import { layerNormalizationClasses } from './layer_normalization.js';
import { mergeLayerClasses } from './merge.js';
import { mergeOpLayerClasses } from './merge_ops.js';
import { normalizationLayerClasses } from './normalization.js';
import { poolingLayerClasses } from './pooling.js';
import { repeatVectorLayerClasses } from './repeat_vector.js';
import type { FromConfig } from './serialization.js';
import { deserializeRegistered, layerFactories } from './serialization.js';
import { timeDistributedLayerClasses } from './time_distributed.js';

let registered = false;

/** Registers the built-in classes once (a class the user registered under the same name wins). */
function registerBuiltins(): void {
  if (registered) return;
  registered = true;
  const builtins: [string, FromConfig][] = [
    ['Conv1D', (a) => new Conv1D(a as unknown as ConvArgs)],
    ['Conv2D', (a) => new Conv2D(a as unknown as ConvArgs)],
    ...[coreLayerClasses, embeddingLayerClasses, inputLayerClasses, layerNormalizationClasses, mergeLayerClasses, mergeOpLayerClasses, normalizationLayerClasses, repeatVectorLayerClasses, timeDistributedLayerClasses].flatMap((t) => Object.entries(t)),
    ...(poolingLayerClasses as readonly [string, FromConfig][]),
  ];
  const have = layerFactories();
  for (const [n, f] of builtins) if (!have.has(n)) have.set(n, f);
}

/** Registers a layer class under its Keras class name, so that `deserializeLayer` and `loadLayersModel` can build it. */
export function registerLayer(className: string, fromConfig: FromConfig): void {
  registerBuiltins();
  layerFactories().set(className, fromConfig);
}

/** Registered class names (the built-in ones and any registered with `registerLayer`). */
export function registeredLayers(): string[] {
  registerBuiltins();
  return [...layerFactories().keys()];
}

/** A layer from its model.json entry `{class_name, config}`. */
export function deserializeLayer(entry: { class_name: string; config: Record<string, unknown> }): Layer {
  registerBuiltins();
  return deserializeRegistered(entry);
}
