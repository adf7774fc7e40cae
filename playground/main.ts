/**
 * The playground page: controls, live curves (uPlot), the decision boundary,
 * CNN filters and feature maps, LSTM gates, and the inspection panels (step
 * trace, CPU-twin check, memory ledger, kernel lab). All shadergrad work runs
 * in worker.js; this thread only draws.
 */
import uPlot from 'uplot';
import type { StepTrace, TracedKernel } from '../src/debug/index.js';
import type { TuneOptions } from '../src/debug/kernel_lab.js';
import type { DataName } from './data.js';
import { kindsFor, preset } from './models.js';
import type { ModelKind } from './models.js';
import type { FromWorker, Progress, ToWorker, TrainConfig } from './protocol.js';
import { BOUNDARY_EXTENT, BOUNDARY_RES } from './protocol.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

/** What tests (and curious people, from the console) can read. */
const state = {
  backend: '',
  info: {} as Record<string, unknown>,
  ready: false,
  running: false,
  step: 0,
  losses: [] as number[],
  progress: null as Progress | null,
  trace: null as (FromWorker & { type: 'trace' }) | null,
  twin: null as (FromWorker & { type: 'twin' }) | null,
  ledger: null as (FromWorker & { type: 'ledger' }) | null,
  leaks: null as (FromWorker & { type: 'leaks' }) | null,
  lab: null as (FromWorker & { type: 'lab' }) | null,
  errors: [] as string[],
  gradRules: {} as Record<string, string>,
  configured: 0,
};
(window as unknown as { __pg: unknown }).__pg = { state, send: (m: ToWorker) => send(m), select: (i: number) => showOp(i) };

let worker: Worker;
function send(m: ToWorker): void {
  worker.postMessage(m);
}

// ---- curves ----
const xs: number[] = [];
const trainLoss: (number | null)[] = [];
const valLoss: (number | null)[] = [];
const trainMetric: (number | null)[] = [];
const valMetric: (number | null)[] = [];
let metricName = 'accuracy';
let lossPlot: uPlot | null = null;
let metricPlot: uPlot | null = null;

function makePlot(el: HTMLElement, title: string, label: string): uPlot {
  el.textContent = '';
  const w = Math.max(300, el.clientWidth || 400);
  return new uPlot(
    {
      title, width: w, height: 200,
      scales: { x: { time: false } },
      axes: [{ label: 'step' }, { label, size: 60 }],
      series: [{}, { label: 'train', stroke: '#2a6fdb', width: 1.5, spanGaps: true }, { label: 'validation', stroke: '#e0731a', width: 2, spanGaps: true, points: { show: true, size: 4 } }],
    },
    [[], [], []],
    el,
  );
}

function resetCurves(): void {
  for (const a of [xs, trainLoss, valLoss, trainMetric, valMetric]) a.length = 0;
  state.losses = [];
  lossPlot?.destroy();
  metricPlot?.destroy();
  lossPlot = makePlot($('lossChart'), 'Loss', 'loss');
  metricPlot = makePlot($('metricChart'), metricName === 'mae' ? 'Mean absolute error' : 'Accuracy', metricName);
}

let redraw = 0;
function addPoint(p: Progress): void {
  const last = xs.length ? xs[xs.length - 1] : -1;
  if (p.step === last) {
    // Same step (validation or pictures after an inspection): fill in validation numbers only.
    if (p.valLoss !== undefined) {
      valLoss[valLoss.length - 1] = p.valLoss;
      valMetric[valMetric.length - 1] = p.valMetric ?? null;
    }
  } else if (Number.isFinite(p.loss) || p.valLoss !== undefined) {
    xs.push(p.step);
    trainLoss.push(Number.isFinite(p.loss) ? p.loss : null);
    trainMetric.push(Number.isFinite(p.metric) ? p.metric : null);
    valLoss.push(p.valLoss ?? null);
    valMetric.push(p.valMetric ?? null);
    if (Number.isFinite(p.loss)) state.losses.push(p.loss);
  }
  if (redraw) return;
  redraw = requestAnimationFrame(() => {
    redraw = 0;
    lossPlot?.setData([xs, trainLoss, valLoss] as uPlot.AlignedData);
    metricPlot?.setData([xs, trainMetric, valMetric] as uPlot.AlignedData);
  });
}

