/**
 * The training worker: owns shadergrad, the data and the model, trains step
 * by step (so pause and step-once are exact), and answers the page's
 * inspection requests (step trace, CPU-twin check, ledger, kernel lab).
 * Every request runs through one queue, so a request never interleaves with
 * a training step.
 */
import * as sg from '../src/index.js';
import { cpuKernels } from '../src/kernels/cpu/kernels.js';
import type { OpName } from '../src/kernels/op_names.js';
import type { DataSet } from './data.js';
import { loadData, rng } from './data.js';
import { buildModel } from './models.js';
import type { FromWorker, Progress, ToWorker, TrainConfig } from './protocol.js';
import { BOUNDARY_EXTENT, BOUNDARY_RES } from './protocol.js';

interface Session {
  cfg: TrainConfig;
  data: DataSet;
  model: sg.Sequential;
  opt: ReturnType<typeof sg.optimizers.adam>;
  vars: sg.Variable[];
  x: sg.Tensor;
  y: sg.Tensor;
  xv: sg.Tensor;
  yv: sg.Tensor;
  grid: sg.Tensor | null;
  next: () => number;
}

const post = (m: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(m, transfer);

let s: Session | null = null;
let lastCfg: TrainConfig | null = null;
let step = 0;
let running = false;
/** The newest step's loss and metric (NaN before the first step of a model). */
let lastLoss = NaN;
let lastMetric = NaN;
let chain: Promise<unknown> = Promise.resolve();

/** Runs fn after everything queued before it; errors are posted, not thrown. */
function serial<T>(during: string, fn: () => Promise<T> | T): Promise<T | undefined> {
  const p = chain.then(fn).catch((e: unknown) => {
    running = false;
    post({ type: 'error', message: e instanceof Error ? e.message : String(e), during });
    return undefined;
  });
  chain = p;
  return p;
}

function disposeSession(): void {
  if (!s) return;
  s.model.dispose();
  s.opt.dispose();
  sg.dispose([s.x, s.y, s.xv, s.yv, ...(s.grid ? [s.grid] : [])]);
  s = null;
}

async function configure(cfg: TrainConfig): Promise<void> {
  disposeSession();
  lastCfg = cfg;
  step = 0;
  lastLoss = NaN;
  lastMetric = NaN;
  const data = await loadData(cfg.data, self.location.href);
  const model = buildModel(cfg.model, data);
  const factory = sg.optimizers[cfg.optimizer] as (a: { learningRate: number }) => ReturnType<typeof sg.optimizers.adam>;
  const opt = factory({ learningRate: cfg.learningRate });
  const nt = data.yTrain.length;
  const nv = data.yVal.length;
  const regression = data.numClasses === 0;
  const sess: Session = {
    cfg, data, model, opt, vars: [],
    x: sg.tensor(data.xTrain, [nt, ...data.inputShape]),
    y: sg.tensor(data.yTrain, regression ? [nt, 1] : [nt]),
    xv: sg.tensor(data.xVal, [nv, ...data.inputShape]),
    yv: sg.tensor(data.yVal, regression ? [nv, 1] : [nv]),
    grid: null,
    next: rng(7),
  };
  if (data.kind === 'toy') {
    const g = new Float32Array(BOUNDARY_RES * BOUNDARY_RES * 2);
    for (let i = 0; i < BOUNDARY_RES; i++) {
      for (let j = 0; j < BOUNDARY_RES; j++) {
        const k = i * BOUNDARY_RES + j;
        g[2 * k] = -BOUNDARY_EXTENT + ((j + 0.5) / BOUNDARY_RES) * 2 * BOUNDARY_EXTENT;
        g[2 * k + 1] = BOUNDARY_EXTENT - ((i + 0.5) / BOUNDARY_RES) * 2 * BOUNDARY_EXTENT;
      }
    }
    sess.grid = sg.tensor(g, [BOUNDARY_RES * BOUNDARY_RES, 2]);
  }
  sg.dispose(sg.tidy(() => model.predict(sg.slice(sess.xv, 0, 1)) as sg.Tensor));
  sess.vars = model.trainableWeights;
  s = sess;
  const lines: string[] = [];
  model.summary((l) => lines.push(l));
  post({ type: 'configured', summary: lines.join('\n'), params: model.countParams(), points: data.kind === 'toy' ? { x: data.xTrain.slice(), y: data.yTrain.slice() } : undefined, metricName: regression ? 'mae' : 'accuracy' });
  await progress(true);
}

/** Loss (mean over the batch) and metric (accuracy, or MAE for regression) of predictions. */
function lossAndMetric(y: sg.Tensor, pred: sg.Tensor, regression: boolean): [sg.Tensor, sg.Tensor] {
  if (regression) {
    const d = sg.sub(pred, y);
    return [sg.mean(sg.square(d)), sg.mean(sg.abs(d))];
  }
  const loss = sg.mean(sg.losses.sparseCategoricalCrossentropy(y, pred));
  const acc = sg.mean(sg.cast(sg.equal(sg.argMax(pred, -1), sg.cast(y, 'int32')), 'float32'));
  return [loss, acc];
}

/** One training step on a random batch; returns [loss, metric] (a tensor of 2). `mark` labels the phases for traces. */
function trainStep(mark: (phase: string) => void = () => {}): sg.Tensor {
  const t = s!;
  const n = t.y.shape[0];
  const bs = Math.min(t.cfg.batchSize, n);
  const ids = Int32Array.from({ length: bs }, () => Math.floor(t.next() * n));
  return sg.tidy(() => {
    mark('data');
    const idx = sg.tensor(ids, [bs], 'int32');
    const xb = sg.gather(t.x, idx, 0);
    const yb = sg.gather(t.y, idx, 0);
    mark('forward');
    let metric: sg.Tensor | null = null;
    const { value, grads } = sg.variableGrads(() => {
      const pred = t.model.execute([xb], true)[0];
      const [loss, m] = lossAndMetric(yb, pred, t.data.numClasses === 0);
      metric = sg.keep(m);
      mark('backward');
      return loss;
    }, t.vars);
    mark('update');
    t.opt.applyGradients(t.vars.filter((v) => grads[v.name]).map((v) => [v, grads[v.name]] as const));
    mark('report');
    const out = sg.stack([value, metric!]);
    (metric as sg.Tensor | null)?.dispose();
    return out;
  });
}

async function runStep(): Promise<void> {
  const out = trainStep();
  const v = await out.data();
  out.dispose();
  step++;
  await progress(false, v[0], v[1]);
}

/** Posts the newest numbers, with validation every 10 steps and pictures every 5. */
async function progress(force: boolean, loss = lastLoss, metric = lastMetric): Promise<void> {
  const t = s;
  if (!t) return;
  lastLoss = loss;
  lastMetric = metric;
  const p: Progress = { type: 'progress', step, loss, metric, running };
  const transfer: Transferable[] = [];
  if (force || step % 10 === 0) {
    const vm = sg.tidy(() => {
      const pred = t.model.predict(t.xv, { batchSize: 256 }) as sg.Tensor;
      return sg.stack(lossAndMetric(t.yv, pred, t.data.numClasses === 0));
    });
    const v = await vm.data();
    vm.dispose();
    p.valLoss = v[0];
    p.valMetric = v[1];
  }
  if (force || step % 5 === 0) {
    if (t.grid) {
      const probs = sg.tidy(() => sg.reshape(sg.slice(t.model.predict(t.grid!, { batchSize: 4096 }) as sg.Tensor, [0, 1], [-1, 1]), [-1]));
      p.boundary = (await probs.data()) as Float32Array;
      probs.dispose();
      transfer.push(p.boundary.buffer);
    }
    const first = t.model.layers[0];
    if (t.cfg.model.kind === 'cnn') {
      // getWeights() hands out new tensors (views): dispose them, or the ledger lists them as leaks.
      const ws = first.getWeights();
      const f = (await ws[0].data()) as Float32Array;
      p.filters = { values: f, count: ws[0].shape[3] };
      sg.dispose(ws);
      const digit = sg.slice(t.xv, [0, 0, 0, 0], [1, 28, 28, 1]);
      const maps = sg.tidy(() => first.apply(digit) as sg.Tensor);
      const mv = (await maps.data()) as Float32Array;
      p.featureMaps = { values: mv, h: maps.shape[1], w: maps.shape[2], count: maps.shape[3], digit: (await digit.data()) as Float32Array };
      sg.dispose([maps, digit]);
      transfer.push(f.buffer, mv.buffer);
    }
    if (t.cfg.model.kind === 'lstm') {
      p.gates = await lstmGates(first, t.data);
      transfer.push(p.gates.values.buffer);
    }
  }
  post(p, transfer);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * The first LSTM layer's gates i, f, c̃, o at each step of the first
 * validation window, recomputed from its weights (Keras layout: kernel
 * [in, 4u], recurrent kernel [u, 4u], bias [4u], gates in order i, f, c, o).
 */
async function lstmGates(layer: sg.Layer, d: DataSet): Promise<{ values: Float32Array; steps: number; units: number }> {
  const ws = layer.getWeights();
  const [k, r, b] = await Promise.all(ws.map((w) => w.data()));
  sg.dispose(ws);
  const [T, F] = d.inputShape;
  const u = b.length / 4;
  const out = new Float32Array(T * 4 * u);
  const h = new Float64Array(u);
  const c = new Float64Array(u);
  const z = new Float64Array(4 * u);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < 4 * u; j++) {
      let acc = b[j];
      for (let f = 0; f < F; f++) acc += d.xVal[t * F + f] * k[f * 4 * u + j];
      for (let q = 0; q < u; q++) acc += h[q] * r[q * 4 * u + j];
      z[j] = acc;
    }
    for (let q = 0; q < u; q++) {
      const i = sigmoid(z[q]);
      const f = sigmoid(z[u + q]);
      const g = Math.tanh(z[2 * u + q]);
      const o = sigmoid(z[3 * u + q]);
      c[q] = f * c[q] + i * g;
      h[q] = o * Math.tanh(c[q]);
      out[(t * 4 + 0) * u + q] = i;
      out[(t * 4 + 1) * u + q] = f;
      out[(t * 4 + 2) * u + q] = g;
      out[(t * 4 + 3) * u + q] = o;
    }
  }
  return { values: out, steps: T, units: u };
}

