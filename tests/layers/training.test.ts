/**
 * compile / fit / evaluate / predict against TensorFlow.js (CPU backend):
 * the same model is built in both libraries, tfjs's initial weights are
 * copied into ours, and both are trained on the same seeded data with
 * shuffle: false; per-epoch logs must agree. Also EarlyStopping, callbacks,
 * the progress display and tensor accounting.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import * as sg from '../../src/index.js';
import { ProgressLogger } from '../../src/layers/callbacks.js';
import { expectNoLeak } from '../helpers/check_op.js';
import type { Tf } from '../helpers/tf.js';
import { getTf } from '../helpers/tf.js';

let tf: Tf;
beforeAll(async () => {
  tf = await getTf();
});
let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

/* eslint-disable @typescript-eslint/no-explicit-any */
type Lib = any;
type AnyModel = any;

/** Deterministic values in [-a, a]. */
function rand(n: number, seed: number, a = 1): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(Math.fround(((s / 2 ** 32) * 2 - 1) * a));
  }
  return out;
}
const oneHot = (ids: number[], k: number): number[] => ids.flatMap((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)));

interface Data {
  /** [values, shape, dtype?] per input / target. */
  x: [number[], number[], string?][];
  y: [number[], number[], string?][];
}
const mk = (L: Lib, d: [number[], number[], string?][]): any => {
  const ts = d.map(([v, s, dt]) => L.tensor(v, s, dt ?? 'float32'));
  return ts.length === 1 ? ts[0] : ts;
};
const flat = (t: any): any[] => (Array.isArray(t) ? t : [t]);

/** Copies tfjs's weights into ours (same Keras order). */
async function copyWeights(tm: AnyModel, sm: sg.LayersModel): Promise<void> {
  const tws = tm.getWeights();
  const vals = await Promise.all(tws.map((w: any) => w.data()));
  const ours = tws.map((w: any, i: number) => sg.tensor(Array.from(vals[i] as Float32Array), w.shape));
  sm.setWeights(ours);
  sg.dispose(ours);
}

/** tfjs's history key → ours (tfjs writes 'acc' for 'accuracy'). */
const ourKey = (k: string): string => k.replace(/(^|_)acc$/, '$1accuracy');

function expectHistoryClose(theirs: Record<string, number[]>, ours: Record<string, number[]>, rtol = 1e-3, skip: (k: string) => boolean = () => false): void {
  const keys = Object.keys(theirs).filter((k) => !skip(k));
  expect(keys.length).toBeGreaterThan(0);
  for (const k of keys) {
    const mine = ours[ourKey(k)];
    expect(mine, `key ${k} (ours: ${Object.keys(ours)})`).toBeDefined();
    expect(mine.length).toBe(theirs[k].length);
    theirs[k].forEach((v, e) => {
      const m = mine[e];
      if (Math.abs(m - v) > rtol * Math.max(1, Math.abs(v))) throw new Error(`${k}[epoch ${e}]: ours ${m} vs tfjs ${v}`);
    });
  }
}

interface Case {
  build: (L: Lib) => AnyModel;
  compile: (L: Lib) => Record<string, unknown>;
  data: Data;
  fit: Record<string, unknown>;
  /** Keys of tfjs's history not to compare. */
  skip?: (k: string) => boolean;
}

/** Builds, copies weights, fits both; returns both histories (the models are disposed). */
async function runBoth(c: Case, check?: (tm: AnyModel, sm: sg.LayersModel) => Promise<void>): Promise<{ theirs: Record<string, number[]>; ours: Record<string, number[]> }> {
  const tm = c.build(tf);
  const sm = c.build(sg) as sg.LayersModel;
  try {
    await copyWeights(tm, sm);
    tm.compile(c.compile(tf));
    sm.compile(c.compile(sg) as never);
    const tx = mk(tf, c.data.x);
    const ty = mk(tf, c.data.y);
    const sx = mk(sg, c.data.x);
    const sy = mk(sg, c.data.y);
    const fitArgs = (L: Lib): Record<string, unknown> => {
      const a: Record<string, unknown> = { shuffle: false, verbose: 0, ...c.fit };
      if (a.validationData) {
        const vd = a.validationData as Data;
        a.validationData = [mk(L, vd.x), mk(L, vd.y)];
      }
      return a;
    };
    const tArgs = fitArgs(tf);
    const sArgs = fitArgs(sg);
    try {
      const th = await tm.fit(tx, ty, tArgs);
      const sh = await sm.fit(sx, sy, sArgs as never);
      expectHistoryClose(th.history as Record<string, number[]>, sh.history, 1e-3, c.skip);
      if (check) await check(tm, sm);
      return { theirs: th.history, ours: sh.history };
    } finally {
      tf.dispose([...flat(tx), ...flat(ty)]);
      sg.dispose([...flat(sx), ...flat(sy)]);
      if (sArgs.validationData) sg.dispose((sArgs.validationData as any[]).flatMap(flat));
      if (tArgs.validationData) tf.dispose((tArgs.validationData as any[]).flatMap(flat));
    }
  } finally {
    sm.dispose();
    tm.dispose();
  }
}

