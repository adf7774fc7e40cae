/**
 * `compile`, `fit` and `evaluate`, following TensorFlow.js's training loop
 * (the numerical reference): batches are consecutive slices (after an
 * optional shuffle), each step minimises mean(loss) summed over outputs plus
 * the regularization penalties, and the epoch's `loss` and metrics are the
 * batch values averaged with batch-size weights. `validationSplit` holds out
 * the last fraction of the samples, before shuffling, as Keras does.
 *
 * Where tfjs and Keras differ we follow tfjs and say so: validation losses
 * (and `evaluate`) leave out the regularization penalties, as tfjs does
 * (Keras adds them); metric history keys are named as the user wrote them
 * (`'accuracy'` → `accuracy`, `val_accuracy`), as Keras does (tfjs writes `acc`).
 * Multi-output models log `loss`, `<output>_loss` per output and
 * `<output>_<metric>`, with `val_` twins, in Keras's order and meaning;
 * tfjs 4.x misnames its multi-output validation logs (its evaluate list
 * starts with a spurious copy of the first output's loss, shifting every
 * `val_` name by one) — we do not copy that.
 *
 * User callbacks with batch hooks see Keras's order (onBatchEnd(b) before
 * onBatchBegin(b + 1)).
 *
 * On a GPU backend a step never waits for its own loss: the loss scalar's
 * read is started after the step is recorded and awaited after the next step
 * has been dispatched, so the device always has the next step queued.
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { Rng, nextSeed, tidy } from '../tensor/index.js';
import { noGrad, variableGrads } from '../autograd/index.js';
import type { CustomCallbackArgs, Logs } from './callbacks.js';
import { Callback, CallbackList, History, ProgressLogger } from './callbacks.js';
import type { LossFn } from './losses.js';
import { getLoss } from './losses.js';
import type { MetricFn } from './metrics.js';
import { getMetric } from './metrics.js';
import type { LayersModel } from './model.js';
import type { Optimizer } from './optimizers.js';
import { getOptimizer } from './optimizer_lookup.js';
import { checkConfig, keysOf } from './config_check.js';
import type { DataLike, ModelData } from './plain_data.js';
import { toDataList } from './plain_data.js';
import type { ClassWeight } from './sample_weights.js';
import { sampleWeights, weighLoss } from './sample_weights.js';
import type { FitPosition } from './fit_position.js';
import { deviceLostError } from './fit_position.js';

export { History };

type LossSpec = string | LossFn | { name: string; fromLogits?: boolean };

export interface CompileArgs {
  /** An optimizer, its name ('sgd' | 'adam' | 'rmsprop'), or a learning rate for Adam. */
  optimizer: Optimizer | string | number;
  /** One loss for every output, a list (one per output), or a map output-name → loss. */
  loss: LossSpec | LossSpec[] | Record<string, LossSpec>;
  /** Metric names or functions for every output, or a map output-name → metrics. */
  metrics?: (string | MetricFn)[] | Record<string, string | MetricFn | (string | MetricFn)[]>;
}

interface NamedMetric {
  key: string;
  fn: MetricFn;
}

/** What `compile` fixed (the model's `training` state; its shape is not a stable API). */
export interface TrainingState {
  optimizer: Optimizer;
  losses: { fn: LossFn; name: string }[];
  /** Per output. */
  metrics: NamedMetric[][];
  /** Log keys in order: loss, per-output losses (several outputs), metrics. */
  keys: string[];
  /** Set while the model was unbuilt at compile time. */
  args?: CompileArgs;
}

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  /** Fraction (0..1) of the samples, taken from the end, held out for validation. */
  validationSplit?: number;
  validationData?: [ModelData, ModelData];
  callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
  /** 0 silent, 1 progress bar (plain lines when not a terminal), 2 one line per epoch. */
  verbose?: number;
  initialEpoch?: number;
  /** Per-sample loss weights [n] (a list or dict keyed by output name for several outputs), as Keras's sample_weight. */
  sampleWeight?: DataLike | DataLike[] | Record<string, DataLike>;
  /** Class id → loss weight (per output: a list or dict), as Keras's class_weight. */
  classWeight?: ClassWeight | ClassWeight[] | Record<string, ClassWeight>;
  /** Seed for the shuffles (default: drawn from the global generator, see `setSeed`). */
  seed?: number;
}