async function loop(): Promise<void> {
  while (running) {
    await serial('training', async () => {
      if (running && s) await runStep();
    });
    // Let pause/inspect messages in between steps.
    await new Promise((r) => setTimeout(r, 0));
  }
}

async function ensureSession(): Promise<void> {
  if (!s && lastCfg) await configure(lastCfg);
  if (!s) throw new Error('no model yet: choose a data set and a model first');
}

/** A step run through fn (trace or twin check) still counts as a training step. */
async function stepThrough(mark: (p: string) => void = () => {}): Promise<void> {
  const out = trainStep(mark);
  const v = await out.data();
  out.dispose();
  step++;
  lastLoss = v[0];
  lastMetric = v[1];
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  switch (m.type) {
    case 'init':
      void serial('init', async () => {
        if (m.backend === 'auto') await sg.ready();
        else await sg.setBackend(m.backend);
        // Cross-origin isolated pages (this server sends COOP/COEP) can share wasm memory: wait for the GEMM threads to start.
        if (sg.getBackend() === 'wasm') await sg.setThreads(navigator.hardwareConcurrency || 1).catch(() => 1);
        sg.debug.enableLedger();
        post({ type: 'ready', backend: sg.getBackend(), info: sg.backendInfo(), backends: sg.ENGINE.registeredBackends().filter((b) => b !== 'cpu64') });
      });
      break;
    case 'configure':
      running = false;
      void serial('configure', () => configure(m.config));
      break;
    case 'start':
      if (running) break;
      running = true;
      void serial('start', ensureSession).then(() => {
        post({ type: 'state', running, step });
        void loop();
      });
      break;
    case 'pause':
      running = false;
      void serial('pause', () => post({ type: 'state', running, step }));
      break;
    case 'step':
      running = false;
      void serial('step', async () => {
        await ensureSession();
        for (let i = 0; i < m.n; i++) await runStep();
        await progress(true);
      });
      break;
    case 'reset':
      running = false;
      void serial('reset', () => {
        disposeSession();
        step = 0;
        post({ type: 'state', running, step });
        post({ type: 'ledger', ledger: sg.debug.ledger(), memory: sg.memory() });
      });
      break;
    case 'inspect':
      void serial('inspect', async () => {
        await ensureSession();
        // On wasm, each kernel's `wasm` record says what ran: emitted wasm functions and GEMM threads, or the JavaScript kernel and why.
        const trace = await sg.debug.traceStep((mark) => stepThrough(mark), { time: true, reps: 2 });
        const sources: Record<string, string> = {};
        const bindings: Record<string, { binding: number; name: string; kind: string }[]> = {};
        const fallbackSources: Record<string, string> = {};
        const cpuSources: Record<string, string> = {};
        for (const k of trace.kernels) {
          for (const l of k.launches) {
            if (sources[l.shader]) continue;
            const sh = sg.kernels.shaders(k.op).find((x) => x.name === l.shader);
            if (sh) sources[l.shader] = sh.source;
            const b = sg.kernels.bindings(k.op).find((x) => x.shader === l.shader);
            if (b) bindings[l.shader] = b.bindings;
          }
          if (!k.launches.length && !(k.op in fallbackSources)) {
            fallbackSources[k.op] = sg.kernels.source(k.op as OpName) ?? '';
            // The JavaScript kernel itself (the site bundle keeps names and is not minified).
            cpuSources[k.op] = String(cpuKernels[k.op as OpName]).slice(0, 6000);
          }
        }
        const wasmSources: Record<string, string> = {};
        if (trace.backend === 'wasm') {
          // The wasm kernels' glue (it calls the emitted functions); the backend module is already loaded.
          const { wasmKernels } = await import('../src/kernels/wasm/kernels.js');
          for (const k of trace.kernels) {
            const f = (wasmKernels as Partial<Record<string, unknown>>)[k.op];
            if (f && !(k.op in wasmSources)) wasmSources[k.op] = String(f).slice(0, 6000);
          }
        }
        post({ type: 'trace', trace, sources, bindings, fallbackSources, cpuSources, wasmSources });
        await progress(true);
      });
      break;
    case 'twin':
      void serial('twin', async () => {
        await ensureSession();
        const report = await sg.debug.checkKernels(() => stepThrough());
        post({ type: 'twin', report });
        await progress(true);
      });
      break;
    case 'ledger':
      void serial('ledger', () => {
        sg.debug.enableLedger({ stackDepth: m.stacks ? 4 : 0 });
        post({ type: 'ledger', ledger: sg.debug.ledger(), memory: sg.memory() });
      });
      break;
    case 'leakCheck':
      void serial('leak check', async () => {
        await ensureSession();
        // Variables a step may make (optimizer slots on the first step) are meant to stay.
        const report = await sg.debug.leakCheck(() => stepThrough(), { allowVariables: true, stackDepth: 5 });
        post({ type: 'leaks', report });
        await progress(true);
      });
      break;
    case 'labShaders':
      void serial('lab', () => post({ type: 'labShaders', op: m.op, shaders: sg.kernels.shaders(m.op as OpName) }));
      break;
    case 'lab':
      void serial('lab', async () => {
        const bindings = sg.kernels.checkBindings(m.opts.op, m.opts.source, m.opts.shader);
        if (sg.getBackend() !== 'webgpu') {
          post({ type: 'lab', bindings, error: `running and timing a variant needs the webgpu backend (this page runs on '${sg.getBackend()}'); the bindings check above still applies` });
          return;
        }
        try {
          post({ type: 'lab', bindings, result: await sg.kernels.tune(m.opts) });
        } catch (e) {
          post({ type: 'lab', bindings, error: (e as Error).message });
        }
      });
      break;
  }
};