/** Evaluate and predict (batched and one-shot) agree with tfjs after training. */
async function checkEvalPredict(tm: AnyModel, sm: sg.LayersModel, d: Data, tfjsExtraFirst = false): Promise<void> {
  const tx = mk(tf, d.x);
  const ty = mk(tf, d.y);
  const sx = mk(sg, d.x);
  const sy = mk(sg, d.y);
  const te = flat(tm.evaluate(tx, ty, { batchSize: 7 }));
  const se = flat(await sm.evaluate(sx, sy, { batchSize: 7 }));
  // tfjs's multi-output evaluate prepends a spurious copy of the first output's loss.
  const tv = te.map((t: any) => t.dataSync()[0]).slice(tfjsExtraFirst ? 1 : 0);
  const sv = se.map((t: any) => t.dataSync()[0]);
  expect(sv.length).toBe(tv.length);
  sv.forEach((v: number, i: number) => expect(Math.abs(v - tv[i])).toBeLessThan(1e-3 * Math.max(1, Math.abs(tv[i]))));
  const tp = flat(tm.predict(tx));
  const sp1 = flat(sm.predict(sx, { batchSize: 5 }));
  const sp2 = flat(sm.predict(sx, { batchSize: 1000 }));
  for (let i = 0; i < tp.length; i++) {
    const a = tp[i].dataSync() as Float32Array;
    const b = sp1[i].dataSync() as Float32Array;
    const c = sp2[i].dataSync() as Float32Array;
    expect(sp1[i].shape).toEqual(tp[i].shape);
    for (let j = 0; j < a.length; j++) {
      expect(Math.abs(b[j] - a[j])).toBeLessThan(1e-4 * Math.max(1, Math.abs(a[j])));
      expect(Math.abs(b[j] - c[j])).toBeLessThan(1e-6);
    }
  }
  tf.dispose([...te, ...tp, ...flat(tx), ...flat(ty)]);
  sg.dispose([...se, ...sp1, ...sp2, ...flat(sx), ...flat(sy)]);
}

const N = 40;
const reg = (): Data => {
  const x = rand(N * 3, 1);
  const y = Array.from({ length: N }, (_, i) => x[i * 3] * 0.5 - x[i * 3 + 1] + 0.3 * x[i * 3 + 2] ** 2);
  return { x: [[x, [N, 3]]], y: [[y, [N, 1]]] };
};
const binary = (): Data => {
  const x = rand(N * 4, 2);
  const y = Array.from({ length: N }, (_, i) => (x[i * 4] + x[i * 4 + 1] * x[i * 4 + 2] > 0 ? 1 : 0));
  return { x: [[x, [N, 4]]], y: [[y, [N, 1]]] };
};
const classes = (sparse: boolean): Data => {
  const x = rand(N * 4, 3);
  const ids = Array.from({ length: N }, (_, i) => (x[i * 4] > 0.3 ? 2 : x[i * 4 + 1] > 0 ? 1 : 0));
  return { x: [[x, [N, 4]]], y: [sparse ? [ids, [N, 1]] : [oneHot(ids, 3), [N, 3]]] };
};

