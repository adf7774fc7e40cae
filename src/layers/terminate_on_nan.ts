/**
 * `terminateOnNaN` (Keras's `TerminateOnNaN`): stops `fit` at the first batch
 * whose loss is NaN or ±Infinity. It reads the loss `fit` already reads for
 * its logs, so it adds no GPU readback; on a GPU backend the step queued
 * behind the bad batch has run by the time the loss arrives, so training
 * stops one step later there than on the CPU.
 */
import type { Logs } from './callbacks.js';
import { Callback } from './callbacks.js';

/** Stops training when a batch's loss is not finite. */
export class TerminateOnNaN extends Callback {
  /** Batch hooks read only the logs: fit need not wait for each step. */
  readonly lagTolerant = true;
  /** The epoch and batch whose loss stopped training, or null. */
  stoppedAt: { epoch: number; batch: number } | null = null;
  private epoch = 0;

  onTrainBegin(): void {
    this.stoppedAt = null;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss) || this.stoppedAt) return;
    this.stoppedAt = { epoch: this.epoch, batch };
    console.warn(`Epoch ${this.epoch + 1}, batch ${batch}: invalid loss (${loss}), terminating training`);
    if (this.model) this.model.stopTraining = true;
  }
}

/**
 * Stops training at the first non-finite batch loss.
 * @example model.fit(x, y, { callbacks: [sg.callbacks.terminateOnNaN()] })
 */
export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}
