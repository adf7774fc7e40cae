/**
 * Saving and loading models in the TensorFlow.js layers format: a
 * `modelTopology` as tfjs writes it (`Sequential`, or `Model` for functional
 * graphs; `Functional` is accepted on load), a weights manifest named as tfjs
 * names weights ('dense/kernel', 'bidirectional/forward_lstm/kernel'), and the
 * concatenated little-endian weight data. Loading builds the whole model and
 * checks every weight before it assigns any, so a bad file loads nothing and
 * leaks no tensor.
 */
import { checkWeightSpecs, decodeWeights, getHandler } from '../io/index.js';
import type { IOHandler, ModelArtifacts, WeightSpec } from '../io/index.js';
import * as ops from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';
import { InputLayer } from './input_layer.js';
import type { Layer } from './layer.js';
import { withWeightGuard } from './layer.js';
import { checkTopology } from './model_json_checks.js';
import { LayersModel } from './model.js';
import { recurrentFromConfig, RECURRENT_CLASS_NAMES } from './recurrent/index.js';
import { Sequential } from './sequential.js';
import { restoreOptimizer, shadergradTrainingConfig, splitOptimizerWeights } from './optimizer_io.js';
import { deserializeLayer, registeredLayers } from './layer_registry.js';
import { modelToArtifacts, modelTopology, saveModel, uniqueLayers } from './model_save.js';

export { modelToArtifacts, modelTopology, saveModel };
import type { SymbolicTensor } from './symbolic.js';

/** Every class name the loader can build. */
export function loadableLayerClasses(): string[] {
  return [...new Set([...registeredLayers(), ...RECURRENT_CLASS_NAMES])].sort();
}

type Entry = { class_name: string; config: Record<string, unknown> };

/** Builds one layer from its model.json entry (recurrent layers from their raw snake_case config). */
function layerFromEntry(entry: Entry, created: Layer[]): Layer {
  let l: Layer;
  try {
    l = layerFromEntryRaw(entry);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg.startsWith('loadLayersModel')) throw e;
    throw new Error(`loadLayersModel: layer '${String(entry.config.name)}' (${entry.class_name}) cannot be built from its config: ${msg}`);
  }
  created.push(l);
  return l;
}

/** @internal A layer from its model.json entry `{ class_name, config }` (recurrent layers and tfjs's data_format spelling included). */
export function layerFromEntryRaw(entry: Entry): Layer {
  if (!entry || typeof entry.class_name !== 'string' || typeof entry.config !== 'object' || entry.config === null) {
    throw new Error(`loadLayersModel: a layer entry needs class_name and config, got ${JSON.stringify(entry)?.slice(0, 200)}`);
  }
  if ((RECURRENT_CLASS_NAMES as readonly string[]).includes(entry.class_name)) return recurrentFromConfig(entry.class_name, entry.config) as unknown as Layer;
  const loadable = loadableLayerClasses();
  if (!loadable.includes(entry.class_name)) {
    throw new Error(`loadLayersModel: unknown layer class '${entry.class_name}'; known classes: ${loadable.join(', ')}`);
  }
  // tfjs and Keras write data_format as 'channels_last'; the layers take 'channelsLast'.
  const df = entry.config.data_format;
  const fixed = df === 'channels_last' ? 'channelsLast' : df === 'channels_first' ? 'channelsFirst' : df;
  return deserializeLayer(fixed === df ? entry : { ...entry, config: { ...entry.config, data_format: fixed } });
}