describe('fit matches tfjs (shuffle: false)', () => {
  test('Dense regression, mse + mae, sgd momentum nesterov, validationSplit; evaluate/predict', async () => {
    const d = reg();
    await runBoth(
      {
        build: (L) => L.sequential({ layers: [L.layers.dense({ units: 8, activation: 'tanh', inputShape: [3] }), L.layers.dense({ units: 1 })] }),
        compile: (L) => ({ optimizer: L === tf ? tf.train.momentum(0.05, 0.9, true) : sg.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }), loss: 'meanSquaredError', metrics: ['mae'] }),
        data: d,
        fit: { epochs: 5, batchSize: 8, validationSplit: 0.25 },
      },
      (tm, sm) => checkEvalPredict(tm, sm, d),
    );
  });

  test('binary classification with Dropout(0) and L2 regularizer (loss includes the penalty)', async () => {
    const d = binary();
    const { ours } = await runBoth({
      build: (L) =>
        L.sequential({
          layers: [
            L.layers.dense({ units: 6, activation: 'relu', inputShape: [4], kernelRegularizer: L.regularizers.l2({ l2: 0.05 }) }),
            L.layers.dropout({ rate: 0 }),
            L.layers.dense({ units: 1, activation: 'sigmoid' }),
          ],
        }),
      compile: (L) => ({ optimizer: L === tf ? tf.train.adam(0.02) : sg.optimizers.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] }),
      data: d,
      fit: { epochs: 4, batchSize: 10, validationSplit: 0.2 },
    });
    expect(Object.keys(ours).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  });

  test.each([
    ['categoricalCrossentropy', false],
    ['sparseCategoricalCrossentropy', true],
  ] as const)('softmax classifier, %s, rmsprop, validationData; evaluate/predict', async (loss, sparse) => {
    const d = classes(sparse);
    const v = classes(sparse);
    v.x[0][0] = rand(N * 4, 33);
    await runBoth(
      {
        build: (L) => L.sequential({ layers: [L.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), L.layers.dense({ units: 3, activation: 'softmax' })] }),
        compile: (L) => ({ optimizer: L === tf ? tf.train.rmsprop(0.01, 0.9, 0, 1e-7) : sg.optimizers.rmsprop({ learningRate: 0.01 }), loss, metrics: ['accuracy'] }),
        data: d,
        fit: { epochs: 4, batchSize: 16, validationData: v },
      },
      (tm, sm) => checkEvalPredict(tm, sm, d),
    );
  });

  test('conv2d → maxPooling2d → flatten → dense', async () => {
    const n = 12;
    const x = rand(n * 6 * 6 * 2, 5);
    const ids = Array.from({ length: n }, (_, i) => i % 3);
    const d: Data = { x: [[x, [n, 6, 6, 2]]], y: [[oneHot(ids, 3), [n, 3]]] };
    await runBoth(
      {
        build: (L) =>
          L.sequential({
            layers: [
              L.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }),
              L.layers.maxPooling2d({ poolSize: 2 }),
              L.layers.flatten(),
              L.layers.dense({ units: 3, activation: 'softmax' }),
            ],
          }),
        compile: (L) => ({ optimizer: L === tf ? tf.train.sgd(0.1) : sg.optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] }),
        data: d,
        fit: { epochs: 3, batchSize: 5, validationSplit: 0.25 },
      },
      (tm, sm) => checkEvalPredict(tm, sm, d),
    );
  });

  test('LSTM(returnSequences) → LSTM → Dense', async () => {
    const n = 16;
    const x = rand(n * 5 * 2, 6);
    const y = Array.from({ length: n }, (_, i) => x[i * 10] + x[i * 10 + 9]);
    const d: Data = { x: [[x, [n, 5, 2]]], y: [[y, [n, 1]]] };
    await runBoth(
      {
        build: (L) =>
          L.sequential({
            layers: [
              L.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid', inputShape: [5, 2] }),
              L.layers.lstm({ units: 3, recurrentActivation: 'sigmoid' }),
              L.layers.dense({ units: 1 }),
            ],
          }),
        compile: (L) => ({ optimizer: L === tf ? tf.train.adam(0.01) : sg.optimizers.adam({ learningRate: 0.01 }), loss: L === tf ? 'meanSquaredError' : 'mse', metrics: ['mae'] }),
        data: d,
        fit: { epochs: 3, batchSize: 6, validationSplit: 0.25 },
      },
      (tm, sm) => checkEvalPredict(tm, sm, d),
    );
  });

  test('functional model with two inputs and concatenate', async () => {
    const xa = rand(N * 3, 7);
    const xb = rand(N * 2, 8);
    const y = Array.from({ length: N }, (_, i) => xa[i * 3] - xb[i * 2 + 1]);
    const d: Data = { x: [[xa, [N, 3]], [xb, [N, 2]]], y: [[y, [N, 1]]] };
    await runBoth(
      {
        build: (L) => {
          const a = L.input({ shape: [3] });
          const b = L.input({ shape: [2] });
          const ha = L.layers.dense({ units: 4, activation: 'relu' }).apply(a);
          const h = L.layers.concatenate().apply([ha, b]);
          return L.model({ inputs: [a, b], outputs: L.layers.dense({ units: 1 }).apply(h) });
        },
        compile: (L) => ({ optimizer: L === tf ? tf.train.adam(0.01) : sg.optimizers.adam({ learningRate: 0.01 }), loss: L === tf ? 'meanSquaredError' : 'mse', metrics: ['mae'] }),
        data: d,
        fit: { epochs: 4, batchSize: 8, validationSplit: 0.2 },
      },
      (tm, sm) => checkEvalPredict(tm, sm, d),
    );
  });

  test('two-output functional model: total, per-output losses and metrics; keys as tfjs', async () => {
    const x = rand(N * 3, 9);
    const ya = Array.from({ length: N }, (_, i) => x[i * 3] * 2);
    const yb = Array.from({ length: N }, (_, i) => (x[i * 3 + 1] > 0 ? 1 : 0));
    const d: Data = { x: [[x, [N, 3]]], y: [[ya, [N, 1]], [yb, [N, 1]]] };
    const evals: number[][] = [];
    const { theirs, ours } = await runBoth(
      {
        build: (L) => {
          const i = L.input({ shape: [3] });
          const h = L.layers.dense({ units: 5, activation: 'tanh' }).apply(i);
          const oa = L.layers.dense({ units: 1, name: 'out_a' }).apply(h);
          const ob = L.layers.dense({ units: 1, activation: 'sigmoid', name: 'out_b' }).apply(h);
          return L.model({ inputs: i, outputs: [oa, ob] });
        },
        compile: (L) => ({ optimizer: L === tf ? tf.train.sgd(0.1) : sg.optimizers.sgd({ learningRate: 0.1 }), loss: [L === tf ? 'meanSquaredError' : 'mse', 'binaryCrossentropy'], metrics: { out_a: ['mae'], out_b: ['accuracy'] } }),
        data: d,
        fit: { epochs: 3, batchSize: 8, validationSplit: 0.25 },
        // tfjs (4.22) logs the validation values of a multi-output model
        // under the wrong names: its evaluate list starts with a spurious copy
        // of the first output's loss, so val_loss holds out_a's loss,
        // val_out_a_loss the total, and so on. Ours follow Keras; checked
        // below against that layout and against tfjs.evaluate.
        skip: (k) => k.startsWith('val_'),
      },
      async (tm, sm) => {
        await checkEvalPredict(tm, sm, d, true);
        // The last epoch's validation values equal evaluate on the held-out 10 samples.
        const vx = sg.tensor(x.slice(30 * 3), [10, 3]);
        const vys = [sg.tensor(ya.slice(30), [10, 1]), sg.tensor(yb.slice(30), [10, 1])];
        const tvx = tf.tensor(x.slice(30 * 3), [10, 3]);
        const tvys = [tf.tensor(ya.slice(30), [10, 1]), tf.tensor(yb.slice(30), [10, 1])];
        const ev = (await sm.evaluate(vx, vys)) as sg.Tensor[];
        const tev = tm.evaluate(tvx, tvys) as any[];
        evals.push(ev.map((t) => t.dataSync()[0]), tev.map((t: any) => t.dataSync()[0]).slice(1));
        sg.dispose([vx, ...vys, ...ev]);
        tf.dispose([tvx, ...tvys, ...tev]);
      },
    );
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).map(ourKey).sort());
    const last = theirs.loss.length - 1;
    const oursVal = ['val_loss', 'val_out_a_loss', 'val_out_b_loss', 'val_out_a_mae', 'val_out_b_accuracy'].map((k) => ours[k][last]);
    // Ours = evaluate (ours) = evaluate (tfjs), in Keras order.
    oursVal.forEach((v, i) => {
      expect(Math.abs(v - evals[0][i])).toBeLessThan(1e-4);
      expect(Math.abs(v - evals[1][i])).toBeLessThan(1e-3);
    });
    theirs.val_loss.forEach((_, e) => {
      expect(Math.abs(ours.val_out_a_loss[e] + ours.val_out_b_loss[e] - ours.val_loss[e])).toBeLessThan(1e-5);
      // tfjs's validation logs: its value list has that spurious first entry,
      // so every name holds the previous value.
      const shifted = ['val_out_a_loss', 'val_loss', 'val_out_a_loss', 'val_out_b_loss', 'val_out_a_mae'];
      ['val_loss', 'val_out_a_loss', 'val_out_b_loss', 'val_out_a_mae', 'val_out_b_acc'].forEach((k, i) => {
        expect(Math.abs(theirs[k][e] - ours[shifted[i]][e])).toBeLessThan(1e-3);
      });
    });
  });
});

