/**
 * Saving a model in the TensorFlow.js layers format (the write side of
 * model_io.ts). It uses LayersModel as a type only, so model.ts imports it
 * statically (no import circle, no lazy module wrapper in the bundle).
 */
import { encodeWeights, getHandler } from '../io/index.js';
import type { IOHandler, ModelArtifacts, NamedValues, SaveResult } from '../io/index.js';
import type { Tensor } from '../tensor/index.js';
import type { Layer } from './layer.js';
import type { LayersModel } from './model.js';
import { modelTopologyOf } from './model_config.js';
import { addOptimizerWeights, SG_TRAINING_CONFIG_KEY } from './optimizer_io.js';

const GENERATED_BY = 'shadergrad';

/** The model's layers, each once. */
export function uniqueLayers(model: LayersModel): Layer[] {
  return [...new Set(model.layers)];
}

/** The weight's manifest name: its variable name ('dense/kernel'). */
export function weightNames(layer: Layer): string[] {
  const named = layer.namedWeights;
  return layer.weights.map((v, i) => (v.name && v.name.includes('/') ? v.name : `${layer.name}/${named[i]?.name ?? i}`));
}

/** `modelTopology` as tfjs writes it. */
export function modelTopology(model: LayersModel): Record<string, unknown> {
  if (model.outputs.length === 0) throw new Error(`save: model '${model.name}' is not built yet; give the first layer an inputShape, or call fit/predict first`);
  return modelTopologyOf(model);
}

/**
 * The model's topology, weights manifest and weight data, as tfjs's
 * `model.save` hands them to a handler. Weights are read with `await
 * data()`, so this works on every backend (WebGPU reads asynchronously).
 */
export async function modelToArtifacts(model: LayersModel): Promise<ModelArtifacts> {
  const topology = modelTopology(model);
  const vars: { name: string; v: Tensor }[] = [];
  for (const l of uniqueLayers(model)) {
    const names = weightNames(l);
    l.weights.forEach((v, i) => vars.push({ name: names[i], v }));
  }
  const datas = await Promise.all(vars.map(({ v }) => v.data()));
  const ws: NamedValues[] = vars.map(({ name, v }, i) => {
    const dtype = v.dtype === 'int32' ? 'int32' : 'float32';
    const d = datas[i];
    return { name, shape: [...v.shape], dtype, values: dtype === 'int32' ? (d instanceof Int32Array ? d : Int32Array.from(d)) : d instanceof Float32Array ? d : Float32Array.from(d) };
  });
  const { data, specs } = encodeWeights(ws);
  const a: ModelArtifacts = {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
  };
  const tc = trainingConfig(model);
  if (tc) a.trainingConfig = tc;
  return a;
}

/** Our loss names that tfjs spells differently. */
const TFJS_LOSS_NAME: Record<string, string> = { logCosh: 'logcosh' };
/** Names tfjs 4.x resolves when it compiles a loaded model (its optimizers, lossesMap and metricsMap). */
const TFJS_OPTIMIZERS = new Set(['SGD', 'Momentum', 'Adam', 'RMSProp', 'Adagrad', 'Adadelta', 'Adamax']);
const TFJS_LOSSES = new Set([
  'meanSquaredError', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError', 'squaredHinge', 'hinge',
  'categoricalHinge', 'logcosh', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'kullbackLeiblerDivergence',
  'poisson', 'cosineProximity',
]);
const TFJS_METRICS = new Set([
  'accuracy', 'acc', 'crossentropy', 'ce', 'binaryAccuracy', 'categoricalAccuracy', 'precision', 'categoricalCrossentropy',
  'sparseCategoricalCrossentropy', 'mse', 'MSE', 'mae', 'MAE', 'mape', 'MAPE', 'cosine',
]);

/**
 * The compiled model's training config in tfjs's `training_config` layout
 * (loss names, metric names, optimizer class and config), and whether tfjs
 * knows every name in it; undefined when uncompiled or a loss has no name.
 */
function trainingConfigOf(model: LayersModel): { config: Record<string, unknown>; tfjs: boolean } | undefined {
  const t = model.training;
  if (!t || !t.optimizer) return undefined;
  try {
    const names = t.losses.map((l) => TFJS_LOSS_NAME[l.name] ?? l.name);
    if (names.length === 0 || names.some((n) => typeof n !== 'string' || n === '')) return undefined;
    const metrics = [...new Set((t.metrics[0] ?? []).map((m) => m.key))];
    // tfjs recompiles a loaded model from training_config and rejects the whole file on a
    // name it lacks (Nadam, huber, recall, …).
    const tfjs = TFJS_OPTIMIZERS.has(t.optimizer.getClassName()) && names.every((n) => TFJS_LOSSES.has(n)) && metrics.every((m) => TFJS_METRICS.has(m));
    const config = {
      loss: names.length === 1 ? names[0] : names,
      metrics,
      optimizer_config: { class_name: t.optimizer.getClassName(), config: t.optimizer.getConfig() },
    };
    return { config, tfjs };
  } catch {
    return undefined;
  }
}

/** tfjs's `training_config`, when the model is compiled with names tfjs knows. */
function trainingConfig(model: LayersModel): Record<string, unknown> | undefined {
  const tc = trainingConfigOf(model);
  return tc?.tfjs ? tc.config : undefined;
}

/**
 * Saves `model` to a URL (`file://dir`, `indexeddb://name`, …) or an io
 * handler; `includeOptimizer` adds the optimizer's state as tfjs does.
 */
export async function saveModel(model: LayersModel, handlerOrUrl: string | IOHandler, config: { includeOptimizer?: boolean } = {}): Promise<SaveResult> {
  const h = getHandler(handlerOrUrl, 'save');
  const a = await modelToArtifacts(model);
  if (config.includeOptimizer) {
    await addOptimizerWeights(model, a);
    // A config tfjs cannot read goes where tfjs ignores it, so the optimizer state stays loadable here.
    const tc = trainingConfigOf(model);
    if (!a.trainingConfig && tc) a.userDefinedMetadata = { ...a.userDefinedMetadata, [SG_TRAINING_CONFIG_KEY]: tc.config };
  }
  return (h.save as NonNullable<IOHandler['save']>)(a);
}

