/**
 * Training callbacks: the hooks `fit` calls (plain objects with any of
 * onTrainBegin/onTrainEnd/onEpochBegin/onEpochEnd/onBatchBegin/onBatchEnd,
 * possibly async), `History`, `earlyStopping` and the progress display.
 * `modelCheckpoint` is not provided yet: it needs `model.save` (save/load task).
 */
import { keysOf, positional } from './config_check.js';
import type { LayersModel } from './model.js';

/** Numbers by name: 'loss', 'val_loss', 'accuracy', …; batch logs also have 'batch' and 'size'. */
export type Logs = Record<string, number>;

/** Hooks called by `fit`; all optional. */
export interface CustomCallbackArgs {
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs?: Logs) => void | Promise<void>;
}

/** A callback that knows its model (set by `fit`). */
export abstract class Callback {
  model?: LayersModel;
  setModel(model: LayersModel): void {
    this.model = model;
  }
}

/** Per-epoch logs of a `fit`: `history.history.loss[epoch]`, … */
export class History extends Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  onTrainBegin(): void {
    this.epoch.length = 0;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

export interface EarlyStoppingArgs {
  /** Default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement (absolute), default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping, default 0. */
  patience?: number;
  /** 'auto' (max for names containing 'acc', else min), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** Value the monitored quantity must beat; training stops if it does not within `patience`. */
  baseline?: number;
  /** On stopping, restore the weights of the best epoch (Keras; tfjs does not implement it). */
  restoreBestWeights?: boolean;
  verbose?: number;
}

/**
 * Stops training when `monitor` stops improving (tfjs's rule): an epoch
 * improves when it beats the best by more than minDelta;
 * otherwise a counter grows and training stops once it reaches `patience`.
 * `restoreBestWeights` follows Keras 3: the best weights are put back at the
 * end of training, whether it stopped early or ran all its epochs.
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  wait = 0;
  best = Infinity;
  stoppedEpoch = 0;
  private bestWeights: import('../tensor/index.js').Tensor[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    const mode = args.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new Error(`earlyStopping: mode must be 'auto', 'min' or 'max', got '${mode}'`);
    this.mode = mode === 'auto' ? (this.monitor.includes('acc') ? 'max' : 'min') : mode;
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
  }

  private better(a: number, b: number): boolean {
    return this.mode === 'min' ? a + this.minDelta < b : a - this.minDelta > b;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.baseline ?? (this.mode === 'min' ? Infinity : -Infinity);
    this.dropBest();
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      throw new Error(`earlyStopping: '${this.monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')}); add validation data or monitor another key`);
    }
    if (this.better(current, this.best)) {
      this.best = current;
      this.wait = 0;
      if (this.restoreBestWeights && this.model) {
        this.dropBest();
        this.bestWeights = this.model.getWeights();
      }
      return;
    }
    this.wait++;
    if (this.wait >= this.patience && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  /** Keras 3: with restoreBestWeights the best epoch's weights are restored when training ends (stopped early or not). */
  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights && this.model) this.model.setWeights(this.bestWeights);
    this.dropBest();
  }

  private dropBest(): void {
    for (const t of this.bestWeights ?? []) t.dispose();
    this.bestWeights = null;
  }
}

/** `earlyStopping({ monitor, minDelta, patience, mode, baseline, restoreBestWeights })` */
export const earlyStopping = (args: EarlyStoppingArgs = {}): EarlyStopping =>
  new EarlyStopping(positional('callbacks.earlyStopping', [args], [], keysOf<EarlyStoppingArgs>({ monitor: true, minDelta: true, patience: true, mode: true, baseline: true, restoreBestWeights: true, verbose: true })));

const fmtLogs = (logs: Logs): string =>
  Object.entries(logs)
    .filter(([k]) => k !== 'batch' && k !== 'size')
    .map(([k, v]) => `${k}: ${v.toPrecision(4)}`)
    .join(' - ');

/**
 * The `verbose` display. On a TTY: a Keras-like bar per epoch redrawn in
 * place at most every `throttleMs`; otherwise (or with verbose 2) one plain
 * line per epoch.
 */
export class ProgressLogger extends Callback {
  private start = 0;
  private last = 0;
  private readonly write: (s: string) => void;
  private readonly tty: boolean;
  private readonly throttleMs: number;

  constructor(readonly epochs: number, readonly batchesPerEpoch: number, opts: { write?: (s: string) => void; isTTY?: boolean; throttleMs?: number; verbose?: number } = {}) {
    super();
    const out = typeof process !== 'undefined' ? process.stdout : undefined;
    this.write = opts.write ?? ((s) => (out ? out.write(s) : console.log(s.replace(/\n$/, ''))));
    this.tty = (opts.isTTY ?? Boolean(out?.isTTY)) && (opts.verbose ?? 1) === 1;
    this.throttleMs = opts.throttleMs ?? 100;
  }

  onEpochBegin(epoch: number): void {
    this.start = Date.now();
    this.last = 0;
    if (!this.tty) return;
    this.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  private bar(done: number): string {
    const width = 30;
    const n = Math.floor((done / Math.max(1, this.batchesPerEpoch)) * width);
    const body = n >= width ? '='.repeat(width) : '='.repeat(n) + '>' + '.'.repeat(width - n - 1);
    return `${String(done).padStart(String(this.batchesPerEpoch).length)}/${this.batchesPerEpoch} [${body}]`;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.last < this.throttleMs && batch + 1 < this.batchesPerEpoch) return;
    this.last = now;
    this.write(`\r${this.bar(batch + 1)} - ${fmtLogs(logs)}\x1b[K`);
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const ms = Date.now() - this.start;
    if (this.tty) this.write(`\r${this.bar(this.batchesPerEpoch)} - ${ms}ms - ${fmtLogs(logs)}\x1b[K\n`);
    else this.write(`Epoch ${epoch + 1}/${this.epochs} - ${ms}ms - ${fmtLogs(logs)}\n`);
  }
}

/** Runs a list of callbacks in order, awaiting each hook. */
export class CallbackList {
  constructor(readonly callbacks: CustomCallbackArgs[]) {}

  async call<K extends keyof CustomCallbackArgs>(hook: K, ...args: Parameters<NonNullable<CustomCallbackArgs[K]>>): Promise<void> {
    for (const c of this.callbacks) {
      const f = c[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
      if (f) await f.apply(c, args);
    }
  }
}
