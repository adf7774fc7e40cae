/**
 * `sg.models.*`: models from their configuration, as Keras's
 * `model_from_json` / `Model.from_config` and tfjs's `tf.models.modelFromJSON`.
 * The layers get fresh weights; copy them with `setWeights(getWeights())`.
 */
import type { LayersModel } from './model.js';
import { modelFromTopology } from './model_io.js';

/**
 * A model from `model.toJSON()` (a string or its parsed object), a
 * model.json's `modelTopology`, or a whole model.json (`{ modelTopology }`).
 * @example const copy = sg.models.modelFromJSON(model.toJSON());
 */
export function modelFromJSON(json: string | Record<string, unknown>): LayersModel {
  let obj: unknown = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new Error(`modelFromJSON: not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`modelFromJSON: expected a JSON object with class_name and config, got ${Array.isArray(obj) ? 'an array' : obj === null ? 'null' : typeof obj}`);
  const o = obj as Record<string, unknown>;
  const topology = (o.modelTopology as Record<string, unknown> | undefined) ?? o;
  if (typeof topology.class_name !== 'string' && typeof (topology.model_config as Record<string, unknown> | undefined)?.class_name !== 'string') {
    throw new Error(`modelFromJSON: the object has no class_name ('Sequential', 'Model' or 'Functional'); keys: ${Object.keys(topology).join(', ')}`);
  }
  return modelFromTopology(topology);
}

/**
 * A model from `model.getConfig()`: Sequential when the config has no
 * `input_layers`, functional otherwise (or as `className` says).
 * @example const copy = sg.models.modelFromConfig(model.getConfig());
 */
export function modelFromConfig(config: Record<string, unknown>, className?: 'Sequential' | 'Model' | 'Functional'): LayersModel {
  if (!config || typeof config !== 'object') throw new Error(`modelFromConfig: expected the object from model.getConfig(), got ${config === null ? 'null' : typeof config}`);
  const cls = className ?? ('input_layers' in config ? 'Model' : 'Sequential');
  return modelFromTopology({ class_name: cls, config });
}
