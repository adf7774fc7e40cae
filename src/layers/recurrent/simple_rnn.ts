/** SimpleRNN: h_t = act(x_t·W + h_{t−1}·U + b), Keras's fully connected RNN. */
import type { Tensor } from '../../tensor/index.js';
import * as ops from '../../tensor/index.js';
import { simpleRnnStep } from './cells.js';
import type { RNNLayerArgs } from './rnn.js';
import { RNN } from './rnn.js';

/** Weights: kernel [features, units], recurrent_kernel [units, units], bias [units]. */
export class SimpleRNN extends RNN {
  getClassName(): string {
    return 'SimpleRNN';
  }

  protected buildCell(inputDim: number): void {
    this.kernel = this.addWeight('kernel', [inputDim, this.units], this.kernelInitializer, this.kernelRegularizer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, this.units], this.recurrentInitializer, this.recurrentRegularizer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, this.biasRegularizer);
  }

  protected projectInputs(x2d: Tensor): Tensor {
    const xw = ops.matMul(x2d, this.kernel!);
    return this.bias ? ops.add(xw, this.bias) : xw;
  }

  protected step(xw: Tensor, _states: Tensor[], hRec: Tensor): Tensor[] {
    return [simpleRnnStep(xw, hRec, this.recurrentKernel!, this.activation)];
  }
}

/**
 * A fully connected recurrent layer.
 * @example sg.layers.simpleRNN({ units: 8, inputShape: [10, 3] }) // [batch, 10, 3] → [batch, 8]
 */
export function simpleRNN(args: RNNLayerArgs): SimpleRNN {
  return new SimpleRNN(args);
}