// ---- pictures ----
let points: { x: Float32Array; y: Float32Array } | null = null;
const CLASS = [[42, 111, 219], [224, 115, 26]];

function drawBoundary(probs: Float32Array | null): void {
  const c = $<HTMLCanvasElement>('boundary');
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, c.width, c.height);
  if (probs) {
    const img = ctx.createImageData(BOUNDARY_RES, BOUNDARY_RES);
    for (let i = 0; i < probs.length; i++) {
      const p = probs[i];
      for (let ch = 0; ch < 3; ch++) img.data[4 * i + ch] = Math.round(255 - (255 - CLASS[0][ch]) * (1 - p) * 0.45 - (255 - CLASS[1][ch]) * p * 0.45);
      img.data[4 * i + 3] = 255;
    }
    const tmp = new OffscreenCanvas(BOUNDARY_RES, BOUNDARY_RES);
    tmp.getContext('2d')!.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tmp, 0, 0, c.width, c.height);
  }
  if (points) {
    const s = c.width / (2 * BOUNDARY_EXTENT);
    for (let i = 0; i < points.y.length; i++) {
      const [r, g, b] = CLASS[points.y[i]];
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.beginPath();
      ctx.arc((points.x[2 * i] + BOUNDARY_EXTENT) * s, (BOUNDARY_EXTENT - points.x[2 * i + 1]) * s, 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

/** Draws an h×w grayscale map (values min→black, max→white) into a new canvas. */
function grayCanvas(h: number, w: number, at: (i: number, j: number) => number, lo?: number, hi?: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  let mn = lo ?? Infinity;
  let mx = hi ?? -Infinity;
  if (lo === undefined || hi === undefined) {
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) (mn = Math.min(mn, at(i, j))), (mx = Math.max(mx, at(i, j)));
  }
  const img = c.getContext('2d')!.createImageData(w, h);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = Math.round((255 * (at(i, j) - mn)) / (mx - mn || 1));
      const k = 4 * (i * w + j);
      img.data[k] = img.data[k + 1] = img.data[k + 2] = v;
      img.data[k + 3] = 255;
    }
  }
  c.getContext('2d')!.putImageData(img, 0, 0);
  return c;
}

function drawCnn(p: Progress): void {
  if (p.filters) {
    const { values: f, count } = p.filters;
    const el = $('filters');
    el.textContent = '';
    for (let k = 0; k < count; k++) el.append(grayCanvas(3, 3, (i, j) => f[(i * 3 + j) * count + k]));
  }
  if (p.featureMaps) {
    const { values: v, h, w, count, digit } = p.featureMaps;
    const el = $('maps');
    el.textContent = '';
    el.append(grayCanvas(28, 28, (i, j) => digit[i * 28 + j], 0, 1));
    for (let k = 0; k < Math.min(count, 16); k++) el.append(grayCanvas(h, w, (i, j) => v[(i * w + j) * count + k]));
  }
}

function drawGates(g: NonNullable<Progress['gates']>): void {
  const el = $('gates');
  el.textContent = '';
  ['input gate i', 'forget gate f', 'candidate c̃', 'output gate o'].forEach((name, q) => {
    const label = document.createElement('div');
    label.textContent = name;
    el.append(label, grayCanvas(g.units, g.steps, (u, t) => g.values[(t * 4 + q) * g.units + u], q === 2 ? -1 : 0, 1));
  });
}

// ---- controls ----
function config(): TrainConfig {
  const units = $<HTMLInputElement>('units').value.split(',').map((s) => parseInt(s.trim(), 10)).filter((n) => n > 0);
  return {
    data: $<HTMLSelectElement>('data').value as DataName,
    model: { kind: $<HTMLSelectElement>('model').value as ModelKind, units: units.length ? units : [8], activation: $<HTMLSelectElement>('activation').value as TrainConfig['model']['activation'], dropout: Number($<HTMLInputElement>('dropout').value) || 0 },
    optimizer: $<HTMLSelectElement>('optimizer').value as TrainConfig['optimizer'],
    learningRate: Number($<HTMLInputElement>('lr').value) || 0.01,
    batchSize: Math.max(1, parseInt($<HTMLInputElement>('batch').value, 10) || 32),
  };
}

