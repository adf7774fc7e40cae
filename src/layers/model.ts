/**
 * `LayersModel`: a functional DAG of layers from symbolic inputs to outputs
 * (multiple inputs/outputs, shared layers), with Keras's `layers` order,
 * weights, `predict`, `summary`, and the training API (compile/fit/evaluate,
 * in `training.ts`).
 */
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { tidy } from '../tensor/index.js';
import { graphOrder } from './graph.js';
import { InputLayer } from './input_layer.js';
import type { Layer, Shape } from './layer.js';
import { uniqueName } from './layer.js';
import { summaryLines } from './summary.js';
import { checkConfig } from './config_check.js';
import type { ModelData } from './plain_data.js';
import { toDataList } from './plain_data.js';
import { modelConfig, modelTopologyOf } from './model_config.js';
import type { Node } from './symbolic.js';
import { SymbolicTensor } from './symbolic.js';
import type { CompileArgs, FitArgs, History, TrainingState } from './training.js';
import { compileModel, evaluateModel, fitModel } from './training.js';
import { saveModel } from './model_save.js';

/** Tensor or list of tensors. */
export type Tensors = Tensor | Tensor[];

export class LayersModel {
  name: string;
  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  /** Layers in Keras order (functional models include their InputLayers). */
  protected graphLayers: Layer[] = [];
  protected nodes: Node[] = [];
  /** Set by callbacks (EarlyStopping) to end `fit` after the current epoch. */
  stopTraining = false;
  /** @internal Compile state. */
  training?: TrainingState;

  constructor(args: { inputs?: SymbolicTensor | SymbolicTensor[]; outputs?: SymbolicTensor | SymbolicTensor[]; name?: string } = {}) {
    this.name = args.name ?? uniqueName(this.defaultName());
    if (args.inputs !== undefined || args.outputs !== undefined) {
      if (args.inputs === undefined || args.outputs === undefined) throw new Error(`${this.name}: model() needs both inputs and outputs`);
      this.initGraph(Array.isArray(args.inputs) ? args.inputs : [args.inputs], Array.isArray(args.outputs) ? args.outputs : [args.outputs]);
    }
  }

  protected defaultName(): string {
    return 'functional';
  }

  /** The Keras class name: 'Functional' (tfjs writes 'Model'), or 'Sequential'. */
  getClassName(): string {
    return 'Functional';
  }

