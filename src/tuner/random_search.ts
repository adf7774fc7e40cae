/**
 * Random search over hyperparameters, after keras-tuner's RandomSearch:
 * `buildModel(hp)` declares the space as it builds (`hp.int`, `hp.float`,
 * `hp.choice`), each trial draws fresh values (seeded, never repeating a
 * combination), fits the model, and scores it by the best epoch's value of
 * the objective (averaged over `executionsPerTrial` fits).
 */
import { Rng, nextSeed } from '../tensor/index.js';
import { checkConfig, keysOf } from '../layers/config_check.js';

/** The part of a model the tuner uses. */
export interface TunableModel {
  fit(x: unknown, y: unknown, args?: Record<string, unknown>): Promise<{ history: Record<string, number[]> }>;
  dispose?(): void;
}

export type HpValue = number | string | boolean;

/** Hyperparameters: each call declares one and returns its value for the current trial. */
export class HyperParameters {
  /** Values chosen in this trial, by name. */
  readonly values: Record<string, HpValue> = {};

  /** @internal */
  constructor(private readonly rng: Rng, private readonly fixed: Record<string, HpValue> = {}) {}

  private pick<T extends HpValue>(name: string, draw: () => T): T {
    if (!name) throw new Error('hyperparameter: a name is required');
    if (!(name in this.values)) this.values[name] = name in this.fixed ? this.fixed[name] : draw();
    return this.values[name] as T;
  }

  /** One of `values`, uniformly. */
  choice<T extends HpValue>(name: string, values: readonly T[]): T {
    if (!Array.isArray(values) || values.length === 0) throw new Error(`hp.choice('${name}'): values must be a non-empty list`);
    return this.pick(name, () => values[this.rng.int(values.length)]);
  }

  /** An integer in [min, max] on a grid of `step` (default 1); sampling 'linear' or 'log'. */
  int(name: string, min: number, max: number, options: { step?: number; sampling?: 'linear' | 'log' } = {}): number {
    const step = options.step ?? 1;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min > max || step < 1) throw new Error(`hp.int('${name}'): need integers min <= max and step >= 1, got ${min}, ${max}, step ${step}`);
    const n = Math.floor((max - min) / step) + 1;
    if (options.sampling === 'log') {
      if (min <= 0) throw new Error(`hp.int('${name}'): log sampling needs min > 0`);
      return this.pick(name, () => {
        const v = Math.exp(Math.log(min) + this.rng.next() * (Math.log(max) - Math.log(min)));
        return Math.min(max, min + Math.round((v - min) / step) * step);
      });
    }
    return this.pick(name, () => min + this.rng.int(n) * step);
  }

  /** A float in [min, max]; 'log' sampling draws uniformly in log space (for learning rates); optional `step` grid. */
  float(name: string, min: number, max: number, options: { step?: number; sampling?: 'linear' | 'log' } = {}): number {
    if (!(min <= max)) throw new Error(`hp.float('${name}'): min ${min} must be <= max ${max}`);
    if (options.sampling === 'log' && min <= 0) throw new Error(`hp.float('${name}'): log sampling needs min > 0`);
    return this.pick(name, () => {
      const u = this.rng.next();
      const v = options.sampling === 'log' ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
      return options.step ? Math.min(max, min + Math.round((v - min) / options.step) * options.step) : v;
    });
  }
}

export interface Objective {
  name: string;
  direction: 'min' | 'max';
}

export interface Trial {
  id: number;
  hyperparameters: Record<string, HpValue>;
  /** Best-epoch objective value, averaged over executions. */
  score: number;
  model: TunableModel;
}

export interface RandomSearchArgs {
  buildModel: (hp: HyperParameters) => TunableModel | Promise<TunableModel>;
  /** 'val_loss' (minimised), 'val_accuracy' (maximised), or { name, direction }. */
  objective: string | Objective;
  maxTrials: number;
  executionsPerTrial?: number;
  seed?: number;
}

function toObjective(o: string | Objective): Objective {
  if (typeof o !== 'string') return o;
  return { name: o, direction: /acc|auc|precision|recall/.test(o) ? 'max' : 'min' };
}

export class RandomSearch {
  readonly objective: Objective;
  readonly trials: Trial[] = [];
  private readonly rng: Rng;

