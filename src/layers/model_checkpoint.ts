/**
 * `ModelCheckpoint`: saves the model (TensorFlow.js layers format) at the end
 * of epochs, every epoch or only when `monitor` improves (`saveBestOnly`).
 * `{epoch}` in the path is the 1-based epoch (Keras); `{epoch:02d}` pads it,
 * and `{val_loss:.4f}`-style keys format log values.
 */
import type { IOHandler } from '../io/types.js';
import type { Logs } from './callbacks.js';
import { Callback } from './callbacks.js';
import { saveModel } from './model_io.js';

export interface ModelCheckpointArgs {
  /** Where to save: 'file://dir/ep{epoch:02d}', 'indexeddb://m', a plain path (saved as file://), or an io handler. */
  filepath?: string | IOHandler;
  /** Alias of `filepath`. */
  path?: string | IOHandler;
  /** Default 'val_loss'. */
  monitor?: string;
  /** Save only when `monitor` improves (default false). */
  saveBestOnly?: boolean;
  /** 'auto' (max for names containing 'acc', else min), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  verbose?: number;
}

/** Fills `{epoch}`, `{epoch:02d}`, `{loss:.4f}` placeholders. */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)(?::([^}]*))?\}/g, (whole, key: string, fmt?: string) => {
    const v = key === 'epoch' ? epoch + 1 : logs[key];
    if (v === undefined) return whole;
    if (!fmt) return String(v);
    const m = /^(0?)(\d*)(?:\.(\d+))?([dfe]?)$/.exec(fmt);
    if (!m) return String(v);
    const [, zero, width, prec, kind] = m;
    let s = kind === 'd' ? String(Math.round(v)) : kind === 'e' ? v.toExponential(prec ? Number(prec) : 6) : prec !== undefined || kind === 'f' ? v.toFixed(prec ? Number(prec) : 6) : String(v);
    if (width) {
      const w = Number(width);
      if (zero) {
        const neg = s.startsWith('-');
        s = (neg ? '-' : '') + s.replace('-', '').padStart(w - (neg ? 1 : 0), '0');
      } else s = s.padStart(w, ' ');
    }
    return s;
  });
}

export class ModelCheckpoint extends Callback {
  readonly filepath: string | IOHandler;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly verbose: number;
  best: number;
  /** Paths saved so far (URLs; '<handler>' for an io handler). */
  readonly saved: string[] = [];

  constructor(args: ModelCheckpointArgs) {
    super();
    const fp = args?.filepath ?? args?.path;
    if (fp === undefined || fp === null || fp === '') throw new Error('modelCheckpoint: give filepath (or path), e.g. "file://./ckpt/ep{epoch:02d}"');
    if (typeof fp !== 'string' && typeof fp.save !== 'function') throw new Error('modelCheckpoint: filepath must be a URL string or an io handler with save()');
    this.filepath = fp;
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    const mode = args.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new Error(`modelCheckpoint: mode must be 'auto', 'min' or 'max', got '${mode}'`);
    this.mode = mode === 'auto' ? (this.monitor.includes('acc') || this.monitor.startsWith('fmeasure') ? 'max' : 'min') : mode;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.verbose = args.verbose ?? 0;
  }

  onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.model) throw new Error('modelCheckpoint: no model; it must be used as a fit callback (or call setModel)');
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        console.warn(`modelCheckpoint: can save best model only with '${this.monitor}' available in the epoch logs (${Object.keys(logs).join(', ')}); skipping`);
        return;
      }
      const improved = this.mode === 'min' ? current < this.best : current > this.best;
      if (!improved) {
        if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${fmt5(this.best)}`);
        return;
      }
      if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ${this.monitor} improved from ${fmt5(this.best)} to ${fmt5(current)}, saving model to ${shownPath(formatCheckpointPath(typeof this.filepath === 'string' ? this.filepath : '<handler>', epoch, logs))}`);
      this.best = current;
    }
    let target: string | IOHandler = this.filepath;
    if (typeof target === 'string') {
      target = formatCheckpointPath(target, epoch, logs);
      if (!/^[a-z]+:\/\//.test(target)) target = `file://${target}`;
    }
    await saveModel(this.model, target);
    this.saved.push(typeof target === 'string' ? target : '<handler>');
    if (this.verbose > 0 && !this.saveBestOnly) console.log(`Epoch ${epoch + 1}: saving model to ${typeof target === 'string' ? shownPath(target) : '<handler>'}`);
  }
}

/** Keras's `{:.5f}` for checkpoint messages: 0.66877, inf. */
const fmt5 = (v: number): string => (Number.isFinite(v) ? v.toFixed(5) : v > 0 ? 'inf' : '-inf');
/** A checkpoint target as the user wrote it (no `file://` added). */
const shownPath = (p: string): string => p.replace(/^file:\/\//, '');

/**
 * Saves the model after each epoch, or only when `monitor` improves.
 * @example sg.callbacks.modelCheckpoint({ filepath: 'file://./ckpt/ep{epoch:02d}', saveBestOnly: true })
 */
export function modelCheckpoint(args: ModelCheckpointArgs): ModelCheckpoint {
  return new ModelCheckpoint(args);
}