describe('EarlyStopping', () => {
  const mlp = (L: Lib): AnyModel => L.sequential({ layers: [L.layers.dense({ units: 16, activation: 'relu', inputShape: [3] }), L.layers.dense({ units: 1 })] });

  test('stops at the same epoch as tf.callbacks.earlyStopping (val_loss, patience 2, minDelta)', async () => {
    const d = reg();
    const stops: number[] = [];
    for (const minDelta of [0.002, 0.02]) {
      const tm = mlp(tf);
      const sm = mlp(sg) as sg.LayersModel;
      await copyWeights(tm, sm);
      tm.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
      sm.compile({ optimizer: sg.optimizers.sgd({ learningRate: 0.05 }), loss: 'mse' });
      const tx = mk(tf, d.x), ty = mk(tf, d.y), sx = mk(sg, d.x), sy = mk(sg, d.y);
      const th = await tm.fit(tx, ty, { epochs: 40, batchSize: 8, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, minDelta })] });
      const sh = await sm.fit(sx, sy, { epochs: 40, batchSize: 8, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [sg.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, minDelta })] });
      expect(sh.epoch.length).toBe(th.epoch.length);
      expectHistoryClose(th.history, sh.history);
      stops.push(sh.epoch.length);
      tf.dispose([tx, ty]);
      sg.dispose([sx, sy]);
      tm.dispose();
      sm.dispose();
    }
    // The larger minDelta stops earlier and both stop before 40 epochs.
    expect(stops[1]).toBeLessThan(stops[0]);
    expect(stops[0]).toBeLessThan(40);
  });

  test('restoreBestWeights restores the weights of the best epoch', async () => {
    const d = reg();
    const m = mlp(sg) as sg.LayersModel;
    m.compile({ optimizer: sg.optimizers.sgd({ learningRate: 0.05 }), loss: 'mse' });
    const x = mk(sg, d.x), y = mk(sg, d.y);
    // Validation targets unrelated to x: val_loss soon stops improving.
    const vx = sg.tensor(rand(30, 41), [10, 3]);
    const vy = sg.tensor(rand(10, 42, 2), [10, 1]);
    const snaps: { val: number; w: number[][] }[] = [];
    const recorder = {
      onEpochEnd: async (_e: number, logs?: sg.Logs) => {
        const ws = m.getWeights();
        snaps.push({ val: logs!.val_loss, w: await Promise.all(ws.map(async (t) => Array.from(await t.data()))) });
        sg.dispose(ws);
      },
    };
    const es = sg.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const h = await m.fit(x, y, { epochs: 60, batchSize: 4, validationData: [vx, vy], shuffle: false, verbose: 0, callbacks: [recorder, es] });
    sg.dispose([vx, vy]);
    const best = snaps.reduce((bi, s, i) => (s.val < snaps[bi].val ? i : bi), 0);
    expect(h.epoch.length).toBe(snaps.length);
    // The run stopped early and the best epoch is not the last one.
    expect(best).toBeLessThan(snaps.length - 1);
    const now = m.getWeights();
    for (let i = 0; i < now.length; i++) expect(Array.from(await now[i].data())).toEqual(snaps[best].w[i]);
    sg.dispose([...now, x, y]);
    m.dispose();
  });
});