/** Builds the model from a topology (no weights set). */
function buildModel(topology: Record<string, unknown>, created: Layer[]): LayersModel {
  // Keras's model.json nests the topology under model_config.
  const top = (topology.model_config as Record<string, unknown> | undefined) ?? topology;
  const className = top.class_name;
  const config = top.config as Record<string, unknown> | Entry[] | undefined;
  if (className === 'Sequential') {
    const list = (Array.isArray(config) ? config : (config?.layers as Entry[] | undefined)) ?? [];
    if (!Array.isArray(list)) throw new Error('loadLayersModel: Sequential config has no layers list');
    const name = Array.isArray(config) ? undefined : (config?.name as string | undefined);
    const layers = list.map((e) => layerFromEntry(e, created));
    return new Sequential({ layers, name });
  }
  if (className === 'Model' || className === 'Functional') {
    const c = config as Record<string, unknown>;
    const entries = c?.layers as (Entry & { name: string; inbound_nodes: unknown[] })[];
    if (!Array.isArray(entries)) throw new Error(`loadLayersModel: ${className} config has no layers list`);
    const byName = new Map<string, Layer>();
    for (const e of entries) byName.set(e.name ?? (e.config.name as string), layerFromEntry(e, created));
    // Apply layers node by node until every inbound node is created (order may need several passes).
    const outputsOf = new Map<string, SymbolicTensor[][]>(); // layer name -> node index -> outputs
    for (const [n, l] of byName) if (l instanceof InputLayer) outputsOf.set(n, [[l.output]]);
    type Pending = { layer: Layer; name: string; refs: unknown[][]; kwargs: Record<string, unknown> };
    const pending: Pending[] = [];
    for (const e of entries) {
      const name = e.name ?? (e.config.name as string);
      for (const nodeData of e.inbound_nodes ?? []) {
        // Keras 2 / tfjs: [[layer, node, tensor, kwargs], ...]; Keras 3: {args: [...]} is not supported.
        if (!Array.isArray(nodeData)) throw new Error(`loadLayersModel: layer '${name}' has an inbound node in an unsupported format`);
        pending.push({ layer: byName.get(name) as Layer, name, refs: nodeData as unknown[][], kwargs: {} });
      }
    }
    let progress = true;
    while (pending.length > 0 && progress) {
      progress = false;
      for (let i = 0; i < pending.length; i++) {
        const p = pending[i];
        const ins: SymbolicTensor[] = [];
        let ready = true;
        for (const r of p.refs) {
          const [ln, ni, ti] = r as [string, number, number];
          if (!byName.has(ln)) throw new Error(`loadLayersModel: layer '${p.name}' takes input from unknown layer '${ln}'`);
          const t = outputsOf.get(ln)?.[ni]?.[ti];
          if (!t) {
            ready = false;
            break;
          }
          ins.push(t);
        }
        if (!ready) continue;
        const out = p.layer.apply(ins.length === 1 ? ins[0] : ins);
        const outs = (Array.isArray(out) ? out : [out]) as SymbolicTensor[];
        const list = outputsOf.get(p.name) ?? [];
        list.push(outs);
        outputsOf.set(p.name, list);
        pending.splice(i, 1);
        i--;
        progress = true;
      }
    }
    if (pending.length > 0) throw new Error(`loadLayersModel: could not connect layers ${pending.map((p) => `'${p.name}'`).join(', ')} (their inputs never become available)`);
    const pick = (refs: unknown, what: string): SymbolicTensor[] =>
      (refs as [string, number, number][]).map(([ln, ni, ti]) => {
        const t = outputsOf.get(ln)?.[ni]?.[ti];
        if (!t) throw new Error(`loadLayersModel: ${what} [${ln}, ${ni}, ${ti}] is not in the graph`);
        return t;
      });
    return new LayersModel({ inputs: pick(c.input_layers, 'input'), outputs: pick(c.output_layers, 'output'), name: c.name as string | undefined });
  }
  throw new Error(`loadLayersModel: unsupported model class '${String(className)}'; expected 'Sequential', 'Model' or 'Functional'`);
}

/** Matches the manifest to the model's weights (per layer, in order) and checks names, counts and shapes. */
function planWeights(model: LayersModel, specs: readonly WeightSpec[]): { layer: Layer; specIdx: number[] }[] {
  const byLayer = new Map<string, number[]>();
  specs.forEach((s, i) => {
    const first = s.name.split('/')[0];
    const l = byLayer.get(first) ?? [];
    l.push(i);
    byLayer.set(first, l);
  });
  const plan: { layer: Layer; specIdx: number[] }[] = [];
  const used = new Set<string>();
  for (const l of uniqueLayers(model)) {
    const ws = l.weights;
    const idx = byLayer.get(l.name) ?? [];
    used.add(l.name);
    if (idx.length !== ws.length) {
      const missing = ws.length > idx.length;
      throw new Error(
        `loadLayersModel: layer '${l.name}' has ${ws.length} weight(s) but the manifest lists ${idx.length}` +
          ` (${missing ? 'missing' : 'extra'} weights; manifest names: ${idx.map((i) => specs[i].name).join(', ') || 'none'})`,
      );
    }
    idx.forEach((si, j) => {
      const s = specs[si];
      if (s.shape.length !== ws[j].shape.length || s.shape.some((d, k) => d !== ws[j].shape[k])) {
        throw new Error(`loadLayersModel: weight '${s.name}' has shape [${s.shape}] in the manifest but layer '${l.name}' expects [${ws[j].shape}]`);
      }
      if (s.dtype !== ws[j].dtype) throw new Error(`loadLayersModel: weight '${s.name}' has dtype ${s.dtype} in the manifest but layer '${l.name}' expects ${ws[j].dtype}`);
    });
    plan.push({ layer: l, specIdx: idx });
  }
  const extra = [...byLayer.keys()].filter((k) => !used.has(k));
  if (extra.length > 0) throw new Error(`loadLayersModel: the manifest has weights for unknown layer(s) ${extra.map((e) => `'${e}'`).join(', ')}: ${extra.flatMap((e) => (byLayer.get(e) ?? []).map((i) => specs[i].name)).join(', ')}`);
  return plan;
}

