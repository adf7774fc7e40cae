/**
 * `backupAndRestore` (Keras's `BackupAndRestore`): while `fit` runs, the
 * model's weights, the optimizer's state and fit's position (epoch, and
 * step within it) are written to `backupDir` at the end of every epoch or
 * every `saveFreq` steps. When `fit` starts with a backup present (the run
 * before was interrupted: a crash, a thrown error, a lost GPU device), it
 * restores all three and continues where the backup was taken, losing at
 * most the steps since it. A run that finishes deletes the backup
 * (`deleteCheckpoint`).
 *
 * The backup is one file, `<backupDir>/backup.sgbk`: an 8-byte magic, a
 * little-endian uint32 header length, a JSON header (position, optimizer
 * class and step count, weight specs, a CRC-32 of the data) and the raw
 * little-endian weight values. It is written to a temporary file, flushed to
 * disk (fsync) and renamed over the old one, so a crash leaves either the old
 * backup or the new one, never a mix (`io/atomic_file.ts`). Node.js only.
 *
 * Beyond Keras 3 (which restarts an interrupted epoch from its first batch),
 * a resumed run skips the steps the backup already holds, replaying the
 * epoch's shuffle: a seeded run (`fit(..., { seed })` or `sg.setSeed`) then
 * trains on exactly the batches the uninterrupted run would. A resumed
 * epoch's logged loss averages the batches run after the resume.
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { joinPath, readFileIfExists, removeFileAndEmptyDir, writeFileAtomic } from '../io/atomic_file.js';
import { crc32 as crc32Hex } from '../io/weights.js';
import type { Logs } from './callbacks.js';
import { Callback } from './callbacks.js';
import type { NamedTensor } from './optimizers.js';
import type { FitPosition } from './fit_position.js';

/** Options of `backupAndRestore` (Keras's names in camelCase). */
export interface BackupAndRestoreArgs {
  /** Directory for the backup file (a path, or a `file://` URL); created when missing. */
  backupDir: string;
  /** 'epoch' (default): back up at the end of each epoch; a number N: every N steps (batches). */
  saveFreq?: 'epoch' | number;
  /** Delete the backup when training finishes (default true, as Keras). */
  deleteCheckpoint?: boolean;
}

/** A weight's entry in the backup header. */
interface Spec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

interface Header {
  format: 'shadergrad-backup';
  version: 1;
  epoch: number;
  batch: number;
  optimizer: { className: string; iterations: number; slotNames: string[] };
  weights: Spec[];
  slots: Spec[];
  crc32: number;
}

const MAGIC = 'SGBACKUP';
const FILE = 'backup.sgbk';

/** CRC-32 (IEEE 802.3, as zlib) as a number, to refuse a corrupted backup instead of training on garbage. */
export function crc32(bytes: Uint8Array): number {
  return parseInt(crc32Hex(bytes), 16);
}

function specOf(name: string, t: Tensor): Spec {
  return { name, shape: [...t.shape], dtype: t.dtype === 'int32' ? 'int32' : 'float32' };
}