describe('callbacks and progress display', () => {
  test('plain-object callbacks get epoch and batch logs', async () => {
    const d = binary();
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [4] })] });
    m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = mk(sg, d.x), y = mk(sg, d.y);
    const events: string[] = [];
    const batchLogs: sg.Logs[] = [];
    const epochLogs: sg.Logs[] = [];
    const h = await m.fit(x, y, {
      epochs: 2,
      batchSize: 16,
      validationSplit: 0.2,
      verbose: 0,
      callbacks: {
        onTrainBegin: () => void events.push('trainBegin'),
        onEpochBegin: (e) => void events.push(`epochBegin${e}`),
        onBatchBegin: (b) => void events.push(`batchBegin${b}`),
        onBatchEnd: async (b, logs) => {
          events.push(`batchEnd${b}`);
          batchLogs.push({ ...logs! });
        },
        onEpochEnd: (e, logs) => {
          events.push(`epochEnd${e}`);
          epochLogs.push({ ...logs! });
        },
        onTrainEnd: () => void events.push('trainEnd'),
      },
    });
    // 32 training samples in batches of 16: 2 batches per epoch.
    expect(events).toEqual(['trainBegin', 'epochBegin0', 'batchBegin0', 'batchEnd0', 'batchBegin1', 'batchEnd1', 'epochEnd0', 'epochBegin1', 'batchBegin0', 'batchEnd0', 'batchBegin1', 'batchEnd1', 'epochEnd1', 'trainEnd']);
    expect(batchLogs[0]).toMatchObject({ batch: 0, size: 16 });
    expect(typeof batchLogs[0].loss).toBe('number');
    expect(typeof batchLogs[0].accuracy).toBe('number');
    expect(Object.keys(epochLogs[0]).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    // Epoch loss is the size-weighted mean of the batch losses.
    expect(epochLogs[0].loss).toBeCloseTo((batchLogs[0].loss + batchLogs[1].loss) / 2, 5);
    expect(h.history.loss[1]).toBe(epochLogs[1].loss);
    sg.dispose([x, y]);
    m.dispose();
  });

  test('verbose progress writes plain lines when not a TTY', async () => {
    const lines: string[] = [];
    const p = new ProgressLogger(2, 3, { write: (s) => void lines.push(s), isTTY: false });
    p.onEpochBegin(0);
    p.onBatchEnd(0, { loss: 1 });
    p.onEpochEnd(0, { loss: 0.5, val_loss: 0.25 });
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^Epoch 1\/2 - \d+ms \d+ms\/step - loss: 0\.5000 - val_loss: 0\.2500\n$/);
    expect(lines[0]).not.toMatch(/\r|\x1b/);
    // A TTY gets a redrawn bar.
    const tty: string[] = [];
    const q = new ProgressLogger(1, 2, { write: (s) => void tty.push(s), isTTY: true, throttleMs: 0 });
    q.onEpochBegin(0);
    q.onBatchEnd(0, { loss: 1 });
    q.onEpochEnd(0, { loss: 1 });
    expect(tty.join('')).toContain('\r2/2 [==============================]');

    // fit with verbose 1 on a non-TTY stdout: one plain line per epoch.
    const d = reg();
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [3] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = mk(sg, d.x), y = mk(sg, d.y);
    const out: string[] = [];
    const isTTY = process.stdout.isTTY;
    (process.stdout as { isTTY?: boolean }).isTTY = false;
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    try {
      await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 1 });
    } finally {
      spy.mockRestore();
      (process.stdout as { isTTY?: boolean }).isTTY = isTTY;
    }
    const epochLines = out.filter((s) => s.startsWith('Epoch '));
    expect(epochLines.length).toBe(3);
    expect(epochLines.every((s) => /^Epoch \d\/3 - \d+ms \d+ms\/step - loss: [\d.e+-]+\n$/.test(s))).toBe(true);
    sg.dispose([x, y]);
    m.dispose();
  });
});

