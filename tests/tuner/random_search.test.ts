/**
 * Random search logic with a test model whose validation loss is a known
 * function of its hyperparameters (the real-model run is in the examples
 * smoke test): seeding, no repeated combinations, best-epoch scoring,
 * execution averaging, ranking and the summary.
 */
import { describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { HyperParameters } from '../../src/tuner/index.js';

function fakeModel(units: number, lr: number, noise = 0) {
  let disposed = false;
  return {
    units,
    lr,
    get disposed() {
      return disposed;
    },
    async fit(_x: unknown, _y: unknown, args: Record<string, unknown> = {}) {
      const epochs = (args.epochs as number) ?? 3;
      // val_loss falls over epochs, then rises: the best epoch is epoch 1.
      const base = (units - 32) ** 2 / 1000 + Math.abs(Math.log10(lr) + 2) + noise;
      const val_loss = Array.from({ length: epochs }, (_, e) => base + (e === 1 ? 0 : 0.5));
      return { history: { loss: val_loss, val_loss, val_accuracy: val_loss.map((v) => 1 / (1 + v)) } };
    },
    dispose() {
      disposed = true;
    },
  };
}

const build = (hp: HyperParameters) => fakeModel(hp.int('units', 8, 64, { step: 8 }), hp.float('lr', 1e-4, 1e-1, { sampling: 'log' }));

describe('randomSearch', () => {
  test('seeded: the same seed gives the same trials; hyperparameters stay in range', async () => {
    const a = sg.tuner.randomSearch({ buildModel: build, objective: 'val_loss', maxTrials: 6, seed: 11 });
    const b = sg.tuner.randomSearch({ buildModel: build, objective: 'val_loss', maxTrials: 6, seed: 11 });
    await a.search(null, null, { epochs: 3 });
    await b.search(null, null, { epochs: 3 });
    expect(a.trials.map((t) => t.hyperparameters)).toEqual(b.trials.map((t) => t.hyperparameters));
    for (const t of a.trials) {
      expect((t.hyperparameters.units as number) % 8).toBe(0);
      expect(t.hyperparameters.units).toBeGreaterThanOrEqual(8);
      expect(t.hyperparameters.lr).toBeGreaterThanOrEqual(1e-4);
      expect(t.hyperparameters.lr).toBeLessThanOrEqual(1e-1);
    }
  });

  test('scores are the best epoch; ranking follows the objective direction', async () => {
    const s = sg.tuner.randomSearch({ buildModel: build, objective: 'val_loss', maxTrials: 8, seed: 3 });
    await s.search(null, null, { epochs: 4 });
    for (const t of s.trials) {
      const m = t.model as ReturnType<typeof fakeModel>;
      expect(t.score).toBeCloseTo((m.units - 32) ** 2 / 1000 + Math.abs(Math.log10(m.lr) + 2), 12);
    }
    const best = s.getBestModels(1)[0] as ReturnType<typeof fakeModel>;
    expect(Math.min(...s.trials.map((t) => t.score))).toBe(s.trials.find((t) => t.model === best)!.score);
    const acc = sg.tuner.randomSearch({ buildModel: build, objective: 'val_accuracy', maxTrials: 8, seed: 3 });
    await acc.search(null, null, { epochs: 4 });
    expect(acc.objective.direction).toBe('max');
    expect(acc.getBestHyperparameters(1)).toEqual(s.getBestHyperparameters(1));
  });

  test('a small space is exhausted without repeats', async () => {
    const s = sg.tuner.randomSearch({ buildModel: (hp) => fakeModel(hp.choice('units', [16, 32]), hp.choice('lr', [0.01, 0.001])), objective: 'val_loss', maxTrials: 10, seed: 1 });
    await s.search(null, null, { epochs: 2 });
    expect(s.trials.length).toBe(4);
    expect(new Set(s.trials.map((t) => JSON.stringify(t.hyperparameters))).size).toBe(4);
  });

  test('executionsPerTrial averages and keeps the best execution; summary prints trials', async () => {
    let n = 0;
    const s = sg.tuner.randomSearch({
      buildModel: (hp) => fakeModel(hp.choice('units', [32]), hp.choice('lr', [0.01]), [0.3, 0.1, 0.2][n++ % 3]),
      objective: 'val_loss',
      maxTrials: 1,
      executionsPerTrial: 3,
      seed: 5,
    });
    await s.search(null, null, { epochs: 2 });
    expect(s.trials[0].score).toBeCloseTo(0.2, 12);
    const lines: string[] = [];
    s.resultsSummary(5, (l) => lines.push(l));
    expect(lines.slice(0, 3)).toEqual(['Results summary', 'Showing 1 best trials', 'Objective(name="val_loss", direction="min")']);
    expect(lines).toContain('units: 32');
  });

  test('a missing objective is a clear error', async () => {
    const s = sg.tuner.randomSearch({ buildModel: build, objective: 'val_mae', maxTrials: 1, seed: 1 });
    await expect(s.search(null, null)).rejects.toThrow(/objective 'val_mae' is not in the fit history \(keys: loss, val_loss, val_accuracy\)/);
  });
});
