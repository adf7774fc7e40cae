/**
 * The optimizer's state in saved models, as TensorFlow.js's
 * `model.save(url, { includeOptimizer: true })` writes it: the optimizer's
 * `getWeights()` appended to the weights manifest with `group: 'optimizer'`
 * (and their values to the weight data), and the `trainingConfig` that names
 * the optimizer and loss. Loading such a file compiles the model from its
 * `trainingConfig` and restores the optimizer's state, so training continues
 * where it stopped, in either library.
 */
import { concatBuffers, encodeWeights } from '../io/index.js';
import type { ModelArtifacts, NamedValues, WeightSpec } from '../io/index.js';
import * as ops from '../tensor/index.js';
import type { LayersModel } from './model.js';
import type { NamedTensor, Optimizer } from './optimizers.js';
import { adam, rmsprop, sgd } from './optimizers.js';
import { adagrad, adamw, nadam } from './optimizers_extra.js';

/** A manifest entry with tfjs's optional weight group. */
type GroupedSpec = WeightSpec & { group?: string };

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * The key under `userDefinedMetadata` that holds the training config of a
 * model compiled with names tfjs lacks (Nadam, AdamW, huber, recall, …):
 * tfjs ignores it there (as a `trainingConfig` it would reject the file),
 * and shadergrad's loader reads it to restore the optimizer's state.
 */
export const SG_TRAINING_CONFIG_KEY = 'shadergradTrainingConfig';

/** The training config stored under `userDefinedMetadata[SG_TRAINING_CONFIG_KEY]`, if any. */
export function shadergradTrainingConfig(a: ModelArtifacts): Record<string, unknown> | undefined {
  const tc = a.userDefinedMetadata?.[SG_TRAINING_CONFIG_KEY];
  return tc !== null && typeof tc === 'object' && !Array.isArray(tc) ? (tc as Record<string, unknown>) : undefined;
}

/** Appends the compiled model's optimizer state to `a` (tfjs's includeOptimizer). */
export async function addOptimizerWeights(model: LayersModel, a: ModelArtifacts): Promise<void> {
  const opt = model.optimizer;
  if (!opt) throw new Error(`${model.name}.save: includeOptimizer needs a compiled model (call compile() first)`);
  const named = await opt.getWeights();
  try {
    const values = await Promise.all(named.map((n) => n.tensor.data()));
    const ws: NamedValues[] = named.map((n, i) => {
      const int = n.tensor.dtype === 'int32';
      const v = values[i];
      return { name: n.name, shape: [...n.tensor.shape], dtype: int ? 'int32' : 'float32', values: int ? Int32Array.from(v) : v instanceof Float32Array ? v : Float32Array.from(v) };
    });
    const { data, specs } = encodeWeights(ws);
    a.weightSpecs = [...(a.weightSpecs ?? []), ...specs.map((s): GroupedSpec => ({ ...s, group: 'optimizer' }))];
    a.weightData = concatBuffers([a.weightData ?? new ArrayBuffer(0), data]);
  } finally {
    named[0].tensor.dispose();
  }
}

/**
 * Splits the optimizer group off `a` (tfjs's decodeModelAndOptimizerWeights):
 * the model's artifacts without it, and the optimizer's specs and bytes, or
 * null when the file has none. Nothing is decoded or allocated here.
 */
