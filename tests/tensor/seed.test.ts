import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';

async function run(seed: number): Promise<{ loss: number[]; split: number[]; w: number[] }> {
  sg.setSeed(seed);
  const x = sg.randomNormal([40, 3]);
  const y = sg.sum(x, 1, true);
  const m = sg.sequential([
    sg.layers.dense({ units: 8, inputShape: [3], activation: 'relu' }),
    sg.layers.dropout({ rate: 0.3 }),
    sg.layers.dense({ units: 1 }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  const h = await m.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0 });
  const [xs] = sg.data.trainTestSplit(x, y, { testSize: 0.5 });
  const out = { loss: [...h.history.loss, ...h.history.val_loss] as number[], split: Array.from(await xs.data()), w: Array.from(await m.getWeights()[0].data()) };
  sg.dispose([x, y, xs]);
  m.dispose();
  return out;
}

describe('setSeed', () => {
  it('makes initializers, dropout, shuffles and splits repeat; another seed differs', async () => {
    await sg.setBackend('cpu');
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(b).toEqual(a);
    expect(c.loss).not.toEqual(a.loss);
    expect(c.w).not.toEqual(a.w);
    expect(c.split).not.toEqual(a.split);
  });
  it('the tuner draws the same trials and scores after the same setSeed', async () => {
    await sg.setBackend('cpu');
    const search = async (seed: number): Promise<unknown[]> => {
      sg.setSeed(seed);
      const x = sg.randomNormal([16, 2]);
      const y = sg.sum(x, 1, true);
      const t = sg.tuner.randomSearch({
        buildModel: (hp) => {
          const m = sg.sequential([sg.layers.dense(hp.int('units', 1, 64), { inputShape: [2] }), sg.layers.dense(1)]);
          m.compile({ optimizer: sg.optimizers.sgd(hp.float('lr', 1e-3, 1e-1, { sampling: 'log' })), loss: 'mse' });
          return m;
        },
        objective: 'loss',
        maxTrials: 2,
      });
      await t.search(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      const out = t.trials.map((tr) => [tr.hyperparameters, tr.score]);
      t.dispose();
      sg.dispose([x, y]);
      return out;
    };
    const a = await search(5);
    expect(await search(5)).toEqual(a);
    expect(await search(6)).not.toEqual(a);
  });
  it('reseeds the generator behind randomNormal and rejects non-numbers', () => {
    sg.setSeed(3);
    const a = Array.from(sg.randomUniform([5]).dataSync());
    sg.setSeed(3);
    expect(Array.from(sg.randomUniform([5]).dataSync())).toEqual(a);
    expect(() => sg.setSeed('x' as unknown as number)).toThrow(/^setSeed: seed must be a finite number/);
  });
});
