/** RepeatVector (Keras/tfjs): [batch, features] → [batch, n, features], the bridge of an LSTM autoencoder. */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { checkRank } from './core.js';
import type { LayerArgs, Shape } from './layer.js';
import { Layer } from './layer.js';

/** Options of `repeatVector`. */
export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat the input (a positive integer). */
  n: number;
}

/** Repeats a [batch, features] input `n` times along a new time axis: y[b, i, f] = x[b, f]. */
export class RepeatVector extends Layer {
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args);
    this.n = args?.n;
    if (!Number.isInteger(this.n) || this.n < 1) throw new Error(`${this.name} (RepeatVector): n must be a positive integer, got ${args?.n}`);
  }

  getClassName(): string {
    return 'RepeatVector';
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    checkRank(this, s, 2);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = inputs as Tensor;
    return ops.tile(ops.expandDims(x, 1), [1, this.n, 1]);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    const sh = s as Shape;
    return [sh[0], this.n, sh[1]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const repeatVectorLayerClasses: Readonly<Record<string, (a: Record<string, unknown>) => Layer>> = {
  RepeatVector: (a) => new RepeatVector(a as unknown as RepeatVectorArgs),
};
