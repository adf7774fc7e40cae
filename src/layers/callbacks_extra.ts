/**
 * Keras callbacks that steer or record training: `reduceLROnPlateau`,
 * `learningRateScheduler` and `csvLogger`, with Keras 3's rules. The
 * learning-rate callbacks set `model.optimizer.learningRate`, which every
 * optimizer reads at each step.
 */
import { appendText, readTextOrEmpty, writeText } from '../io/text_file.js';
import { checkConfig } from './config_check.js';
import type { Logs } from './callbacks.js';
import { Callback } from './callbacks.js';
import type { LayersModel } from './model.js';
import type { Optimizer } from './optimizers.js';

function optimizerOf(model: LayersModel | undefined, who: string): Optimizer {
  const o = model?.optimizer;
  if (!o) throw new Error(`${who}: the model has no optimizer; call compile() before fit()`);
  return o;
}

/** Options of `reduceLROnPlateau` (Keras's defaults). */
export interface ReduceLROnPlateauArgs {
  /** Default 'val_loss'. */
  monitor?: string;
  /** New rate = rate·factor (0 < factor < 1; default 0.1). */
  factor?: number;
  /** Epochs without improvement before a reduction (default 10). */
  patience?: number;
  /** 1 prints a line at each reduction (default 0). */
  verbose?: number;
  /** 'auto' (max for names containing 'acc', else min), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of the rate (default 0). */
  minLr?: number;
}

/**
 * Multiplies the learning rate by `factor` when `monitor` has not improved
 * (by more than minDelta) for `patience` epochs, then waits `cooldown`
 * epochs; never below `minLr` (Keras 3's `ReduceLROnPlateau`).
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  best = Infinity;
  wait = 0;
  cooldownCounter = 0;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    checkConfig('reduceLROnPlateau', args, ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr']);
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) throw new Error(`reduceLROnPlateau: factor must be in (0, 1), got ${args.factor}`);
    this.patience = args.patience ?? 10;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new Error(`reduceLROnPlateau: patience must be a non-negative integer, got ${args.patience}`);
    this.verbose = args.verbose ?? 0;
    const mode = args.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new Error(`reduceLROnPlateau: mode must be 'auto', 'min' or 'max', got '${mode}'`);
    this.mode = mode === 'auto' ? (this.monitor.includes('acc') ? 'max' : 'min') : mode;
    this.minDelta = args.minDelta ?? 1e-4;
    this.cooldown = args.cooldown ?? 0;
    if (!Number.isInteger(this.cooldown) || this.cooldown < 0) throw new Error(`reduceLROnPlateau: cooldown must be a non-negative integer, got ${args.cooldown}`);
    this.minLr = args.minLr ?? 0;
    if (!(this.minLr >= 0)) throw new Error(`reduceLROnPlateau: minLr must be >= 0, got ${args.minLr}`);
  }

  private improved(current: number): boolean {
    return this.mode === 'min' ? current < this.best - this.minDelta : current > this.best + this.minDelta;
  }

  onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const opt = optimizerOf(this.model, 'reduceLROnPlateau');
    const current = logs[this.monitor];
    if (current === undefined) throw new Error(`reduceLROnPlateau: '${this.monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')}); add validation data or monitor another key`);
    // Keras adds the rate the epoch ran with to the logs (callbacks after this one see it).
    logs.learning_rate = opt.learningRate;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.improved(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = opt.learningRate;
        if (old > Math.fround(this.minLr)) {
          const lr = Math.max(old * this.factor, this.minLr);
          opt.learningRate = lr;
          if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** A learning-rate schedule: epoch (0-based) and the current rate → the rate for this epoch. */
export type Schedule = (epoch: number, learningRate: number) => number;

/** Sets the learning rate at the start of each epoch to `schedule(epoch, currentRate)` (Keras's `LearningRateScheduler`). */
export class LearningRateScheduler extends Callback {
  constructor(readonly schedule: Schedule, readonly verbose = 0) {
    super();
    if (typeof schedule !== 'function') throw new Error(`learningRateScheduler: schedule must be a function (epoch, learningRate) => number, got ${typeof schedule}`);
  }