function fillModels(): void {
  const d = $<HTMLSelectElement>('data').value;
  const kind = d === 'mnist' ? 'image' : d === 'co2' ? 'series' : 'toy';
  const sel = $<HTMLSelectElement>('model');
  sel.textContent = '';
  for (const k of kindsFor(kind)) sel.append(new Option({ mlp: 'MLP', cnn: 'CNN (MNIST)', lstm: 'stacked LSTM' }[k], k));
  applyPreset();
}

function applyPreset(): void {
  const p = preset($<HTMLSelectElement>('model').value as ModelKind);
  $<HTMLInputElement>('units').value = p.units.join(',');
  $<HTMLSelectElement>('activation').value = p.activation;
  $<HTMLInputElement>('dropout').value = String(p.dropout);
  $<HTMLInputElement>('lr').value = p.kind === 'mlp' && $<HTMLSelectElement>('data').value !== 'mnist' ? '0.03' : '0.005';
}

let dirty = true;
function configure(): void {
  dirty = false;
  const c = config();
  $('visualTitle').textContent = c.model.kind === 'cnn' ? 'Inside the CNN' : c.model.kind === 'lstm' ? 'LSTM gates over time' : c.data === 'mnist' || c.data === 'co2' ? 'Data' : 'Decision boundary';
  $('boundary').hidden = !['spirals', 'moons', 'circles'].includes(c.data);
  $('cnnView').hidden = c.model.kind !== 'cnn';
  $('lstmView').hidden = c.model.kind !== 'lstm';
  points = null;
  drawBoundary(null);
  send({ type: 'configure', config: c });
}

function setStatus(s: string): void {
  $('status').textContent = s;
}

// ---- look inside one step ----
const PHASES = ['data', 'forward', 'backward', 'update', 'report'];
let trace: StepTrace | null = null;

function drawGraph(): void {
  const g = $('graph');
  g.textContent = '';
  const t = trace!;
  for (const ph of PHASES) {
    const col = document.createElement('div');
    col.className = `col ${ph}`;
    const ks = t.kernels.filter((k) => k.phase === ph);
    const h = document.createElement('h3');
    h.textContent = `${{ data: 'batch', forward: 'forward', backward: 'backward (gradients)', update: 'optimizer update', report: 'loss readout' }[ph]} · ${ks.length}`;
    col.append(h);
    for (const k of ks) {
      const b = document.createElement('button');
      // On wasm, what ran: a dotted edge marks the JavaScript kernel on wasm memory.
      const wr = wasmRun(k);
      b.className = wr?.js && !wr.fns.length ? 'op jsOnWasm' : 'op';
      if (wr) b.title = wr.fns.length ? `wasm: ${wr.fns.join(', ')}` : wr.js ? `JavaScript kernel on wasm memory (${wr.js.reason})` : '';
      b.dataset.index = String(k.index);
      b.textContent = `${k.op} [${k.outputShape.join('×')}]${k.gradientOf ? ` ← ∂${k.gradientOf.op}${k.gradientOf.forward !== null ? ` #${k.gradientOf.forward}` : ''}` : ''}${k.ms !== null ? ` ${k.ms.toFixed(2)} ms` : ''}`;
      b.onclick = () => showOp(k.index);
      col.append(b);
    }
    g.append(col);
  }
}

/** What a kernel ran on wasm, from traceStep's record: the emitted functions it called, the most threads a GEMM used, and the JavaScript kernel's run (with its reason) if one ran; undefined on other backends. */
function wasmRun(k: TracedKernel): { fns: string[]; threads: number; js: { reason: string; listed: boolean } | null } | undefined {
  if (!k.wasm) return undefined;
  return { fns: k.wasm.calls.map((c) => c.wasmFunction), threads: Math.max(1, ...k.wasm.calls.map((c) => c.threads)), js: k.wasm.js };
}