/** An error from building or filling the model, as `loadLayersModel: …` (internal TypeErrors and RangeErrors become plain Errors). */
function loadError(e: unknown): Error {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof Error && e.constructor === Error && msg.startsWith('loadLayersModel')) return e;
  return new Error(msg.startsWith('loadLayersModel') ? msg : `loadLayersModel: the model.json topology is invalid: ${msg}`);
}

/**
 * Builds a model from artifacts and sets its weights. Everything is checked
 * before the first tensor is made: the manifest (names, shapes, dtypes, byte
 * counts), the topology's structure and config types; while the layers are
 * built, no weight may exceed what the manifest holds (so a corrupted
 * `units: 1e9` is refused before it allocates). On any error nothing is kept.
 */
export function modelFromArtifacts(artifacts: ModelArtifacts): LayersModel {
  if (!artifacts || typeof artifacts.modelTopology !== 'object' || artifacts.modelTopology === null) throw new Error('loadLayersModel: the artifacts have no modelTopology');
  const specs = artifacts.weightSpecs ?? [];
  checkWeightSpecs(specs, 'loadLayersModel');
  // Decode first: size errors need no model.
  const values = artifacts.weightData ? decodeWeights(artifacts.weightData, specs, 'loadLayersModel') : specs.length > 0 ? null : [];
  if (values === null) throw new Error('loadLayersModel: the manifest lists weights but no weight data was given');
  checkTopology(artifacts.modelTopology);
  // The layers may allocate at most what the manifest holds (plus slack for
  // small mismatches, which planWeights then explains weight by weight).
  let budget = values.reduce((n, v) => n + v.values.length, 0) + 2 ** 20;
  const guard = (layer: string, weight: string, shape: readonly number[]): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    if (!(n <= budget)) {
      throw new Error(`loadLayersModel: layer '${layer}' would create weight '${weight}' of shape [${shape}] (${n} values), more than the weights manifest holds (${specs.length} weights): the layer config does not match the weights`);
    }
    budget -= n;
  };
  const created: Layer[] = [];
  try {
    const model = withWeightGuard(guard, () => buildModel(artifacts.modelTopology, created));
    const plan = planWeights(model, specs);
    for (const { layer, specIdx } of plan) {
      if (specIdx.length === 0) continue;
      const ts: Tensor[] = specIdx.map((i) => ops.tensor(values[i].values, values[i].shape, values[i].dtype));
      try {
        layer.setWeights(ts);
      } finally {
        for (const t of ts) t.dispose();
      }
    }
    return model;
  } catch (e) {
    for (const l of created) l.dispose();
    throw loadError(e);
  }
}

/**
 * Loads a model saved by `model.save` or by TensorFlow.js.
 * @example const m = await sg.loadLayersModel('file://./my-model/model.json');
 */
export async function loadLayersModel(handlerOrUrl: string | IOHandler): Promise<LayersModel> {
  const h = getHandler(handlerOrUrl, 'loadLayersModel');
  const a = await (h.load as NonNullable<IOHandler['load']>)();
  // Optimizer state (includeOptimizer) restores a compiled model's optimizer.
  const { model: ma, optimizer } = splitOptimizerWeights(a);
  const model = modelFromArtifacts(ma);
  if (optimizer) {
    try {
      await restoreOptimizer(model, a.trainingConfig ?? shadergradTrainingConfig(a), optimizer, (d, s) => decodeWeights(d, s, 'loadLayersModel'));
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
  return model;
}

/**
 * A model from its topology alone (`{ class_name, config }`, Keras's
 * `model_config` nesting accepted), with fresh weights; on error nothing is kept.
 */
export function modelFromTopology(topology: Record<string, unknown>): LayersModel {
  if (!topology || typeof topology !== 'object') throw new Error(`modelFromJSON: expected a model topology object, got ${topology === null ? 'null' : typeof topology}`);
  const created: Layer[] = [];
  try {
    return buildModel(topology, created);
  } catch (e) {
    for (const l of created) l.dispose();
    throw e;
  }
}
