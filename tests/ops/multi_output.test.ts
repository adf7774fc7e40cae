/**
 * Multi-output primitives (lstmCell, lstmCellGrad, gruCellGrad, adamUpdate):
 * one kernel writes every output to its own tensor, so a step's kernel list
 * holds no slice/concat/pad copies; a gradient through only some of the
 * outputs is right (float64 finite differences); memory stays flat.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { CellActivation } from '../../src/index.js';
import { outputNames } from '../../src/kernels/op_names.js';
import { onBackend, forwardBackends } from '../helpers/backends.js';
import { expectClose } from '../helpers/compare.js';
import { expectNoLeak } from '../helpers/check_op.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

/** What packing outputs into one buffer and slicing them apart adds: slice (forward), pad (slice's gradient), concat. */
const COPIES = ['slice', 'concat', 'pad'];

describe('gradient through some outputs of lstmCell (float64 finite differences)', () => {
  const PAIRS: [CellActivation, CellActivation][] = [
    ['tanh', 'sigmoid'],
    ['relu', 'hardSigmoid'],
  ];
  for (const [act, rec] of PAIRS) {
    for (const used of ['c', 'h', 'both'] as const) {
      test(`${act}/${rec}, loss uses ${used}`, async () => {
        await onBackend('cpu64', () => {
          const B = 3;
          const U = 5;
          const z = sg.randomUniform([B, 4 * U], -2, 2, 'float32', 11);
          const c0 = sg.randomUniform([B, U], -1, 1, 'float32', 12);
          const wc = sg.randomUniform([B, U], -1, 1, 'float32', 13);
          const wh = sg.randomUniform([B, U], -1, 1, 'float32', 14);
          const loss = (zz: sg.Tensor, cc: sg.Tensor): sg.Tensor => {
            const { c, h } = sg.lstmCell(zz, cc, act, rec);
            if (used === 'c') return sg.sum(sg.mul(c, wc));
            if (used === 'h') return sg.sum(sg.mul(h, wh));
            return sg.add(sg.sum(sg.mul(c, wc)), sg.sum(sg.mul(h, wh)));
          };
          const [gz, gc] = sg.grads(loss)([z, c0]);
          const zv = Float64Array.from(z.dataSync());
          const cv = Float64Array.from(c0.dataSync());
          const at = (zs: Float64Array, cs: Float64Array): number =>
            sg.tidy(() => loss(sg.tensor(zs, [B, 4 * U]), sg.tensor(cs, [B, U])).dataSync()[0]);
          const eps = 1e-6;
          const fd = (v: Float64Array, other: Float64Array, first: boolean): number[] =>
            Array.from(v, (x, i) => {
              const p = v.slice();
              const m = v.slice();
              p[i] = x + eps;
              m[i] = x - eps;
              return ((first ? at(p, other) : at(other, p)) - (first ? at(m, other) : at(other, m))) / (2 * eps);
            });
          expectClose(gz.dataSync(), fd(zv, cv, true), { rtol: 1e-5, atol: 1e-7 }, `dz (${used})`);
          expectClose(gc.dataSync(), fd(cv, zv, false), { rtol: 1e-5, atol: 1e-7 }, `dcPrev (${used})`);
          sg.dispose([z, c0, wc, wh, gz, gc]);
        });
      });
    }
  }
});