  onEpochBegin(epoch: number): void {
    const opt = optimizerOf(this.model, 'learningRateScheduler');
    const lr = this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) throw new Error(`learningRateScheduler: the schedule must return a finite non-negative number, got ${String(lr)} at epoch ${epoch}`);
    opt.learningRate = lr;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  /** Adds `learning_rate` to the epoch logs, as Keras (callbacks after this one see it). */
  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs.learning_rate = optimizerOf(this.model, 'learningRateScheduler').learningRate;
  }
}

/** Options of `csvLogger`. */
export interface CSVLoggerArgs {
  /** The file to write (Node.js). */
  filename: string;
  /** Column separator (default ','). */
  separator?: string;
  /** Append to an existing file instead of overwriting it (default false). */
  append?: boolean;
}

/**
 * Writes one CSV row per epoch to `filename` (Node.js), as Keras's
 * `CSVLogger`: columns `epoch` (0-based) then the log keys sorted by name;
 * when the first epoch has no `val_` keys, `val_` twins of every key are
 * added and filled with 'NA'. The file is truncated at the start of `fit`
 * (unless `append`), the header written once, and each row flushed at once.
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private open = false;
  private needHeader = true;

  constructor(args: CSVLoggerArgs) {
    super();
    checkConfig('csvLogger', args ?? {}, ['filename', 'separator', 'append']);
    if (typeof args?.filename !== 'string' || args.filename === '') throw new Error(`csvLogger: filename must be a non-empty string, got ${JSON.stringify(args?.filename)}`);
    this.filename = args.filename;
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  async onTrainBegin(): Promise<void> {
    this.keys = null;
    this.open = false;
    try {
      if (this.append) {
        const text = await readTextOrEmpty(this.filename, 'csvLogger');
        this.needHeader = text.split(/\r?\n/)[0].length === 0;
        await appendText(this.filename, '', 'csvLogger');
      } else {
        this.needHeader = true;
        await writeText(this.filename, '', 'csvLogger');
      }
    } catch (e) {
      throw new Error(`csvLogger: cannot write ${this.filename}: ${(e as Error).message}`);
    }
    this.open = true;
  }

  private cell(v: unknown): string {
    const s = String(v);
    return s.includes(this.separator) || s.includes('"') || /[\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.open) throw new Error('csvLogger: onTrainBegin was not called');
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      if (!this.keys.some((k) => k.startsWith('val_'))) this.keys.push(...this.keys.map((k) => `val_${k}`));
    }
    let text = '';
    if (this.needHeader) {
      text += ['epoch', ...this.keys].map((k) => this.cell(k)).join(this.separator) + '\r\n';
      this.needHeader = false;
    }
    text += [String(epoch), ...this.keys.map((k) => (k in logs ? this.cell(logs[k]) : 'NA'))].join(this.separator) + '\r\n';
    await appendText(this.filename, text, 'csvLogger');
  }

  onTrainEnd(): void {
    this.open = false;
  }
}

/** `reduceLROnPlateau({ monitor: 'val_loss', factor: 0.1, patience: 10, minDelta: 1e-4, cooldown: 0, minLr: 0 })` */
export const reduceLROnPlateau = (args: ReduceLROnPlateauArgs = {}): ReduceLROnPlateau => new ReduceLROnPlateau(args);

/**
 * `learningRateScheduler(schedule, verbose?)`, or `learningRateScheduler({ schedule, verbose })`.
 * @example sg.callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 */
export function learningRateScheduler(schedule: Schedule | { schedule: Schedule; verbose?: number }, verbose = 0): LearningRateScheduler {
  if (schedule && typeof schedule === 'object') {
    checkConfig('learningRateScheduler', schedule, ['schedule', 'verbose']);
    return new LearningRateScheduler(schedule.schedule, schedule.verbose ?? 0);
  }
  return new LearningRateScheduler(schedule, verbose);
}

/** `csvLogger({ filename, separator: ',', append: false })` (Node.js). @example sg.callbacks.csvLogger({ filename: 'training.log' }) */
export const csvLogger = (args: CSVLoggerArgs): CSVLogger => new CSVLogger(args);