function row(cells: (string | number)[], head = false): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement(head ? 'th' : 'td');
    td.textContent = String(c);
    tr.append(td);
  }
  return tr;
}

function showOp(i: number): void {
  const msg = state.trace;
  if (!msg) return;
  const k: TracedKernel = msg.trace.kernels[i];
  document.querySelectorAll('.graph .op').forEach((b) => b.classList.toggle('sel', (b as HTMLElement).dataset.index === String(i)));
  $('opDetail').hidden = false;
  $('opTitle').textContent = `#${k.index} ${k.op} (${k.phase}) on ${k.backend}`;
  const facts = $('opFacts');
  facts.textContent = '';
  const sh = k.launches.map((l) => l.shader);
  const add = (a: string, b: string): void => void facts.append(row([a, b]));
  add('inputs', k.inputShapes.map((s) => `[${s.join(', ')}]`).join(' · '));
  add('output', `[${k.outputShape.join(', ')}] ${k.dtype}`);
  const wr = wasmRun(k);
  const jsOnWasm = wr?.js && !wr.fns.length ? `JavaScript kernel cpuKernels.${k.op} on views of wasm memory (${wr.js.listed ? `a listed fallback: ${wr.js.reason}` : wr.js.reason})` : '';
  const wasmFns = wr && wr.fns.length ? `wasm kernel wasmKernels.${k.op}: emitted wasm function${wr.fns.length > 1 ? 's' : ''} ${wr.fns.join(', ')}${wr.threads > 1 ? ` (GEMM split over ${wr.threads} threads)` : ''}${wr.js ? ', then the JavaScript kernel on wasm memory' : ''}` : '';
  add('kernel', sh.length ? `WGSL shader ${[...new Set(sh)].join(', ')}` : wr ? wasmFns || jsOnWasm || `wasm kernel wasmKernels.${k.op} (no wasm function called)` : `${k.backend} kernel '${k.op}' (JavaScript)`);
  if (k.launches.length) add('dispatch', k.launches.map((l) => `(${l.workgroups.join(', ')}) workgroups${Object.keys(l.overrides).length ? ` · ${Object.entries(l.overrides).map(([a, b]) => `${a}=${b}`).join(' ')}` : ''}`).join('; '));
  const link = (label: string, ids: number[]): void => {
    if (!ids.length) return;
    const tr = document.createElement('tr');
    const a = document.createElement('td');
    a.textContent = label;
    const b = document.createElement('td');
    for (const j of ids.slice(0, 12)) {
      const btn = document.createElement('button');
      btn.className = 'link';
      btn.textContent = `#${j} ${msg.trace.kernels[j].op}`;
      btn.onclick = () => showOp(j);
      b.append(btn, ' ');
    }
    tr.append(a, b);
    facts.append(tr);
  };
  if (k.gradientOf) {
    if (k.gradientOf.forward !== null) link(`gradient of ${k.gradientOf.op}`, [k.gradientOf.forward]);
    else add('gradient of', `${k.gradientOf.op} (run before this step)`);
  }
  const caused = msg.trace.kernels.filter((x) => x.gradientOf?.forward === k.index).map((x) => x.index);
  link('its gradient kernels', caused);
  link('reads from', k.from);
  link('feeds', msg.trace.kernels.filter((x) => x.from.includes(k.index)).map((x) => x.index));
  const how = { 'gpu-timestamps': 'GPU timestamp queries', 'wall-clock-awaited': 'wall clock, GPU work submitted and awaited', cpu: 'wall clock' }[k.timing ?? 'cpu'];
  add('time', k.ms !== null ? `${k.ms.toFixed(3)} ms per run (rerun alone with the same inputs; ${how})` : 'n/a');
  add('work', `${(k.flops / 1e6).toFixed(3)} MFLOP · ${k.gflops !== null ? k.gflops.toFixed(3) : 'n/a'} GFLOP/s`);
  const bt = $('opBindings');
  bt.textContent = '';
  const firstShader = sh[0];
  const bindings = firstShader ? msg.bindings[firstShader] : undefined;
  if (bindings) {
    bt.append(row(['@binding', 'name', 'kind'], true));
    for (const b of bindings) bt.append(row([b.binding, b.name, b.kind]));
  } else bt.append(row([`(the ${k.backend} backend runs ${wr && !jsOnWasm ? 'a wasm kernel' : 'a JavaScript kernel'}; the WGSL below is what webgpu would run)`]));
  // On wasm: the kernel's glue and the emitted functions it called, or the JavaScript kernel when that ran.
  const wasmGlue = wr && wr.fns.length ? msg.wasmSources[k.op] : undefined;
  $('wasmSrc').hidden = !wasmGlue;
  $('opWasmSource').textContent = wasmGlue ? `// wasmKernels.${k.op} (src/kernels/<family>/wasm.ts); it called the wasm function${wr!.fns.length > 1 ? 's' : ''} ${wr!.fns.join(', ')}, emitted from TypeScript (src/kernels/wasm/emitter.ts)\n${wasmGlue}` : '';
  $('cpuSrc').hidden = Boolean(firstShader) || !msg.cpuSources[k.op] || Boolean(wr && !wr.js);
  $('opCpuSource').textContent = firstShader ? '' : `// cpuKernels.${k.op} (src/kernels/<family>/cpu.ts)${wr ? ' on views of wasm memory' : ''}\n${msg.cpuSources[k.op] ?? ''}`;
  $('srcTitle').textContent = firstShader ? `WGSL source that ran (sg.kernels.shaders('${k.op}'), shader '${firstShader}')` : `WGSL source on webgpu (sg.kernels.source('${k.op}'))`;
  $('opSource').textContent = firstShader ? [...new Set(sh)].map((n) => msg.sources[n] ?? '').join('\n') : msg.fallbackSources[k.op] || '(no WGSL kernel)';
  $('opGrad').textContent = state.gradRules[k.op] ?? `'${k.op}' has no gradient rule of its own${k.phase === 'backward' ? ' (it is part of a gradient)' : ''}.`;
}