  constructor(private readonly args: RandomSearchArgs) {
    checkConfig('randomSearch', args, keysOf<RandomSearchArgs>({ buildModel: true, objective: true, maxTrials: true, executionsPerTrial: true, seed: true }));
    if (!Number.isInteger(args.maxTrials) || args.maxTrials < 1) throw new Error(`randomSearch: maxTrials must be a positive integer, got ${args.maxTrials}`);
    if (typeof args.buildModel !== 'function') throw new Error('randomSearch: buildModel must be a function of hp returning a compiled model');
    this.objective = toObjective(args.objective);
    this.rng = new Rng(args.seed ?? nextSeed());
  }

  private better(a: number, b: number): boolean {
    return this.objective.direction === 'min' ? a < b : a > b;
  }

  /**
   * Runs up to maxTrials trials: draw hyperparameters, build, fit(x, y, fitArgs),
   * score. Stops early when the space has no unseen combination left.
   */
  async search(x: unknown, y: unknown, fitArgs: Record<string, unknown> = {}): Promise<Trial[]> {
    const seen = new Set(this.trials.map((t) => JSON.stringify(t.hyperparameters)));
    const execs = this.args.executionsPerTrial ?? 1;
    while (this.trials.length < this.args.maxTrials) {
      let hp: HyperParameters | null = null;
      let model: TunableModel | null = null;
      for (let attempt = 0; attempt < 100; attempt++) {
        const cand = new HyperParameters(this.rng);
        const m = await this.args.buildModel(cand);
        const key = JSON.stringify(cand.values);
        if (!seen.has(key)) {
          seen.add(key);
          hp = cand;
          model = m;
          break;
        }
        m.dispose?.();
      }
      if (!hp || !model) break;
      let total = 0;
      let best: TunableModel = model;
      let bestScore = NaN;
      for (let e = 0; e < execs; e++) {
        const m = e === 0 ? model : await this.args.buildModel(new HyperParameters(this.rng, hp.values));
        const h = await m.fit(x, y, fitArgs);
        const series = h.history[this.objective.name];
        if (!series || series.length === 0) {
          m.dispose?.();
          throw new Error(`randomSearch: the objective '${this.objective.name}' is not in the fit history (keys: ${Object.keys(h.history).join(', ')}); pass validationData or validationSplit for val_ metrics`);
        }
        const s = series.reduce((a, b) => (this.better(b, a) ? b : a));
        total += s;
        if (Number.isNaN(bestScore) || this.better(s, bestScore)) {
          if (best !== m) best.dispose?.();
          best = m;
          bestScore = s;
        } else m.dispose?.();
      }
      this.trials.push({ id: this.trials.length, hyperparameters: { ...hp.values }, score: total / execs, model: best });
    }
    return this.trials;
  }

  private ranked(): Trial[] {
    return [...this.trials].sort((a, b) => (this.objective.direction === 'min' ? a.score - b.score : b.score - a.score));
  }

  /** The n best trials' models, best first. */
  getBestModels(n = 1): TunableModel[] {
    return this.ranked().slice(0, n).map((t) => t.model);
  }

  /** The n best trials' hyperparameter values, best first. */
  getBestHyperparameters(n = 1): Record<string, HpValue>[] {
    return this.ranked().slice(0, n).map((t) => ({ ...t.hyperparameters }));
  }

  /** Prints the best trials as keras-tuner does. */
  resultsSummary(numTrials = 10, printFn: (line: string) => void = console.log): void {
    printFn('Results summary');
    printFn(`Showing ${Math.min(numTrials, this.trials.length)} best trials`);
    printFn(`Objective(name="${this.objective.name}", direction="${this.objective.direction}")`);
    for (const t of this.ranked().slice(0, numTrials)) {
      printFn('');
      printFn(`Trial ${String(t.id).padStart(2, '0')} summary`);
      printFn('Hyperparameters:');
      for (const [k, v] of Object.entries(t.hyperparameters)) printFn(`${k}: ${v}`);
      printFn(`Score: ${t.score}`);
    }
  }

  /** Frees every trial's model except those in `keep`. */
  dispose(keep: readonly TunableModel[] = []): void {
    for (const t of this.trials) if (!keep.includes(t.model)) t.model.dispose?.();
  }
}

/** keras-tuner's RandomSearch. */
export function randomSearch(args: RandomSearchArgs): RandomSearch {
  return new RandomSearch(args);
}