export function splitOptimizerWeights(a: ModelArtifacts): { model: ModelArtifacts; optimizer: { specs: WeightSpec[]; data: ArrayBuffer } | null } {
  const specs = (a.weightSpecs ?? []) as GroupedSpec[];
  if (!specs.some((s) => s.group === 'optimizer') || !a.weightData) return { model: a, optimizer: null };
  const modelParts: ArrayBuffer[] = [];
  const optParts: ArrayBuffer[] = [];
  const modelSpecs: WeightSpec[] = [];
  const optSpecs: WeightSpec[] = [];
  let off = 0;
  for (const s of specs) {
    const n = (Array.isArray(s.shape) ? s.shape.reduce((x, y) => x * y, 1) : NaN) * (BYTES[s.dtype] ?? NaN);
    if (!Number.isInteger(n) || n < 0 || off + n > a.weightData.byteLength) {
      throw new Error(`loadLayersModel: weight '${s.name}' (${s.dtype} [${s.shape}]) does not fit the ${a.weightData.byteLength} bytes of weight data`);
    }
    const part = a.weightData.slice(off, off + n);
    off += n;
    if (s.group === 'optimizer') {
      optSpecs.push(s);
      optParts.push(part);
    } else {
      modelSpecs.push(s);
      modelParts.push(part);
    }
  }
  return { model: { ...a, weightSpecs: modelSpecs, weightData: concatBuffers(modelParts) }, optimizer: { specs: optSpecs, data: concatBuffers(optParts) } };
}

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** An optimizer from a trainingConfig's `optimizer_config` (tfjs's class names, and the ones shadergrad wrote before it used them). */
function optimizerFromConfig(c: { class_name?: string; config?: Record<string, number | boolean> } | undefined): Optimizer {
  const cfg = c?.config ?? {};
  const num = (k: string): number | undefined => (typeof cfg[k] === 'number' ? (cfg[k] as number) : undefined);
  switch (c?.class_name) {
    case 'Adam':
      return adam({ learningRate: num('learningRate'), beta1: num('beta1'), beta2: num('beta2'), epsilon: num('epsilon') });
    case 'SGD':
    case 'SGDOptimizer':
      return sgd({ learningRate: num('learningRate') });
    case 'Momentum':
    case 'MomentumOptimizer':
      return sgd({ learningRate: num('learningRate'), momentum: num('momentum'), nesterov: Boolean(cfg.useNesterov) });
    case 'RMSProp':
    case 'RMSPropOptimizer':
      return rmsprop({ learningRate: num('learningRate'), rho: num('decay'), momentum: num('momentum'), epsilon: num('epsilon'), centered: Boolean(cfg.centered) });
    case 'Adagrad':
    case 'AdagradOptimizer':
      return adagrad({ learningRate: num('learningRate'), initialAccumulatorValue: num('initialAccumulatorValue'), epsilon: num('epsilon') });
    case 'Nadam':
      return nadam({ learningRate: num('learningRate'), beta1: num('beta1'), beta2: num('beta2'), epsilon: num('epsilon') });
    case 'AdamW':
      return adamw({ learningRate: num('learningRate'), weightDecay: num('weightDecay'), beta1: num('beta1'), beta2: num('beta2'), epsilon: num('epsilon') });
    default:
      throw new Error(`loadLayersModel: the file holds optimizer state for '${c?.class_name}', which shadergrad cannot build; known: Adam, SGD, Momentum, RMSProp, Adagrad, Nadam, AdamW`);
  }
}

/**
 * Compiles `model` from the file's trainingConfig and gives its optimizer the
 * saved state (bound by position to `model.trainableWeights`, as tfjs does).
 */
export async function restoreOptimizer(model: LayersModel, trainingConfig: Record<string, unknown> | undefined, saved: { specs: WeightSpec[]; data: ArrayBuffer }, decode: (data: ArrayBuffer, specs: WeightSpec[]) => NamedValues[]): Promise<void> {
  if (!trainingConfig) throw new Error('loadLayersModel: the file holds optimizer state but no trainingConfig naming the optimizer and loss');
  const tc = trainingConfig as { loss?: string | string[]; metrics?: string[]; optimizer_config?: { class_name?: string; config?: Record<string, number | boolean> } };
  const values = decode(saved.data, saved.specs);
  const optimizer = optimizerFromConfig(tc.optimizer_config);
  const loss = Array.isArray(tc.loss) ? tc.loss.map(camel) : typeof tc.loss === 'string' ? camel(tc.loss) : undefined;
  if (loss === undefined) throw new Error('loadLayersModel: the trainingConfig names no loss');
  const named: NamedTensor[] = values.map((v) => ({ name: v.name, tensor: ops.tensor(v.values, v.shape, v.dtype) }));
  try {
    model.compile({ optimizer, loss, metrics: Array.isArray(tc.metrics) ? tc.metrics.map(camel) : undefined });
    const vars = model.trainableWeights;
    const k = optimizer.slotNames().length;
    await optimizer.setWeights(named, k > 0 && named.length - 1 === k * vars.length ? vars : undefined);
  } finally {
    ops.dispose(named.map((n) => n.tensor));
  }
}