// ---- twin, ledger, lab ----
const fmt = (x: number | null): string => (x === null ? '–' : x === 0 ? '0' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toFixed(4));

function drawTwin(m: FromWorker & { type: 'twin' }): void {
  const r = m.report;
  $('twinInfo').innerHTML = `${r.kernels.length} kernels on <b>${r.backend}</b> vs twin <b>${r.twin}</b>: <span class="${r.ok ? 'ok' : 'fail'}">${r.ok ? 'all within tolerance' : `${r.flagged.length} over tolerance`}</span>`;
  const t = $('twinTable');
  t.textContent = '';
  t.append(row(['#', 'op', 'inputs', 'output', 'max abs error', 'max ULP', 'bad elements'], true));
  for (const k of r.kernels) {
    const tr = row([k.index, k.op, k.inputShapes.map((s) => `[${s.join(',')}]`).join(' '), `[${k.outputShape.join(',')}]`, fmt(k.maxAbsError), k.maxUlp, k.numBad]);
    if (!k.ok) tr.className = 'bad';
    t.append(tr);
  }
}

function drawLedger(m: FromWorker & { type: 'ledger' }): void {
  const l = m.ledger;
  const mem = m.memory;
  $('ledgerInfo').textContent = `${l.numTensors} live tensors, ${(l.numBytes / 1024).toFixed(1)} KiB · engine: ${mem.numTensors} tensors in ${mem.numBuffers} buffers, ${(mem.numBytes / 1024).toFixed(1)} KiB, ${(mem.pooledBytes / 1024).toFixed(1)} KiB pooled for reuse`;
  const by = new Map<string, { n: number; bytes: number }>();
  for (const e of l.tensors) {
    const key = e.variable ? 'variable' : e.op;
    const g = by.get(key) ?? { n: 0, bytes: 0 };
    g.n++;
    g.bytes += e.sharesData ? 0 : e.bytes;
    by.set(key, g);
  }
  const t = $('ledgerByOp');
  t.textContent = '';
  t.append(row(['made by', 'tensors', 'KiB'], true));
  for (const [op, g] of [...by].sort((a, b) => b[1].bytes - a[1].bytes)) t.append(row([op, g.n, (g.bytes / 1024).toFixed(1)]));
  const all = $('ledgerTable');
  all.textContent = '';
  all.append(row(['id', 'op', 'shape', 'dtype', 'bytes', 'backend', 'variable', 'stack'], true));
  for (const e of l.tensors.slice(0, 300)) all.append(row([e.id, e.op, `[${e.shape.join(',')}]`, e.dtype, e.bytes, e.backend, e.variable ?? '', (e.stack ?? []).join(' ← ')]));
}

