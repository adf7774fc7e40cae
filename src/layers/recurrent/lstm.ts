/** LSTM (Hochreiter & Schmidhuber 1997), Keras's layout and defaults. */
import type { Tensor } from '../../tensor/index.js';
import * as ops from '../../tensor/index.js';
import { isCellActivation } from '../../kernels/recurrent/spec.js';
import { lstmStep, lstmStepFused } from './cells.js';
import type { GatedRNNLayerArgs } from './rnn.js';
import { GatedRNN } from './rnn.js';

export interface LSTMLayerArgs extends GatedRNNLayerArgs {
  /** Initialise the forget gate's bias to 1 (Jozefowicz et al. 2015), default true as in Keras. */
  unitForgetBias?: boolean;
}

/**
 * Weights: kernel [features, 4·units], recurrent_kernel [units, 4·units],
 * bias [4·units], gates in the order i, f, c, o. States: h, c.
 */
export class LSTM extends GatedRNN {
  readonly unitForgetBias: boolean;

  constructor(args: LSTMLayerArgs) {
    super(args);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  getClassName(): string {
    return 'LSTM';
  }

  override get numStates(): number {
    return 2;
  }

  protected buildCell(inputDim: number): void {
    const u = this.units;
    this.kernel = this.addWeight('kernel', [inputDim, 4 * u], this.kernelInitializer, this.kernelRegularizer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 4 * u], this.recurrentInitializer, this.recurrentRegularizer);
    if (this.useBias) {
      const init = this.biasInitializer;
      // [init(u), ones(u), init(2u)]: only the forget gate starts at 1.
      const biasInit = this.unitForgetBias
        ? (): Tensor => {
            const parts = [init([u]), ops.ones([u]), init([2 * u])];
            const b = ops.concat(parts, 0);
            parts.forEach((p) => p.dispose());
            return b;
          }
        : init;
      this.bias = this.addWeight('bias', [4 * u], biasInit, this.biasRegularizer);
    }
  }

  protected projectInputs(x2d: Tensor): Tensor {
    const xw = ops.matMul(x2d, this.kernel!);
    return this.bias ? ops.add(xw, this.bias) : xw;
  }

  protected step(xw: Tensor, [, c]: Tensor[], hRec: Tensor): Tensor[] {
    // h_{t−1} enters only through the recurrent matMul; c is carried unmasked.
    const act = this.activationName;
    const rec = this.recurrentActivationName;
    if (isCellActivation(act) && isCellActivation(rec)) return lstmStepFused(xw, hRec, c, this.recurrentKernel!, act, rec);
    return lstmStep(xw, hRec, c, this.recurrentKernel!, this.activation, this.recurrentActivation);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), unit_forget_bias: this.unitForgetBias };
  }
}

/**
 * A long short-term memory layer.
 * @example sg.layers.lstm({ units: 32, returnSequences: true, inputShape: [5, 1] }) // 4,352 params
 */
export function lstm(args: LSTMLayerArgs): LSTM {
  return new LSTM(args);
}
