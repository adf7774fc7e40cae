/**
 * Pooling layers, channels-last: max/average over windows (1-D and 2-D) and
 * global pooling over all steps / all positions.
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { Padding } from './conv.js';
import { checkPadding, convLength, tuple } from './conv.js';
import { checkRank, fmt } from './core.js';
import type { LayerArgs, Shape } from './layer.js';
import { Layer } from './layer.js';

export interface PoolArgs extends LayerArgs {
  /** Window size; default 2 (1-D) or [2, 2]. */
  poolSize?: number | number[];
  /** Default: poolSize. */
  strides?: number | number[];
  padding?: Padding;
  dataFormat?: 'channelsLast';
}

abstract class Pool extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Padding;

  constructor(readonly rank: number, readonly mode: 'max' | 'avg', args: PoolArgs) {
    super(args);
    const who = `${this.name} (${this.getClassName()})`;
    if (args.dataFormat !== undefined && args.dataFormat !== 'channelsLast') throw new Error(`${who}: only dataFormat 'channelsLast' is supported`);
    this.poolSize = tuple(args.poolSize, rank, 2, 'poolSize', who);
    this.strides = args.strides === undefined || args.strides === null ? [...this.poolSize] : tuple(args.strides, rank, 1, 'strides', who);
    this.padding = checkPadding(args.padding, who);
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    checkRank(this, s, this.rank + 2, this.rank + 2, this.rank === 1 ? ' [batch, steps, channels]' : ' [batch, height, width, channels]');
    const out = this.computeOutputShape(s);
    if (out.some((d) => d !== null && d < 1)) throw new Error(`${this.name} (${this.getClassName()}): input ${fmt(s)} is smaller than the pool ${fmt(this.poolSize)}`);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = inputs as Tensor;
    const f = this.mode === 'max' ? ops.maxPool : ops.avgPool;
    if (this.rank === 2) return f(x, this.poolSize as [number, number], this.strides as [number, number], this.padding);
    // 1-D as 2-D with height 1: [N, W, C] → [N, 1, W, C].
    const x4 = ops.reshape(x, [x.shape[0], 1, x.shape[1], x.shape[2]]);
    const y = f(x4, [1, this.poolSize[0]], [1, this.strides[0]], this.padding);
    return ops.reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    const sh = s as Shape;
    return [sh[0], ...this.poolSize.map((p, i) => convLength(sh[i + 1], p, this.strides[i], this.padding)), sh[this.rank + 1]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), pool_size: this.poolSize, strides: this.strides, padding: this.padding, data_format: 'channels_last' };
  }
}

export class MaxPooling1D extends Pool {
  constructor(args: PoolArgs = {}) {
    super(1, 'max', args);
  }
  getClassName(): string {
    return 'MaxPooling1D';
  }
}

export class MaxPooling2D extends Pool {
  constructor(args: PoolArgs = {}) {
    super(2, 'max', args);
  }
  getClassName(): string {
    return 'MaxPooling2D';
  }
}

export class AveragePooling1D extends Pool {
  constructor(args: PoolArgs = {}) {
    super(1, 'avg', args);
  }
  getClassName(): string {
    return 'AveragePooling1D';
  }
}

export class AveragePooling2D extends Pool {
  constructor(args: PoolArgs = {}) {
    super(2, 'avg', args);
  }
  getClassName(): string {
    return 'AveragePooling2D';
  }
}

abstract class GlobalPool extends Layer {
  constructor(readonly rank: number, readonly mode: 'max' | 'avg', args: LayerArgs & { dataFormat?: 'channelsLast' } = {}) {
    super(args);
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    checkRank(this, s, this.rank + 2, this.rank + 2, this.rank === 1 ? ' [batch, steps, channels]' : ' [batch, height, width, channels]');
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const axes = this.rank === 1 ? [1] : [1, 2];
    return this.mode === 'max' ? ops.max(inputs as Tensor, axes) : ops.mean(inputs as Tensor, axes);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    const sh = s as Shape;
    return [sh[0], sh[sh.length - 1]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: 'channels_last' };
  }
}

export class GlobalAveragePooling1D extends GlobalPool {
  constructor(args: LayerArgs = {}) {
    super(1, 'avg', args);
  }
  getClassName(): string {
    return 'GlobalAveragePooling1D';
  }
}

export class GlobalAveragePooling2D extends GlobalPool {
  constructor(args: LayerArgs = {}) {
    super(2, 'avg', args);
  }
  getClassName(): string {
    return 'GlobalAveragePooling2D';
  }
}

export class GlobalMaxPooling1D extends GlobalPool {
  constructor(args: LayerArgs = {}) {
    super(1, 'max', args);
  }
  getClassName(): string {
    return 'GlobalMaxPooling1D';
  }
}

export class GlobalMaxPooling2D extends GlobalPool {
  constructor(args: LayerArgs = {}) {
    super(2, 'max', args);
  }
  getClassName(): string {
    return 'GlobalMaxPooling2D';
  }
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const poolingLayerClasses: readonly [string, (a: PoolArgs) => Layer][] = [
  ['MaxPooling1D', (a) => new MaxPooling1D(a)], ['MaxPooling2D', (a) => new MaxPooling2D(a)],
  ['AveragePooling1D', (a) => new AveragePooling1D(a)], ['AveragePooling2D', (a) => new AveragePooling2D(a)],
  ['GlobalAveragePooling1D', (a) => new GlobalAveragePooling1D(a)], ['GlobalAveragePooling2D', (a) => new GlobalAveragePooling2D(a)],
  ['GlobalMaxPooling1D', (a) => new GlobalMaxPooling1D(a)], ['GlobalMaxPooling2D', (a) => new GlobalMaxPooling2D(a)],
];