  protected initGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    for (const [i, t] of [...inputs, ...outputs].entries()) {
      if (!(t instanceof SymbolicTensor)) throw new Error(`${this.name}: inputs and outputs must be symbolic tensors (from sg.input() and layer.apply()), got ${typeof t} at ${i}`);
    }
    for (const x of inputs) {
      if (!(x.sourceLayer instanceof InputLayer)) throw new Error(`${this.name}: model inputs must come from sg.input(), got ${x.name}`);
    }
    const { nodes, layers } = graphOrder(outputs, this.name);
    const inputLayers = new Set(inputs.map((x) => x.sourceLayer));
    for (const n of nodes) {
      if (n.layer instanceof InputLayer && !inputLayers.has(n.layer)) throw new Error(`${this.name}: the outputs depend on input '${n.layer.name}', which is not in inputs`);
    }
    const names = new Set<string>();
    for (const l of layers) {
      if (names.has(l.name)) throw new Error(`${this.name}: two layers are named '${l.name}'; layer names must be unique`);
      names.add(l.name);
    }
    this.inputs = inputs;
    this.outputs = outputs;
    this.nodes = nodes;
    this.graphLayers = layers;
  }

  /** The layers, in Keras order. */
  get layers(): Layer[] {
    return this.graphLayers;
  }

  /** The layer named `name`. */
  getLayer(name: string): Layer {
    const l = this.layers.find((x) => x.name === name);
    if (!l) throw new Error(`${this.name}.getLayer: no layer named '${name}'; layers: ${this.layers.map((x) => x.name).join(', ')}`);
    return l;
  }

  /** Output names (the output layers' names), used for multi-output history keys. */
  get outputNames(): string[] {
    return this.outputs.map((o) => o.sourceLayer.name);
  }

  get weights(): Variable[] {
    return this.uniqueLayers().flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.uniqueLayers().flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.uniqueLayers().flatMap((l) => l.nonTrainableWeights);
  }

  private uniqueLayers(): Layer[] {
    return [...new Set(this.layers)];
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of all weights in Keras order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.clone());
  }

  /** Sets all weights from tensors in Keras order (shapes must match). */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) throw new Error(`${this.name}.setWeights: expected ${ws.length} tensors, got ${values.length}`);
    let i = 0;
    for (const l of this.uniqueLayers()) {
      const n = l.weights.length;
      l.setWeights(values.slice(i, i + n));
      i += n;
    }
  }

  /** Sum of all layers' regularization penalties, or null. */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const l of this.uniqueLayers()) {
      const p = l.regularizationLoss();
      if (p) total = total ? ops.add(total, p) : p;
    }
    return total;
  }

  /** @internal Makes sure the graph exists (Sequential builds lazily from data). */
  ensureBuilt(_xs: readonly Tensor[]): void {
    if (this.outputs.length === 0) throw new Error(`${this.name}: the model has no layers or outputs`);
  }

  /**
   * @internal x (tensors, plain arrays, typed arrays, a list or a dict keyed by
   * input name) as a checked tensor list matching `inputs`; tensors made from
   * plain data are pushed to `owned` for the caller to dispose (without
   * `owned`, `x` must already be tensors).
   */
  normaliseInputs(x: ModelData, what = 'x', owned?: Tensor[], op = 'predict'): Tensor[] {
    const where = `${this.name}.${op}`;
    const made: Tensor[] = [];
    const names = this.inputs.map((s) => s.sourceLayer.name);
    let xs: Tensor[];
    try {
      xs = toDataList(x, names, where, what, made, this.inputs.map((s) => s.shape.slice(1)));
      if (made.length > 0 && !owned) throw new Error(`${where}: ${what} must be tensors here`);
      this.ensureBuilt(xs);
      if (xs.length !== this.inputs.length) throw new Error(`${this.name}: expected ${this.inputs.length} input tensor(s) for ${what}, got ${xs.length}`);
    } catch (e) {
      ops.dispose(made);
      throw e;
    }
    owned?.push(...made);
    xs.forEach((t, i) => {
      const want = this.inputs[i].shape;
      if (t.rank !== want.length || want.some((d, j) => d !== null && d !== t.shape[j])) {
        ops.dispose(made);
        throw new Error(`${this.name}: input ${i} ('${this.inputs[i].sourceLayer.name}') expects shape ${JSON.stringify(want)}, got [${t.shape}]`);
      }
    });
    return xs;
  }

  /** @internal Runs the graph on concrete inputs (no argument checks). */
  execute(xs: readonly Tensor[], training: boolean): Tensor[] {
    const values = new Map<number, Tensor>();
    this.inputs.forEach((s, i) => values.set(s.id, xs[i]));
    for (const node of this.nodes) {
      if (node.layer instanceof InputLayer) continue;
      const ins = node.inputs.map((s) => {
        const v = values.get(s.id);
        if (!v) throw new Error(`${this.name}: no value for ${s.name} feeding '${node.layer.name}'`);
        return v;
      });
      const out = node.layer.apply(node.inputIsList ? ins : ins[0], { training });
      const outs = Array.isArray(out) ? out : [out];
      node.outputs.forEach((s, i) => values.set(s.id, outs[i]));
    }
    return this.outputs.map((s) => values.get(s.id) as Tensor);
  }

  /** Calls the model on concrete tensors (training false unless given). */
  call(x: ModelData, args: { training?: boolean } = {}): Tensors {
    checkConfig(`${this.name}.call`, args, ['training']);
    const owned: Tensor[] = [];
    const xs = this.normaliseInputs(x, 'x', owned, 'call');
    const outs = tidy(() => this.execute(xs, args.training ?? false));
    ops.dispose(owned);
    return outs.length === 1 ? outs[0] : outs;
  }

  /**
   * Outputs for inputs `x` (inference mode), computed in batches of
   * `batchSize` (default 32) and concatenated.
   */
  predict(x: ModelData, args: { batchSize?: number; verbose?: number } = {}): Tensors {
    checkConfig(`${this.name}.predict`, args, ['batchSize', 'verbose']);
    const bs = args.batchSize ?? 32;
    if (!Number.isInteger(bs) || bs < 1) throw new Error(`${this.name}.predict: batchSize must be a positive integer, got ${bs}`);
    const owned: Tensor[] = [];
    const xs = this.normaliseInputs(x, 'x', owned, 'predict');
    const n = xs[0].shape[0];
    const outs = tidy(() => {
      if (n <= bs) return this.execute(xs, false);
      const parts: Tensor[][] = this.outputs.map(() => []);
      for (let s = 0; s < n; s += bs) {
        const len = Math.min(bs, n - s);
        const batch = xs.map((t) => ops.slice(t, [s, ...t.shape.slice(1).map(() => 0)], [len, ...t.shape.slice(1)]));
        this.execute(batch, false).forEach((o, i) => parts[i].push(o));
      }
      return parts.map((p) => ops.concat(p, 0));
    });
    ops.dispose(owned);
    return outs.length === 1 ? outs[0] : outs;
  }

  /** Prints the Keras-style table of layers, output shapes and parameter counts. */
  summary(printFn: (line: string) => void = console.log): void {
    if (this.outputs.length === 0) throw new Error(`${this.name}.summary: the model is not built yet; give the first layer an inputShape, or call fit/predict first`);
    for (const line of summaryLines(this)) printFn(line);
  }

  /** Sets the optimizer, loss(es) and metrics for `fit`/`evaluate`. */
  compile(args: CompileArgs): void {
    compileModel(this, args);
  }

  /** Trains for `epochs`; resolves to the History (per-epoch logs). */
  fit(x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
    return fitModel(this, x, y, args);
  }

  /** Loss (and metrics) on (x, y) in inference mode: a scalar, or [loss, ...metrics]. */
  evaluate(x: ModelData, y: ModelData, args: { batchSize?: number; verbose?: number } = {}): Promise<Tensor | Tensor[]> {
    return evaluateModel(this, x, y, args);
  }

  /**
   * One gradient step on the batch (x, y), all of it at once; resolves to the
   * loss before the step, or [loss, ...metrics] when compiled with metrics
   * (tfjs's and Keras's `trainOnBatch`).
   */
  async trainOnBatch(x: Tensors, y: Tensors): Promise<number | number[]> {
    // One epoch whose single batch is the whole input: fit's checks, step and logs.
    const h = await this.fit(x, y, { epochs: 1, batchSize: 2 ** 31 - 1, shuffle: false, verbose: 0 });
    const keys = this.training?.keys ?? ['loss'];
    const vals = keys.map((k) => h.history[k][0]);
    return vals.length === 1 ? vals[0] : vals;
  }

  /** Outputs for the batch `x` in one pass (inference mode), as Keras's `predict_on_batch`. */
  predictOnBatch(x: Tensors): Tensors {
    return this.predict(x, { batchSize: 2 ** 31 - 1 });
  }

  /** The model's configuration as saved in model.json (Keras's `get_config()`); rebuild with `sg.models.modelFromConfig`. */
  getConfig(): Record<string, unknown> {
    return modelConfig(this);
  }

  /** The topology as a JSON string (`{ class_name, config, keras_version, backend }`), as Keras's `to_json()`; `sg.models.modelFromJSON` reads it back. */
  toJSON(): string {
    return JSON.stringify(modelTopologyOf(this));
  }

  /** The optimizer given to `compile`. */
  get optimizer(): TrainingState['optimizer'] | undefined {
    return this.training?.optimizer;
  }

  /** Saves to `file://dir` (in Node also a plain path, e.g. `save('my-model')`), `indexeddb://name`, `localstorage://name`, `downloads://name` or an io handler, in the TensorFlow.js layers format; `{ includeOptimizer: true }` adds the optimizer's state. */
  async save(handlerOrUrl: string | import('../io/types.js').IOHandler, config: { includeOptimizer?: boolean } = {}): Promise<import('../io/types.js').SaveResult> {
    return saveModel(this, handlerOrUrl, config);
  }

  /** Frees all weights and optimizer slots. */
  dispose(): void {
    for (const l of this.uniqueLayers()) l.dispose();
    this.training?.optimizer.dispose();
  }

  /** @internal Output shape of the model's i-th output. */
  outputShape(i = 0): Shape {
    return this.outputs[i].shape;
  }

  /** @internal Nodes in execution order (for summary). */
  get graphNodes(): readonly Node[] {
    return this.nodes;
  }
}

/**
 * A functional model from symbolic inputs to outputs.
 * @example const x = sg.input({ shape: [4] }); const m = sg.model({ inputs: x, outputs: sg.layers.dense({ units: 1 }).apply(x) });
 */
export function model(args: { inputs: SymbolicTensor | SymbolicTensor[]; outputs: SymbolicTensor | SymbolicTensor[]; name?: string }): LayersModel {
  checkConfig('model', args, ['inputs', 'outputs', 'name']);
  return new LayersModel(args);
}
