/** Merge layers: Concatenate. */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { fmt } from './core.js';
import type { LayerArgs, Shape } from './layer.js';
import { Layer, isShapeList } from './layer.js';

/** Joins a list of inputs along `axis` (default -1); other dims must match. */
export class Concatenate extends Layer {
  readonly axis: number;

  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }

  getClassName(): string {
    return 'Concatenate';
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    if (!isShapeList(s) || s.length < 2) throw new Error(`${this.name} (Concatenate): expects a list of at least 2 inputs, got ${fmt(s)}`);
    const r = s[0].length;
    const ax = this.axis < 0 ? this.axis + r : this.axis;
    if (ax < 0 || ax >= r) throw new Error(`${this.name} (Concatenate): axis ${this.axis} is out of range for inputs of rank ${r}: ${fmt(s)}`);
    for (const t of s) {
      if (t.length !== r || t.some((d, i) => i !== ax && d !== null && s[0][i] !== null && d !== s[0][i])) {
        throw new Error(`${this.name} (Concatenate): inputs must match except on the concat axis ${this.axis}, got shapes ${fmt(s)}`);
      }
    }
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const xs = inputs as Tensor[];
    return ops.concat(xs, this.axis < 0 ? this.axis + xs[0].rank : this.axis);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    const ss = s as Shape[];
    const ax = this.axis < 0 ? this.axis + ss[0].length : this.axis;
    const out = ss[0].map((_, i) => ss.find((t) => t[i] !== null)?.[i] ?? null);
    out[ax] = ss.some((t) => t[ax] === null) ? null : ss.reduce((n, t) => n + (t[ax] as number), 0);
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const mergeLayerClasses: Readonly<Record<string, (a: Record<string, unknown>) => Layer>> = {
  Concatenate: (a) => new Concatenate(a),
};
