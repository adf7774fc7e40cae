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
  it('reseeds the generator behind randomNormal and rejects non-numbers', () => {
    sg.setSeed(3);
    const a = Array.from(sg.randomUniform([5]).dataSync());
    sg.setSeed(3);
    expect(Array.from(sg.randomUniform([5]).dataSync())).toEqual(a);
    expect(() => sg.setSeed('x' as unknown as number)).toThrow(/^setSeed: seed must be a finite number/);
  });
});