function drawLab(m: FromWorker & { type: 'lab' }): void {
  const out = $('labOut');
  out.textContent = '';
  const b = m.bindings;
  const p = document.createElement('p');
  p.innerHTML = `Bindings vs <b>${b.shader}</b>: <span class="${b.ok ? 'ok' : 'fail'}">${b.ok ? 'match' : 'differ'}</span>${b.overrides.length ? ` · overrides: ${b.overrides.join(', ')}` : ''}`;
  out.append(p);
  for (const pr of b.problems) {
    const li = document.createElement('div');
    li.className = 'fail';
    li.textContent = `• ${pr}`;
    out.append(li);
  }
  if (m.error) {
    const e = document.createElement('p');
    e.className = 'fail';
    e.textContent = m.error;
    out.append(e);
  }
  const r = m.result;
  if (r) {
    const t = document.createElement('table');
    t.className = 'grid';
    t.id = 'labTable';
    t.append(row(['variant', 'twin check', 'max abs error', 'max ULP', 'ms', 'GFLOP/s', 'speed-up', 'error'], true));
    t.append(row([`built-in (${r.replaced.join(', ')})`, r.builtin.ok ? 'ok' : 'FAIL', fmt(r.builtin.maxAbsError), r.builtin.maxUlp, r.builtin.ms.toFixed(3), r.builtin.gflops.toFixed(3), '1', '']));
    for (const tr of r.trials) {
      const x = row([JSON.stringify(tr.overrides), tr.ok ? 'ok' : 'FAIL', fmt(tr.maxAbsError), tr.maxUlp ?? '–', tr.ms?.toFixed(3) ?? '–', tr.gflops?.toFixed(3) ?? '–', tr.speedup?.toFixed(2) ?? '–', tr.error ?? '']);
      if (!tr.ok) x.className = 'bad';
      t.append(x);
    }
    out.append(t);
    const a = document.createElement('a');
    a.textContent = 'Download JSON';
    a.download = `tune-${r.op}.json`;
    a.href = URL.createObjectURL(new Blob([JSON.stringify(r, null, 2)], { type: 'application/json' }));
    out.append(a);
    $('labJson').textContent = JSON.stringify(r, null, 2);
  } else $('labJson').textContent = '';
}

const LAB_DEFAULTS: Record<string, { shapes: string; attrs: string; sweep: string }> = {
  matMul: { shapes: '[[128,64],[64,96]]', attrs: '', sweep: '{"WG_X":[4,8,16]}' },
  conv2d: { shapes: '[[4,16,16,8],[3,3,8,16]]', attrs: '{"strides":[1,1],"pad":"same","dilations":[1,1]}', sweep: '' },
  relu: { shapes: '[[64,256]]', attrs: '{"alpha":0,"beta":0}', sweep: '' },
  add: { shapes: '[[64,256],[64,256]]', attrs: '', sweep: '' },
  sum: { shapes: '[[64,256]]', attrs: '{"axes":[1]}', sweep: '' },
};