describe.each(forwardBackends())('multi-output kernels on %s', (backend) => {
  test('one LSTM cell step, forward and backward: two kernels with two outputs each, no copies; gradients match the CPU', async () => {
    const B = 4;
    const U = 8;
    const run = async (): Promise<{ ops: string[]; outs: number[][][]; grads: Float32Array[]; forwardOf: (string | null)[] }> => {
      const z = sg.randomUniform([B, 4 * U], -2, 2, 'float32', 21);
      const c0 = sg.randomUniform([B, U], -1, 1, 'float32', 22);
      const w = sg.randomUniform([B, U], -1, 1, 'float32', 23);
      let gs: sg.Tensor[] = [];
      const trace = await sg.debug.traceStep(() => {
        // Only h is used: c's upstream gradient is missing and the rule gives zeros.
        gs = sg.grads((zz: sg.Tensor, cc: sg.Tensor) => sg.sum(sg.mul(sg.lstmCell(zz, cc).h, w)))([z, c0]);
      });
      const grads = await Promise.all(gs.map(async (g) => Float32Array.from(await g.data())));
      sg.dispose([z, c0, w, ...gs]);
      const fused = trace.kernels.filter((k) => k.op === 'lstmCell' || k.op === 'lstmCellGrad');
      return { ops: trace.kernels.map((k) => k.op), outs: fused.map((k) => k.outputShapes), grads, forwardOf: fused.map((k) => k.gradientOf?.op ?? null) };
    };
    const got = await onBackend(backend, run);
    const cpu = await onBackend('cpu', run);
    expect(got.ops.filter((op) => COPIES.includes(op))).toEqual([]);
    expect(got.ops.filter((op) => op === 'lstmCell' || op === 'lstmCellGrad')).toEqual(['lstmCell', 'lstmCellGrad']);
    expect(got.outs).toEqual([
      [[B, U], [B, U]],
      [[B, 4 * U], [B, U]],
    ]);
    expect(got.forwardOf).toEqual([null, 'lstmCell']);
    got.grads.forEach((g, i) => expectClose(g, cpu.grads[i], { rtol: 1e-4, atol: 1e-5 }, `${backend} grad ${i}`));
  });

  test('one GRU cell backward: one gruCellGrad kernel with three outputs, no copies', async () => {
    await onBackend(backend, async () => {
      const xz = sg.randomUniform([2, 12], -1, 1, 'float32', 31);
      const hz = sg.randomUniform([2, 12], -1, 1, 'float32', 32);
      const h0 = sg.randomUniform([2, 4], -1, 1, 'float32', 33);
      let gs: sg.Tensor[] = [];
      const trace = await sg.debug.traceStep(() => {
        gs = sg.grads((a: sg.Tensor, b: sg.Tensor, c: sg.Tensor) => sg.sum(sg.gruCell(a, b, c)))([xz, hz, h0]);
      });
      const ops = trace.kernels.map((k) => k.op);
      expect(ops.filter((op) => COPIES.includes(op))).toEqual([]);
      const g = trace.kernels.find((k) => k.op === 'gruCellGrad')!;
      expect(g.outputShapes).toEqual([[2, 12], [2, 12], [2, 4]]);
      expect(g.outputIds).toHaveLength(outputNames('gruCellGrad').length);
      sg.dispose([xz, hz, h0, ...gs]);
    });
  });

  test('one Adam step is one adamUpdate kernel per weight writing w, m, v; state is right and memory stays flat', async () => {
    await onBackend(backend, async () => {
      const init = sg.randomUniform([5, 7], -1, 1, 'float32', 41);
      const w = sg.variable(init, true, 'w_adam');
      init.dispose();
      const ref = Float64Array.from(await w.data());
      const opt = sg.optimizers.adam({ learningRate: 0.01 });
      const m = new Float64Array(ref.length);
      const v = new Float64Array(ref.length);
      let mem0: ReturnType<typeof sg.memory> | null = null;
      for (let t = 1; t <= 3; t++) {
        const g = sg.randomUniform([5, 7], -1, 1, 'float32', 100 + t);
        const gv = await g.data();
        const trace = await sg.debug.traceStep(() => opt.applyGradients([[w, g]]));
        expect(trace.kernels.map((k) => k.op)).toEqual(['adamUpdate']);
        expect(trace.kernels[0].outputShapes).toEqual([[5, 7], [5, 7], [5, 7]]);
        g.dispose();
        // tfjs's rule in float64, β^t rounded to float32 as the kernels do.
        const c1 = 1 - Math.fround(0.9 ** t);
        const c2 = 1 - Math.fround(0.999 ** t);
        for (let i = 0; i < ref.length; i++) {
          m[i] = 0.9 * m[i] + 0.1 * gv[i];
          v[i] = 0.999 * v[i] + 0.001 * gv[i] * gv[i];
          ref[i] -= (0.01 * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + 1e-7);
        }
        if (t === 1) mem0 = sg.memory();
        else expect({ tensors: sg.memory().numTensors, bytes: sg.memory().numBytes }).toEqual({ tensors: mem0!.numTensors, bytes: mem0!.numBytes });
      }
      const [sm, sv] = opt.getSlots(w);
      expectClose(await w.data(), ref, { rtol: 1e-4, atol: 1e-5 }, 'w');
      expectClose(await sm.data(), m, { rtol: 1e-4, atol: 1e-6 }, 'm');
      expectClose(await sv.data(), v, { rtol: 1e-4, atol: 1e-7 }, 'v');
      opt.dispose();
      w.dispose();
    });
  });
});