const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

const COMPILE_KEYS = /* @__PURE__ */ keysOf<CompileArgs>({ optimizer: true, loss: true, metrics: true });
const FIT_KEYS = /* @__PURE__ */ keysOf<FitArgs>({
  epochs: true, batchSize: true, shuffle: true, validationSplit: true, validationData: true, callbacks: true, verbose: true,
  initialEpoch: true, sampleWeight: true, classWeight: true, seed: true,
});
/** Hook names a plain-object callback may have; other `on…` keys are typos. */
const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'];

/** @internal Implements `model.compile`. */
export function compileModel(model: LayersModel, args: CompileArgs): void {
  if (args) checkConfig(`${model.name}.compile`, args, COMPILE_KEYS);
  if (!args || args.optimizer === undefined) throw new Error(`${model.name}.compile: an optimizer is required`);
  if (args.loss === undefined) throw new Error(`${model.name}.compile: a loss is required`);
  // An unbuilt Sequential has one output whose shape is known after the first data.
  const built = model.outputs.length > 0;
  const names = built ? model.outputNames : ['output'];
  const nOut = names.length;
  let lossSpecs: LossSpec[];
  if (Array.isArray(args.loss)) {
    if (args.loss.length !== nOut) throw new Error(`${model.name}.compile: ${args.loss.length} losses for ${nOut} output(s)`);
    lossSpecs = args.loss;
  } else if (typeof args.loss === 'object' && !('name' in args.loss)) {
    const rec = args.loss as Record<string, LossSpec>;
    for (const k of Object.keys(rec)) if (!names.includes(k)) throw new Error(`${model.name}.compile: loss given for unknown output '${k}'; outputs: ${names.join(', ')}`);
    lossSpecs = names.map((n) => {
      const l = rec[n];
      if (l === undefined) throw new Error(`${model.name}.compile: no loss for output '${n}'`);
      return l;
    });
  } else lossSpecs = names.map(() => args.loss as LossSpec);
  const named = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new Error(`${model.name}.compile: ${(e as Error).message}`);
    }
  };
  const losses = lossSpecs.map((l) => named(() => getLoss(l)));

  const metrics: NamedMetric[][] = names.map(() => []);
  if (args.metrics !== undefined) {
    const perOutput: (string | MetricFn)[][] = Array.isArray(args.metrics)
      ? names.map(() => args.metrics as (string | MetricFn)[])
      : names.map((n) => asList((args.metrics as Record<string, string | MetricFn | (string | MetricFn)[]>)[n] ?? []));
    perOutput.forEach((ms, i) => {
      for (const m of ms) {
        const fn = named(() => getMetric(m, losses[i].name, built ? model.outputShape(i) : [null]));
        const base = typeof m === 'string' ? m : m.name || 'metric';
        metrics[i].push({ key: nOut > 1 ? `${names[i]}_${base}` : base, fn });
      }
    });
  }
  const keys = ['loss', ...(nOut > 1 ? names.map((n) => `${n}_loss`) : []), ...metrics.flat().map((m) => m.key)];
  const optimizer = named(() => getOptimizer(args.optimizer));
  if (model.training && model.training.optimizer !== optimizer) model.training.optimizer.dispose();
  model.training = { optimizer, losses, metrics, keys, args: built ? undefined : args };
}

/** Resolves a compile done before the model was built (metric choice depends on the output shape). */
function finishCompile(model: LayersModel): void {
  const st = model.training;
  if (!st?.args || model.outputs.length === 0) return;
  const opt = st.optimizer;
  const args = st.args;
  model.training = undefined;
  compileModel(model, { ...args, optimizer: opt });
}