/** Saves the model's weights, the optimizer's state and fit's position; restores them when fit starts. */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  /** Batch hooks only count steps, so fit need not wait for each step's loss. */
  readonly lagTolerant = true;
  /** The epoch and step the last restore resumed at (null when fit started fresh). */
  restoredFrom: { epoch: number; batch: number } | null = null;
  private pos: FitPosition | null = null;
  private sinceSave = 0;

  constructor(args: BackupAndRestoreArgs) {
    super();
    if (!args || typeof args.backupDir !== 'string' || args.backupDir === '') throw new Error("backupAndRestore: backupDir must be a directory path, e.g. { backupDir: './backup' }");
    const f = args.saveFreq ?? 'epoch';
    if (f !== 'epoch' && !(Number.isInteger(f) && f > 0)) throw new Error(`backupAndRestore: saveFreq must be 'epoch' or a positive integer (steps), got ${JSON.stringify(f)}`);
    this.backupDir = args.backupDir.replace(/^file:\/\//, '');
    this.saveFreq = f;
    this.deleteCheckpoint = args.deleteCheckpoint ?? true;
  }

  /** @internal Called by fit with its position. */
  attachFit(pos: FitPosition): void {
    this.pos = pos;
  }

  private file(): Promise<string> {
    return joinPath(this.backupDir, FILE);
  }

  private model_(): NonNullable<Callback['model']> {
    if (!this.model) throw new Error('backupAndRestore: no model; it must be used as a fit callback');
    return this.model;
  }

  async onTrainBegin(): Promise<void> {
    this.sinceSave = 0;
    this.restoredFrom = null;
    const file = await this.file();
    const buf = await readFileIfExists(file);
    if (buf) await this.restore(buf, file);
  }

  /** Checks the whole backup against the model and optimizer, then sets weights, state and position. */
  private async restore(bytes: Uint8Array, file: string): Promise<void> {
    const model = this.model_();
    const where = `backupAndRestore: ${file}`;
    const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
    if (bytes.length < MAGIC.length + 4 || magic !== MAGIC) throw new Error(`${where} is not a shadergrad backup (bad magic); delete it to start fresh`);
    const hlen = new DataView(bytes.buffer, bytes.byteOffset + MAGIC.length, 4).getUint32(0, true);
    const start = MAGIC.length + 4 + hlen;
    if (start > bytes.length) throw new Error(`${where} is truncated (header of ${hlen} bytes, file of ${bytes.length}); delete it to start fresh`);
    let h: Header;
    try {
      h = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, start))) as Header;
    } catch (e) {
      throw new Error(`${where} has an unreadable header (${(e as Error).message}); delete it to start fresh`);
    }
    if (h.format !== 'shadergrad-backup' || h.version !== 1) throw new Error(`${where} has format ${h.format} version ${h.version}; expected shadergrad-backup version 1`);
    const data = bytes.slice(start);
    const need = [...h.weights, ...h.slots].reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
    if (data.length !== need) throw new Error(`${where} holds ${data.length} bytes of values but its header describes ${need}; delete it to start fresh`);
    if (crc32(data) !== h.crc32) throw new Error(`${where} is corrupted (CRC-32 mismatch); delete it to start fresh`);
    const ws = model.weights;
    const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
    if (h.weights.length !== ws.length) throw new Error(`${where} holds ${h.weights.length} weights but model '${model.name}' has ${ws.length}: it was written for another model`);
    h.weights.forEach((s, i) => {
      if (!sameShape(s.shape, ws[i].shape)) throw new Error(`${where}: weight ${i} ('${s.name}') has shape [${s.shape}] but the model's '${ws[i].name}' is [${ws[i].shape}]: it was written for another model`);
    });
    const opt = model.optimizer;
    if (!opt) throw new Error(`backupAndRestore: model '${model.name}' is not compiled`);
    if (h.optimizer.className !== opt.getClassName()) throw new Error(`${where} holds ${h.optimizer.className} state but the model is compiled with ${opt.getClassName()}`);
    const tvars = model.trainableWeights;
    const k = opt.slotNames().length;
    if (h.slots.length !== k * tvars.length) throw new Error(`${where} holds ${h.slots.length} optimizer slots; ${opt.getClassName()} needs ${k} for each of ${tvars.length} trainable weights`);
    if (!(Number.isInteger(h.epoch) && h.epoch >= 0 && Number.isInteger(h.batch) && h.batch >= 0)) throw new Error(`${where} has an invalid position (epoch ${h.epoch}, batch ${h.batch})`);
    // Everything checked: make the tensors and apply.
    let off = 0;
    const take = (s: Spec): Tensor => {
      const n = s.shape.reduce((a, b) => a * b, 1);
      const raw = data.buffer.slice(data.byteOffset + off, data.byteOffset + off + n * 4);
      off += n * 4;
      return ops.tensor(s.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw), s.shape, s.dtype);
    };
    const wts = h.weights.map(take);
    const named: NamedTensor[] = [{ name: 'iter', tensor: ops.scalar(h.optimizer.iterations, 'int32') }, ...h.slots.map((s) => ({ name: s.name, tensor: take(s) }))];
    try {
      model.setWeights(wts);
      await opt.setWeights(named, tvars);
    } finally {
      ops.dispose([...wts, ...named.map((x) => x.tensor)]);
    }
    if (this.pos) {
      this.pos.resumeEpoch = h.epoch;
      this.pos.resumeBatch = h.batch;
    }
    this.restoredFrom = { epoch: h.epoch, batch: h.batch };
  }

  /** Writes the backup for position (epoch, batch): weights, optimizer state, position. */
  private async save(epoch: number, batch: number): Promise<void> {
    const model = this.model_();
    const opt = model.optimizer;
    if (!opt) throw new Error(`backupAndRestore: model '${model.name}' is not compiled`);
    const ws = model.weights;
    const tvars = model.trainableWeights;
    const slotNames = opt.slotNames();
    // Slots in tfjs's order (by kind, then variable), zeros where a variable has no slot yet (what a fresh slot holds).
    const made: Tensor[] = [];
    const slots: { name: string; t: Tensor }[] = [];
    slotNames.forEach((sn, k) => {
      for (const v of tvars) {
        let t: Tensor | undefined = opt.getSlots(v)[k];
        if (!t) made.push((t = ops.zerosLike(v)));
        slots.push({ name: `${v.name}/${sn}`, t });
      }
    });
    try {
      const all = [...ws, ...slots.map((s) => s.t)];
      const values = await Promise.all(all.map((t) => t.data()));
      const total = values.reduce((s, v) => s + v.length * 4, 0);
      const data = new Uint8Array(total);
      let off = 0;
      for (const [i, v] of values.entries()) {
        const typed = all[i].dtype === 'int32' ? Int32Array.from(v) : v instanceof Float32Array ? v : Float32Array.from(v);
        data.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), off);
        off += typed.byteLength;
      }
      const header: Header = {
        format: 'shadergrad-backup',
        version: 1,
        epoch,
        batch,
        optimizer: { className: opt.getClassName(), iterations: opt.iterations, slotNames },
        weights: ws.map((w) => specOf(w.name, w)),
        slots: slots.map((s) => specOf(s.name, s.t)),
        crc32: crc32(data),
      };
      const hbytes = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(MAGIC.length + 4 + hbytes.length + data.length);
      out.set(new TextEncoder().encode(MAGIC), 0);
      new DataView(out.buffer).setUint32(MAGIC.length, hbytes.length, true);
      out.set(hbytes, MAGIC.length + 4);
      out.set(data, MAGIC.length + 4 + hbytes.length);
      await writeFileAtomic(await this.file(), out);
    } finally {
      ops.dispose(made);
    }
  }

  async onBatchEnd(): Promise<void> {
    if (this.saveFreq === 'epoch' || !this.pos) return;
    if (++this.sinceSave < this.saveFreq) return;
    this.sinceSave = 0;
    // The position counts the steps already dispatched: their updates are in the weights read now.
    await this.save(this.pos.epoch, this.pos.batch);
  }

  async onEpochEnd(epoch: number, _logs?: Logs): Promise<void> {
    if (this.saveFreq !== 'epoch') return;
    await this.save(epoch + 1, 0);
  }

  async onTrainEnd(): Promise<void> {
    if (!this.deleteCheckpoint) return;
    // The directory goes too if the backup was all it held.
    await removeFileAndEmptyDir(await this.file());
  }
}

/**
 * Backs up training so that an interrupted `fit` resumes where it stopped.
 * @example await model.fit(x, y, { epochs: 20, callbacks: [sg.callbacks.backupAndRestore({ backupDir: './backup' })] });
 */
export function backupAndRestore(args: BackupAndRestoreArgs): BackupAndRestore {
  return new BackupAndRestore(args);
}