// ---- worker messages ----
function onMessage(m: FromWorker): void {
  switch (m.type) {
    case 'ready': {
      state.backend = m.backend;
      state.ready = true;
      state.info = m.info;
      const info = m.info as { architecture?: string; vendor?: string; software?: boolean; threads?: number; singleThreadReason?: string };
      software = Boolean(info.software);
      if (software) send({ type: 'labShaders', op: $<HTMLSelectElement>('labOp').value });
      const badge = $('backendBadge');
      const wasmInfo = `SIMD, ${info.threads ?? 1} thread${info.threads === 1 ? '' : 's'}${info.singleThreadReason ? `: ${info.singleThreadReason}` : ''}`;
      badge.textContent = `running on ${m.backend}${m.backend === 'webgpu' ? ` (${[info.vendor, info.architecture].filter(Boolean).join(' ') || 'GPU'}${info.software ? ', software' : ''})` : m.backend === 'wasm' ? ` (${wasmInfo})` : ''}`;
      badge.className = `badge ${m.backend === 'webgpu' ? '' : 'cpu'}`;
      const sel = $<HTMLSelectElement>('backend');
      for (const b of m.backends) if (!Array.from(sel.options).some((o) => o.value === b)) sel.append(new Option(b, b));
      configure();
      break;
    }
    case 'configured':
      state.configured++;
      metricName = m.metricName;
      points = m.points ?? null;
      $('summary').textContent = m.summary;
      resetCurves();
      drawBoundary(null);
      setStatus(`model ready: ${m.params} parameters`);
      break;
    case 'progress':
      state.progress = m;
      state.step = m.step;
      $('counter').textContent = `step ${m.step} · loss ${fmt(m.loss)} · ${metricName} ${fmt(m.metric)}${m.valLoss !== undefined ? ` · val loss ${fmt(m.valLoss)}` : ''}`;
      addPoint(m);
      if (m.boundary) drawBoundary(m.boundary);
      if (m.filters || m.featureMaps) drawCnn(m);
      if (m.gates) drawGates(m.gates);
      break;
    case 'state':
      state.running = m.running;
      state.step = m.step;
      setStatus(m.running ? 'training…' : 'paused');
      break;
    case 'trace':
      state.trace = m;
      trace = m.trace;
      $('traceInfo').textContent = `${m.trace.kernels.length} kernels on ${m.trace.backend}, step took ${m.trace.wallMs.toFixed(1)} ms`;
      drawGraph();
      showOp(Math.max(0, m.trace.kernels.findIndex((k) => ['matMul', 'fusedMatMul', 'conv2d', 'fusedConv2d'].includes(k.op))));
      break;
    case 'twin':
      state.twin = m;
      drawTwin(m);
      break;
    case 'ledger':
      state.ledger = m;
      drawLedger(m);
      break;
    case 'leaks': {
      state.leaks = m;
      const out = $('leakOut');
      out.textContent = '';
      const r = m.report;
      const p = document.createElement('p');
      p.innerHTML = r.ok ? '<span class="ok">One training step left no tensor behind.</span>' : `<span class="fail">One training step left ${r.leaked.length} tensors behind:</span>`;
      out.append(p);
      if (!r.ok) {
        const t = document.createElement('table');
        t.className = 'grid';
        t.append(row(['op', 'shape', 'bytes', 'made at'], true));
        for (const e of r.leaked.slice(0, 50)) t.append(row([e.op, `[${e.shape.join(',')}]`, e.bytes, (e.stack ?? []).join(' ← ')]));
        out.append(t);
      }
      break;
    }
    case 'labShaders': {
      const sel = $<HTMLSelectElement>('labShader');
      sel.textContent = '';
      for (const s of m.shaders) sel.append(new Option(s.name, s.name));
      labSources = Object.fromEntries(m.shaders.map((s) => [s.name, s.source]));
      const prefer = (software ? m.shaders.find((s) => /vec4|direct/.test(s.name)) : undefined) ?? m.shaders[0];
      if (prefer) {
        sel.value = prefer.name;
        $<HTMLTextAreaElement>('labSource').value = prefer.source;
      }
      break;
    }
    case 'lab':
      state.lab = m;
      drawLab(m);
      break;
    case 'error':
      state.errors.push(`${m.during}: ${m.message}`);
      setStatus(`error during ${m.during}: ${m.message}`);
      console.warn(`playground worker: ${m.during}: ${m.message}`);
      break;
  }
}

let labSources: Record<string, string> = {};
let software = false;

function startWorker(): void {
  worker?.terminate();
  state.ready = false;
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  worker.onerror = (e) => {
    state.errors.push(`worker: ${e.message}`);
    setStatus(`worker error: ${e.message}`);
  };
  const b = $<HTMLSelectElement>('backend').value;
  send({ type: 'init', backend: b });
  send({ type: 'labShaders', op: $<HTMLSelectElement>('labOp').value });
}