function state(model: LayersModel, op: string): TrainingState {
  if (!model.training) throw new Error(`${model.name}.${op}: call compile() first`);
  return model.training;
}

/** Checks targets against the model's outputs and the sample count. */
function normaliseTargets(model: LayersModel, y: ModelData, n: number, what: string, owned: Tensor[], op: string): Tensor[] {
  const ys = toDataList(y, model.outputNames, `${model.name}.${op}`, what, owned, model.outputs.map((o) => o.shape.slice(1)));
  if (ys.length !== model.outputs.length) throw new Error(`${model.name}: expected ${model.outputs.length} target tensor(s) for ${what}, got ${ys.length}`);
  const losses = model.training?.losses;
  ys.forEach((t, i) => {
    // Keras takes targets [n] for an output [n, 1].
    const o = model.outputShape(i);
    if (t.rank === 1 && o.length === 2 && o[1] === 1 && losses?.[i]?.name !== 'sparseCategoricalCrossentropy') {
      t = ys[i] = ops.reshape(t, [t.shape[0], 1]);
      owned.push(t);
    }
    if (t.shape[0] !== n) throw new Error(`${model.name}: ${what}[${i}] has ${t.shape[0]} samples but the inputs have ${n} (shape [${t.shape}])`);
    // The built-in losses need targets shaped like the output (sparse: one id per position).
    const loss = losses?.[i]?.name;
    if (!loss || !BUILTIN_LOSSES.has(loss)) return;
    const out = model.outputShape(i);
    const sparse = loss === 'sparseCategoricalCrossentropy';
    const inner = out.slice(1, sparse ? -1 : undefined);
    const ok = sparse
      ? inner.every((d) => d !== null) && t.size === n * inner.reduce((a: number, d) => a * (d as number), 1)
      : t.rank === out.length && out.every((d, j) => j === 0 || d === null || d === t.shape[j]);
    if (!ok) {
      const need = sparse ? 'one class id per sample' : 'targets shaped like the output';
      throw new Error(`${model.name}: ${what}[${i}] has shape [${t.shape}] but output '${model.outputNames[i]}' has shape ${JSON.stringify(out)}; ${loss} needs ${need}`);
    }
  });
  return ys;
}

