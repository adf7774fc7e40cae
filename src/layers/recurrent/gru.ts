/** GRU (Cho et al. 2014), Keras's layout and defaults (resetAfter true, as Keras 3). */
import type { Tensor } from '../../tensor/index.js';
import * as ops from '../../tensor/index.js';
import { isCellActivation } from '../../kernels/recurrent/spec.js';
import { gruStep, gruStepFused } from './cells.js';
import type { GatedRNNLayerArgs } from './rnn.js';
import { GatedRNN } from './rnn.js';

export interface GRULayerArgs extends GatedRNNLayerArgs {
  /**
   * Apply the reset gate after the recurrent matMul (Keras 3 default true,
   * CuDNN-compatible, bias [2, 3·units]); false is Keras 2's default and the
   * only form TensorFlow.js has (bias [3·units]).
   */
  resetAfter?: boolean;
}

/**
 * Weights: kernel [features, 3·units], recurrent_kernel [units, 3·units],
 * bias [3·units], or [2, 3·units] (input bias, recurrent bias) with
 * resetAfter; gates in the order z, r, h.
 */
export class GRU extends GatedRNN {
  readonly resetAfter: boolean;
  private recurrentParts: Tensor | readonly [Tensor, Tensor] | null = null;
  private recurrentBias: Tensor | null = null;

  constructor(args: GRULayerArgs) {
    super(args);
    this.resetAfter = args.resetAfter ?? true;
  }

  getClassName(): string {
    return 'GRU';
  }

  protected buildCell(inputDim: number): void {
    const u = this.units;
    this.kernel = this.addWeight('kernel', [inputDim, 3 * u], this.kernelInitializer, this.kernelRegularizer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], this.recurrentInitializer, this.recurrentRegularizer);
    if (this.useBias) this.bias = this.addWeight('bias', this.resetAfter ? [2, 3 * u] : [3 * u], this.biasInitializer, this.biasRegularizer);
  }

  protected projectInputs(x2d: Tensor): Tensor {
    const xw = ops.matMul(x2d, this.kernel!);
    if (!this.bias) return xw;
    return ops.add(xw, this.resetAfter ? ops.reshape(ops.slice(this.bias, [0, 0], [1, -1]), [-1]) : this.bias);
  }

  protected override prepare(): void {
    const u = this.units;
    const rk = this.recurrentKernel!;
    this.recurrentParts = this.resetAfter ? rk : [ops.slice(rk, [0, 0], [u, 2 * u]), ops.slice(rk, [0, 2 * u], [u, u])];
    this.recurrentBias = this.resetAfter && this.bias ? ops.reshape(ops.slice(this.bias, [1, 0], [1, -1]), [-1]) : null;
  }

  protected step(xw: Tensor, [h]: Tensor[], hRec: Tensor): Tensor[] {
    const act = this.activationName;
    const rec = this.recurrentActivationName;
    if (this.resetAfter && isCellActivation(act) && isCellActivation(rec)) {
      return [gruStepFused(xw, h, this.recurrentParts as Tensor, this.recurrentBias, act, rec, hRec)];
    }
    return [gruStep(xw, h, this.recurrentParts!, this.recurrentBias, this.activation, this.recurrentActivation, this.resetAfter, hRec)];
  }

  override call(...a: Parameters<GatedRNN['call']>): ReturnType<GatedRNN['call']> {
    try {
      return super.call(...a);
    } finally {
      // The per-call slices belong to that call's scope; drop the references.
      this.recurrentParts = null;
      this.recurrentBias = null;
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), reset_after: this.resetAfter };
  }
}

/**
 * A gated recurrent unit layer.
 * @example sg.layers.gru({ units: 16, inputShape: [20, 4] }) // [batch, 20, 4] → [batch, 16]
 */
export function gru(args: GRULayerArgs): GRU {
  return new GRU(args);
}
