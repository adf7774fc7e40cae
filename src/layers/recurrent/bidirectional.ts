/**
 * Bidirectional: runs a recurrent layer forwards and a copy of it backwards
 * over the sequence and merges the two outputs. Weights are the forward
 * layer's then the backward layer's (Keras order).
 */
import type { Tensor, Variable } from '../../tensor/index.js';
import * as ops from '../../tensor/index.js';
import type { CallArgs, LayerArgs, LayerWeight, Shape } from '../layer.js';
import { Layer } from '../layer.js';
import type { RNN } from './rnn.js';
import { layerScope } from './rnn.js';

export type MergeMode = 'concat' | 'sum' | 'ave' | 'mul' | null;

export interface BidirectionalLayerArgs extends LayerArgs {
  /** The recurrent layer to wrap; it is cloned twice (it is not used itself). */
  layer: RNN;
  /** How to combine the two outputs, default 'concat'; null returns both. */
  mergeMode?: MergeMode;
}

const MODES: readonly MergeMode[] = ['concat', 'sum', 'ave', 'mul', null];

/** Reverses x [batch, time, …] along time. */
function reverseTime(x: Tensor): Tensor {
  const t = x.shape[1];
  const idx = ops.tensor(Array.from({ length: t }, (_, i) => t - 1 - i), [t], 'int32');
  return ops.gather(x, idx, 1);
}

export class Bidirectional extends Layer {
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  private readonly innerClassName: string;
  private readonly innerConfig: Record<string, unknown>;

  constructor(args: BidirectionalLayerArgs) {
    // An input shape given to the wrapped layer applies to the wrapper (first layer of a model).
    const inherit = args.inputShape === undefined && args.batchInputShape === undefined && args.layer.batchInputShape;
    super(inherit ? { ...args, batchInputShape: args.layer.batchInputShape } : args);
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MODES.includes(mode)) throw new Error(`Bidirectional: mergeMode must be one of concat, sum, ave, mul or null, got '${String(mode)}'`);
    this.mergeMode = mode;
    const inner = args.layer;
    this.innerClassName = inner.getClassName();
    this.innerConfig = inner.getConfig();
    this.forwardLayer = inner.cloneWith({ name: `forward_${inner.name}`, inputShape: undefined, batchInputShape: undefined });
    this.backwardLayer = inner.cloneWith({ name: `backward_${inner.name}`, goBackwards: !inner.goBackwards, inputShape: undefined, batchInputShape: undefined });
    this.forwardLayer.weightScope = `${this.name}/`;
    this.backwardLayer.weightScope = `${this.name}/`;
    this.returnSequences = inner.returnSequences;
    this.returnState = inner.returnState;
  }

  getClassName(): string {
    return 'Bidirectional';
  }

  override build(inputShape: Shape | Shape[]): void {
    this.forwardLayer.build(inputShape);
    this.backwardLayer.build(inputShape);
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!this.built) this.build([...x.shape]);
    return layerScope(() => {
      const yf = this.forwardLayer.call(x, args);
      const yb = this.backwardLayer.call(x, args);
      const [y, states] = Array.isArray(yf) ? [yf[0], yf.slice(1)] : [yf, [] as Tensor[]];
      const [yr0, statesB] = Array.isArray(yb) ? [yb[0], yb.slice(1)] : [yb, [] as Tensor[]];
      // The backward layer's per-step outputs come last step first; put them in time order.
      const yr = this.returnSequences ? reverseTime(yr0) : yr0;
      let out: Tensor[];
      switch (this.mergeMode) {
        case 'concat': out = [ops.concat([y, yr], -1)]; break;
        case 'sum': out = [ops.add(y, yr)]; break;
        case 'ave': out = [ops.mul(ops.add(y, yr), 0.5)]; break;
        case 'mul': out = [ops.mul(y, yr)]; break;
        default: out = [y, yr];
      }
      const all = this.returnState ? [...out, ...states, ...statesB] : out;
      return all.length === 1 ? all[0] : all;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const inner = this.forwardLayer.computeOutputShape(inputShape);
    const shapes = (this.returnState ? inner : [inner]) as Shape[];
    const y = [...shapes[0]];
    const states = shapes.slice(1);
    let out: Shape[];
    if (this.mergeMode === 'concat') {
      const last = y[y.length - 1];
      out = [[...y.slice(0, -1), last === null ? null : last * 2]];
    } else if (this.mergeMode === null) out = [y, [...y]];
    else out = [y];
    const all = this.returnState ? [...out, ...states, ...states.map((s) => [...s])] : out;
    return all.length === 1 ? all[0] : all;
  }

  override get weights(): Variable[] {
    return [...this.forwardLayer.weights, ...this.backwardLayer.weights];
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? [...this.forwardLayer.trainableWeights, ...this.backwardLayer.trainableWeights] : [];
  }

  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? [...this.forwardLayer.nonTrainableWeights, ...this.backwardLayer.nonTrainableWeights] : this.weights;
  }

  /** The sub-layers' weights; their variables are named 'bidirectional/forward_lstm/kernel' etc. */
  override get namedWeights(): readonly LayerWeight[] {
    return [...this.forwardLayer.namedWeights, ...this.backwardLayer.namedWeights];
  }

  override regularizationLoss(): Tensor | null {
    const a = this.forwardLayer.regularizationLoss();
    const b = this.backwardLayer.regularizationLoss();
    if (a && b) {
      const s = ops.add(a, b);
      a.dispose();
      b.dispose();
      return s;
    }
    return a ?? b;
  }

  /** Keras config: `layer` is the wrapped layer's `{class_name, config}`. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: { class_name: this.innerClassName, config: this.innerConfig }, merge_mode: this.mergeMode };
  }

  override dispose(): void {
    this.forwardLayer.dispose();
    this.backwardLayer.dispose();
  }
}

/**
 * Wraps a recurrent layer to read the sequence both ways.
 * @example sg.layers.bidirectional({ layer: sg.layers.lstm({ units: 8 }), mergeMode: 'concat' }) // → [batch, 16]
 */
export function bidirectional(args: BidirectionalLayerArgs): Bidirectional {
  return new Bidirectional(args);
}