async function loadGradRules(): Promise<void> {
  try {
    const r = await fetch('data/grad_rules.json');
    if (r.ok) state.gradRules = (await r.json()) as Record<string, string>;
  } catch {
    // The rules are a nicety; the page works without them.
  }
}

function wire(): void {
  const want = params.get('backend') ?? 'auto';
  const bsel = $<HTMLSelectElement>('backend');
  if (!Array.from(bsel.options).some((o) => o.value === want)) bsel.append(new Option(want, want));
  bsel.value = want;
  if (params.get('data')) $<HTMLSelectElement>('data').value = params.get('data')!;
  fillModels();
  if (params.get('model')) {
    $<HTMLSelectElement>('model').value = params.get('model')!;
    applyPreset();
  }
  $('backend').onchange = () => startWorker();
  $('data').onchange = () => {
    fillModels();
    configure();
  };
  $('model').onchange = () => {
    applyPreset();
    configure();
  };
  for (const id of ['units', 'activation', 'dropout', 'optimizer', 'lr', 'batch']) $(id).onchange = () => (dirty = true);
  $('start').onclick = () => {
    if (dirty) configure();
    send({ type: 'start' });
  };
  $('pause').onclick = () => send({ type: 'pause' });
  $('step').onclick = () => {
    if (dirty) configure();
    send({ type: 'step', n: 1 });
  };
  $('reset').onclick = () => {
    send({ type: 'reset' });
    dirty = true;
    resetCurves();
    points = null;
    drawBoundary(null);
    $('counter').textContent = 'step 0';
  };
  $('inspectBtn').onclick = () => send({ type: 'inspect' });
  $('twinBtn').onclick = () => send({ type: 'twin' });
  $('ledgerBtn').onclick = () => send({ type: 'ledger', stacks: $<HTMLInputElement>('stacks').checked });
  $('leakBtn').onclick = () => send({ type: 'leakCheck' });
  $('labOp').onchange = () => {
    const op = $<HTMLSelectElement>('labOp').value;
    const d = LAB_DEFAULTS[op];
    $<HTMLInputElement>('labShapes').value = d.shapes;
    $<HTMLInputElement>('labAttrs').value = d.attrs;
    $<HTMLInputElement>('labSweep').value = d.sweep;
    send({ type: 'labShaders', op });
  };
  $('labLoad').onclick = () => {
    $<HTMLTextAreaElement>('labSource').value = labSources[$<HTMLSelectElement>('labShader').value] ?? '';
  };
  $('labBreak').onclick = () => {
    const ta = $<HTMLTextAreaElement>('labSource');
    // Drop the last term of the first `+=` accumulation (or, failing that, scale the stored value): a plausible bug.
    const src = ta.value;
    const m = /(\w+\s*\+=\s*[^;]*?)\s*\+\s*[^+;]+;/.exec(src);
    ta.value = m ? src.replace(m[0], `${m[1]};`) : src.replace(/(out\[[^\]]+\]\s*=\s*)([^;]+);/, '$1($2) * 1.01;');
  };
  $('labRun').onclick = () => {
    try {
      const opts: TuneOptions = {
        op: $<HTMLSelectElement>('labOp').value as TuneOptions['op'],
        source: $<HTMLTextAreaElement>('labSource').value,
        shader: $<HTMLSelectElement>('labShader').value || undefined,
        shapes: JSON.parse($<HTMLInputElement>('labShapes').value) as number[][],
        reps: 3,
      };
      const attrs = $<HTMLInputElement>('labAttrs').value.trim();
      if (attrs) opts.attrs = JSON.parse(attrs) as object;
      const sweep = $<HTMLInputElement>('labSweep').value.trim();
      if (sweep) opts.sweep = JSON.parse(sweep) as Record<string, number[]>;
      $('labOut').textContent = 'running…';
      send({ type: 'lab', opts });
    } catch (e) {
      $('labOut').textContent = `bad input: ${(e as Error).message}`;
    }
  };
  resetCurves();
  drawBoundary(null);
}

wire();
void loadGradRules();
startWorker();