const BUILTIN_LOSSES = new Set(['meanSquaredError', 'meanAbsoluteError', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy']);

function sampleCount(model: LayersModel, xs: readonly Tensor[], what: string): number {
  const n = xs[0].shape[0];
  xs.forEach((t, i) => {
    if (t.shape[0] !== n) throw new Error(`${model.name}: ${what} inputs disagree on the sample count: input 0 has ${n}, input ${i} has ${t.shape[0]}`);
  });
  return n;
}

/** Per-output mean losses, their sum and the metric values, for one batch. */
function lossesAndMetrics(st: TrainingState, ys: readonly Tensor[], preds: readonly Tensor[], ws?: readonly (Tensor | null)[]): { total: Tensor; perOutput: Tensor[]; metrics: Tensor[] } {
  const perOutput = st.losses.map((l, i) => ops.mean(weighLoss(l.fn(ys[i], preds[i]), ws?.[i])));
  const total = perOutput.reduce((a, b) => ops.add(a, b));
  const metrics = noGrad(() => st.metrics.flatMap((ms, i) => ms.map((m) => ops.mean(m.fn(ys[i], preds[i])))));
  return { total, perOutput, metrics };
}

/** Rows [start, start+len) of every tensor, or the rows at `idx`. */
function batchOf(ts: readonly Tensor[], start: number, len: number, idx: Tensor | null): Tensor[] {
  return ts.map((t) => (idx ? ops.gather(t, idx, 0) : ops.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [len, ...t.shape.slice(1)])));
}

/** Accumulates batch values weighted by batch size; read once per epoch. */
class Averager {
  private sums: number[] = [];
  private count = 0;
  add(values: ArrayLike<number>, size: number): void {
    for (let i = 0; i < values.length; i++) this.sums[i] = (this.sums[i] ?? 0) + values[i] * size;
    this.count += size;
  }
  means(): number[] {
    return this.sums.map((s) => s / this.count);
  }
}

/** The batch values as one float32 vector, so a step costs one readback. */
function packScalars(ts: Tensor[]): Tensor {
  return ts.length === 1 ? ops.reshape(ts[0], [1]) : ops.stack(ts);
}

/**
 * Loss and metrics of (x, y) in inference mode, batch-size weighted, as
 * numbers keyed like the fit logs.
 */
async function testLoop(model: LayersModel, xs: readonly Tensor[], ys: readonly Tensor[], batchSize: number): Promise<number[]> {
  const st = state(model, 'evaluate');
  const n = xs[0].shape[0];
  const avg = new Averager();
  for (let s = 0; s < n; s += batchSize) {
    const len = Math.min(batchSize, n - s);
    const v = tidy(() => {
      const xb = batchOf(xs, s, len, null);
      const yb = batchOf(ys, s, len, null);
      const preds = model.execute(xb, false);
      const r = lossesAndMetrics(st, yb, preds);
      return packScalars([r.total, ...(r.perOutput.length > 1 ? r.perOutput : []), ...r.metrics]);
    });
    const vals = await v.data();
    v.dispose();
    avg.add(vals, len);
  }
  return avg.means();
}

function checkBatchSize(model: LayersModel, op: string, bs: number): void {
  if (!Number.isInteger(bs) || bs < 1) throw new Error(`${model.name}.${op}: batchSize must be a positive integer, got ${bs}`);
}

/** @internal Implements `model.evaluate`: scalar loss, or [loss, ...metrics]. */
export async function evaluateModel(model: LayersModel, x: ModelData, y: ModelData, args: { batchSize?: number; verbose?: number } = {}): Promise<Tensor | Tensor[]> {
  checkConfig(`${model.name}.evaluate`, args, ['batchSize', 'verbose']);
  state(model, 'evaluate');
  const owned: Tensor[] = [];
  try {
    const xs = model.normaliseInputs(x, 'x', owned, 'evaluate');
    finishCompile(model);
    const st = state(model, 'evaluate');
    const n = sampleCount(model, xs, 'evaluate');
    const ys = normaliseTargets(model, y, n, 'y', owned, 'evaluate');
    const bs = args.batchSize ?? 32;
    checkBatchSize(model, 'evaluate', bs);
    const vals = await testLoop(model, xs, ys, bs);
    const out = vals.map((v) => ops.scalar(v));
    return st.keys.length === 1 ? out[0] : out;
  } finally {
    ops.dispose(owned);
  }
}

/** @internal Implements `model.fit`. */
export async function fitModel(model: LayersModel, x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
  checkConfig(`${model.name}.fit`, args, FIT_KEYS);
  const owned: Tensor[] = [];
  try {
    return await fitLoop(model, x, y, args, owned);
  } finally {
    ops.dispose(owned);
  }
}

async function fitLoop(model: LayersModel, x: ModelData, y: ModelData, args: FitArgs, owned: Tensor[]): Promise<History> {
  state(model, 'fit');
  let xs = model.normaliseInputs(x, 'x', owned, 'fit');
  finishCompile(model);
  const st = state(model, 'fit');
  const n0 = sampleCount(model, xs, 'fit');
  let ys = normaliseTargets(model, y, n0, 'y', owned, 'fit');
  let ws = await sampleWeights(ys, model.outputNames, `${model.name}.fit`, owned, args.sampleWeight, args.classWeight);
  const epochs = args.epochs ?? 1;
  const batchSize = args.batchSize ?? 32;
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`${model.name}.fit: epochs must be a non-negative integer, got ${epochs}`);
  checkBatchSize(model, 'fit', batchSize);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`${model.name}.fit: initialEpoch must be a non-negative integer, got ${initialEpoch}`);
  if (n0 === 0) throw new Error(`${model.name}.fit: no samples (x has 0 rows)`);

  // Validation data: given, or the last fraction of the samples.
  let valXs: Tensor[] | null = null;
  let valYs: Tensor[] | null = null;
  if (args.validationData) {
    if (!Array.isArray(args.validationData) || args.validationData.length < 2) throw new Error(`${model.name}.fit: validationData must be [x, y]`);
    valXs = model.normaliseInputs(args.validationData[0], 'validationData x', owned, 'fit');
    valYs = normaliseTargets(model, args.validationData[1], sampleCount(model, valXs, 'validationData'), 'validationData y', owned, 'fit');
  } else if (args.validationSplit !== undefined && args.validationSplit !== 0) {
    const vs = args.validationSplit;
    if (!(vs > 0 && vs < 1)) throw new Error(`${model.name}.fit: validationSplit must be in (0, 1), got ${vs}`);
    const splitAt = Math.floor(n0 * (1 - vs));
    if (splitAt < 1 || splitAt >= n0) throw new Error(`${model.name}.fit: validationSplit ${vs} leaves no training or no validation samples out of ${n0}`);
    const cut = (ts: Tensor[], a: number, b: number): Tensor[] => ts.map((t) => ops.slice(t, [a, ...t.shape.slice(1).map(() => 0)], [b - a, ...t.shape.slice(1)]));
    valXs = cut(xs, splitAt, n0);
    valYs = cut(ys, splitAt, n0);
    xs = cut(xs, 0, splitAt);
    ys = cut(ys, 0, splitAt);
    owned.push(...valXs, ...valYs, ...xs, ...ys);
    if (ws) owned.push(...(ws = ws.map((w) => (w ? cut([w], 0, splitAt)[0] : null))).filter((w): w is Tensor => w !== null));
  }
  const n = xs[0].shape[0];
  const batches = Math.ceil(n / batchSize);
  const verbose = args.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`${model.name}.fit: verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got ${verbose}`);

  const history = new History();
  const user = args.callbacks === undefined ? [] : asList(args.callbacks);
  user.forEach((c, i) => {
    if (c instanceof Callback || typeof c !== 'object' || c === null) return;
    checkConfig(`${model.name}.fit: callbacks[${i}]`, c, [...HOOKS, ...Object.keys(c).filter((k) => !/^on[A-Z]/.test(k))]);
  });
  const all: CustomCallbackArgs[] = [history, ...(verbose > 0 ? [new ProgressLogger(epochs, batches, { verbose })] : []), ...user];
  for (const c of all) if (c instanceof Callback) c.setModel(model);
  const cbs = new CallbackList(all);
  const wantBatchLogs = all.some((c) => c.onBatchEnd !== undefined || c.onBatchBegin !== undefined);
  const pos: FitPosition = { epoch: initialEpoch, batch: 0 };
  for (const c of user) (c as { attachFit?: (p: FitPosition) => void }).attachFit?.(pos);
  let nanWarned = false;
  // User batch hooks see Keras's order (onBatchEnd(b) before onBatchBegin(b+1),
  // and a stopTraining set there ends the epoch at once), so each step is
  // settled before the next; only the progress display tolerates the overlap.
  // Callbacks that read only the logs may see them a step late (terminateOnNaN, backupAndRestore).
  const strictBatches = user.some((c) => (c.onBatchEnd !== undefined || c.onBatchBegin !== undefined) && !(c as { lagTolerant?: boolean }).lagTolerant);

  const rng = new Rng(args.seed ?? nextSeed());
  const vars = model.trainableWeights;
  if (vars.length === 0) throw new Error(`${model.name}.fit: the model has no trainable weights`);
  const trainKeys = st.keys;
  model.stopTraining = false;
  try {
    await cbs.call('onTrainBegin', {});
    const shuffled = (): Int32Array | null => {
      if (!(args.shuffle ?? true)) return null;
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      return order;
    };
    // A resumed run replays the skipped epochs' shuffles, so a seeded run sees the same batches.
    const firstEpoch = Math.max(initialEpoch, pos.resumeEpoch ?? initialEpoch);
    for (let e = initialEpoch; e < firstEpoch; e++) shuffled();
    let skip = pos.resumeBatch ?? 0;
    for (let epoch = firstEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      pos.epoch = epoch;
      pos.batch = 0;
      await cbs.call('onEpochBegin', epoch, {});
      const order = shuffled();
      const avg = new Averager();
      let pending: { values: Promise<ArrayLike<number>>; t: Tensor; batch: number; size: number } | null = null;
      const settle = async (): Promise<void> => {
        if (!pending) return;
        const p = pending;
        pending = null;
        let vals: ArrayLike<number>;
        try {
          vals = await p.values;
        } finally {
          // Also when the read fails (a WebGPU index check): the step's numbers are freed either way.
          p.t.dispose();
        }
        avg.add(vals, p.size);
        if (!nanWarned && !Number.isFinite(vals[0])) {
          nanWarned = true;
          console.warn(`${model.name}.fit: the loss is ${vals[0]} in epoch ${epoch + 1} at batch ${p.batch} (0-based): the weights are probably no longer finite. Check x and y for NaN/Infinity and try a smaller learning rate; sg.callbacks.terminateOnNaN() stops training at the first such batch.`);
        }
        if (wantBatchLogs) {
          const logs: Logs = { batch: p.batch, size: p.size };
          trainKeys.forEach((k, i) => (logs[k] = vals[i]));
          await cbs.call('onBatchEnd', p.batch, logs);
        }
      };
      try {
        for (let b = skip; b < batches && !model.stopTraining; b++) {
          const start = b * batchSize;
          const len = Math.min(batchSize, n - start);
          if (wantBatchLogs) await cbs.call('onBatchBegin', b, { batch: b, size: len });
          const packed = tidy(() => {
            const idx = order ? ops.tensor(order.subarray(start, start + len), [len], 'int32') : null;
            const xb = batchOf(xs, start, len, idx);
            const yb = batchOf(ys, start, len, idx);
            const wb = ws?.map((w) => (w ? batchOf([w], start, len, idx)[0] : null));
            let kept: Tensor[] = [];
            const { value, grads } = variableGrads(() => {
              const preds = model.execute(xb, true);
              const r = lossesAndMetrics(st, yb, preds, wb);
              const reg = model.regularizationLoss();
              const total = reg ? ops.add(r.total, reg) : r.total;
              kept = [total, ...(r.perOutput.length > 1 ? r.perOutput : []), ...r.metrics].map((t) => ops.keep(t));
              return total;
            }, vars);
            st.optimizer.applyGradients(vars.filter((v) => grads[v.name]).map((v) => [v, grads[v.name]] as const));
            const out = packScalars(kept);
            ops.dispose([value, ...kept]);
            return out;
          });
          pos.batch = b + 1;
          // Start reading this step's numbers, then let the previous step's finish. If fit
          // fails before this read is awaited, its rejection must not go unhandled.
          const values = packed.data();
          values.catch(() => undefined);
          await settle();
          pending = { values, t: packed, batch: b, size: len };
          if (strictBatches) await settle();
        }
        await settle();
        skip = 0;
      } catch (e) {
        // A failed step or callback: free the step still in flight.
        const p = pending as { t: Tensor } | null;
        if (p) p.t.dispose();
        throw e;
      }
      const logs: Logs = {};
      avg.means().forEach((v, i) => (logs[trainKeys[i]] = v));
      if (valXs && valYs) {
        const v = await testLoop(model, valXs, valYs, batchSize);
        v.forEach((val, i) => (logs[`val_${trainKeys[i]}`] = val));
      }
      await cbs.call('onEpochEnd', epoch, logs);
    }
    await cbs.call('onTrainEnd', {});
  } catch (e) {
    throw deviceLostError(model, pos, e);
  } finally {
    ops.dispose(owned);
  }
  return history;
}