describe('tensor accounting', () => {
  test('200 training steps, evaluate and predict leave numTensors unchanged', async () => {
    const d = binary();
    const m = sg.sequential({
      layers: [sg.layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelRegularizer: sg.regularizers.l2({ l2: 0.01 }) }), sg.layers.dropout({ rate: 0.2 }), sg.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
    m.compile({ optimizer: sg.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = mk(sg, d.x), y = mk(sg, d.y);
    // Warm-up: the optimizer creates its slots on the first step.
    await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const before = sg.memory().numTensors;
    // 32 training samples / batch 4 = 8 steps per epoch, 25 epochs = 200 steps.
    const h = await m.fit(x, y, { epochs: 25, batchSize: 4, validationSplit: 0.2, verbose: 0, callbacks: { onBatchEnd: () => undefined } });
    expect(h.history.loss.length).toBe(25);
    expect(sg.memory().numTensors).toBe(before);
    const ev = (await m.evaluate(x, y, { batchSize: 3 })) as sg.Tensor[];
    expect(ev.length).toBe(2);
    sg.dispose(ev);
    const p = m.predict(x, { batchSize: 7 }) as sg.Tensor;
    expect(p.shape).toEqual([N, 1]);
    p.dispose();
    expect(sg.memory().numTensors).toBe(before);
    sg.dispose([x, y]);
    m.dispose();
  });
});
