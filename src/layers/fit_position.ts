/**
 * Fit's position (epoch, step) as callbacks that back training up see it,
 * and the error `fit` ends with when the GPU device is lost.
 */
import { ENGINE } from '../tensor/index.js';
import type { LayersModel } from './model.js';

/**
 * @internal Where `fit` is, shared with callbacks that have `attachFit`
 * (backupAndRestore): `batch` counts the steps of `epoch` already dispatched
 * (their updates are in the weights a read sees); a callback sets
 * `resumeEpoch`/`resumeBatch` in onTrainBegin to start fit there instead.
 */
export interface FitPosition {
  epoch: number;
  batch: number;
  resumeEpoch?: number;
  resumeBatch?: number;
}

/** A lost GPU device as fit's error (where it happened, how to resume); any other error unchanged. */
export function deviceLostError(model: LayersModel, pos: FitPosition, e: unknown): unknown {
  if (!ENGINE.backend.lost && (e as Error)?.name !== 'GPUDeviceLostError') return e;
  const err = new Error(
    `${model.name}.fit: the GPU device was lost in epoch ${pos.epoch + 1}, after ${pos.batch} batch(es) (${(e as Error)?.message}). ` +
      `The weights on it are gone. To resume, train with sg.callbacks.backupAndRestore({ backupDir }) and run the same script again: ` +
      `await sg.setBackend('webgpu') starts a fresh device (or use 'cpu'), and fit continues from the last backup.`,
    { cause: e },
  );
  err.name = 'GPUDeviceLostError';
  return err;
}
