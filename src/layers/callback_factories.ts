/** `sg.callbacks.*`: earlyStopping, modelCheckpoint, and the Callback base class. */
import type { ModelCheckpointArgs } from './model_checkpoint.js';
import { ModelCheckpoint } from './model_checkpoint.js';
import type { IOHandler } from '../io/types.js';
import { keysOf, positional } from './config_check.js';

export { earlyStopping, EarlyStopping, Callback, History, ProgressLogger } from './callbacks.js';
export { ModelCheckpoint };

const CHECKPOINT_KEYS = /* @__PURE__ */ keysOf<ModelCheckpointArgs>({ filepath: true, path: true, monitor: true, saveBestOnly: true, mode: true, verbose: true });

/**
 * Saves the model after each epoch, or only when `monitor` improves; Keras's
 * positional `modelCheckpoint('ckpt/best', { saveBestOnly: true })` is accepted.
 * @example sg.callbacks.modelCheckpoint({ filepath: 'file://./ckpt/ep{epoch:02d}', saveBestOnly: true })
 */
export function modelCheckpoint(args: ModelCheckpointArgs): ModelCheckpoint;
export function modelCheckpoint(filepath: string | IOHandler, args?: Omit<ModelCheckpointArgs, 'filepath' | 'path'>): ModelCheckpoint;
export function modelCheckpoint(...a: unknown[]): ModelCheckpoint {
  // A string or an IOHandler ({ save }) as the first argument is the filepath.
  const h = a[0] as { save?: unknown } | null | undefined;
  const isPath = typeof h === 'string' || (typeof h === 'object' && h !== null && typeof h.save === 'function');
  if (!isPath) return new ModelCheckpoint(positional('callbacks.modelCheckpoint', a, [], CHECKPOINT_KEYS));
  const rest = positional<ModelCheckpointArgs>('callbacks.modelCheckpoint', a.slice(1), [], CHECKPOINT_KEYS);
  if (rest.filepath !== undefined || rest.path !== undefined) throw new Error('callbacks.modelCheckpoint: the path is given both positionally and in the config object');
  return new ModelCheckpoint({ ...rest, filepath: a[0] as string | IOHandler });
}
export { terminateOnNaN, TerminateOnNaN } from './terminate_on_nan.js';
export { backupAndRestore, BackupAndRestore } from './backup_and_restore.js';
export { reduceLROnPlateau, ReduceLROnPlateau, learningRateScheduler, LearningRateScheduler, csvLogger, CSVLogger } from './callbacks_extra.js';
export type { ReduceLROnPlateauArgs, CSVLoggerArgs, Schedule } from './callbacks_extra.js';
