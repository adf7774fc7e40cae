/**
 * Error state of a WebGPU device: device loss, errors raised outside any error
 * scope (found at submit), and disposal. Ops and reads call `check()` first, so
 * an asynchronous GPU error becomes the error the next op or read throws,
 * instead of a console warning and a silently wrong result.
 */

/** Tracks whether a device is lost or disposed and holds the first pending asynchronous GPU error. */
export class DeviceErrors {
  /** Why the device was lost, or null while it is alive. */
  lostMessage: string | null = null;
  /** The first GPU error not yet thrown (later ones are dropped: `asyncError ??= err`). */
  asyncError: Error | null = null;
  /** Set by the backend's `dispose()`. */
  disposed = false;

  constructor(device: GPUDevice) {
    void device.lost.then((info) => {
      if (!this.disposed) this.lostMessage = `${info.reason ?? 'unknown'}: ${info.message}`;
    });
    // Errors outside any scope (found at submit, outside debug mode) become the error the next
    // op or read throws, instead of a console warning and a silently wrong result.
    device.addEventListener?.('uncapturederror', (ev) => {
      const err = (ev as GPUUncapturedErrorEvent).error;
      if (!this.asyncError) this.asyncError = new Error(`webgpu: GPU error (${err.constructor?.name ?? 'GPUError'}): ${err.message}`);
    });
  }

  /** Throws if the device is lost or disposed, or the pending GPU error (once). */
  check(): void {
    if (this.lostMessage !== null) {
      const e = new Error(`webgpu: the GPU device was lost (${this.lostMessage}); its tensors are gone. sg.setBackend('webgpu') starts a new device (or use 'cpu')`);
      e.name = 'GPUDeviceLostError';
      throw e;
    }
    if (this.disposed) throw new Error('webgpu: backend was disposed');
    if (this.asyncError) {
      const e = this.asyncError;
      this.asyncError = null;
      throw e;
    }
  }
}
