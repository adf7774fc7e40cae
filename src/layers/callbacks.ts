/**
 * Training callbacks: the hooks `fit` calls (plain objects with any of
 * onTrainBegin/onTrainEnd/onEpochBegin/onEpochEnd/onBatchBegin/onBatchEnd,
 * possibly async), `History`, `earlyStopping` and the progress display.
 * `modelCheckpoint` lives in model_checkpoint.ts (it saves through `model.save`).
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

/** A log value as Keras prints it: 4 decimals, exponent form for tiny or huge values. */
export function fmtValue(v: number): string {
  const a = Math.abs(v);
  return a === 0 || (a >= 1e-3 && a < 1e6) || !Number.isFinite(v) ? v.toFixed(4) : v.toExponential(3);
}

const fmtLogs = (logs: Logs): string =>
  Object.entries(logs)
    .filter(([k]) => k !== 'batch' && k !== 'size')
    .map(([k, v]) => `${k}: ${fmtValue(v)}`)
    .join(' - ');

/** Seconds as Keras's ETA: 7s, 1:05, 1:02:03. */
function fmtEta(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return s < 3600 ? `${Math.floor(s / 60)}:${pad(s % 60)}` : `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** Milliseconds as a duration: 850ms, 12s, 2:05. */
const fmtMs = (ms: number): string => (ms < 1000 ? `${Math.round(ms)}ms` : fmtEta(ms / 1000));

/**
 * The `verbose` display, as Keras's. verbose 1 on a terminal: a bar per epoch
 * redrawn in place at most every `throttleMs`, with the epoch's running mean
 * of each batch value (sample-weighted, as the epoch log) and an ETA, ending
 * with the epoch time and ms/step. verbose 2, or stdout not a terminal: one
 * line per epoch. verbose 0 adds no logger (see fit).
 */
export class ProgressLogger extends Callback {
  private start = 0;
  private last = 0;
  private sums = new Map<string, number>();
  private seen = 0;
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
    this.sums.clear();
    this.seen = 0;
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
    const size = logs.size ?? 1;
    for (const [k, v] of Object.entries(logs)) if (k !== 'batch' && k !== 'size') this.sums.set(k, (this.sums.get(k) ?? 0) + v * size);
    this.seen += size;
    const now = Date.now();
    if (now - this.last < this.throttleMs && batch + 1 < this.batchesPerEpoch) return;
    this.last = now;
    const means: Logs = {};
    for (const [k, v] of this.sums) means[k] = v / this.seen;
    const done = batch + 1;
    const eta = ((now - this.start) / done) * (this.batchesPerEpoch - done);
    this.write(`\r${this.bar(done)} - ETA: ${fmtEta(eta / 1000)} - ${fmtLogs(means)}\x1b[K`);
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const ms = Date.now() - this.start;
    const perStep = `${Math.round(ms / Math.max(1, this.batchesPerEpoch))}ms/step`;
    if (this.tty) this.write(`\r${this.bar(this.batchesPerEpoch)} - ${fmtMs(ms)} ${perStep} - ${fmtLogs(logs)}\x1b[K\n`);
    else this.write(`Epoch ${epoch + 1}/${this.epochs} - ${fmtMs(ms)} ${perStep} - ${fmtLogs(logs)}\n`);
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
