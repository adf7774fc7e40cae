/**
 * TimeDistributed (Keras/tfjs): applies one layer, with one set of weights, to
 * every time step of a [batch, time, ...] input, by folding time into the
 * batch: [b, t, ...] → [b·t, ...] → layer → [b, t, ...out]. The weights are the
 * wrapped layer's, named under the wrapper ('time_distributed/kernel') as
 * tfjs names them; the config holds the wrapped layer's `{class_name, config}`.
 */
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { fmt } from './core.js';
import type { CallArgs, LayerArgs, LayerWeight, Shape } from './layer.js';
import { Layer, isShapeList } from './layer.js';
import { recurrentFromConfig, RECURRENT_CLASS_NAMES } from './recurrent/index.js';
import { deserializeRegistered } from './serialization.js';

/** Options of `timeDistributed`. */
export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied at each time step (e.g. `sg.layers.dense({ units: 1 })`). */
  layer: Layer | { className: string; config: Record<string, unknown> };
}

/** Applies `layer` to each time step of [batch, time, ...] inputs. */
export class TimeDistributed extends Layer {
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    const l = args?.layer as unknown;
    if (l instanceof Layer) this.layer = l;
    else if (l && typeof l === 'object' && typeof (l as { className?: unknown }).className === 'string') {
      const c = l as { className: string; config: Record<string, unknown> };
      const recurrent = (RECURRENT_CLASS_NAMES as readonly string[]).includes(c.className);
      this.layer = recurrent ? (recurrentFromConfig(c.className, c.config ?? {}) as unknown as Layer) : deserializeRegistered({ class_name: c.className, config: c.config ?? {} });
    } else throw new Error(`${this.name} (TimeDistributed): 'layer' must be a layer, e.g. timeDistributed({ layer: sg.layers.dense({ units: 1 }) }), got ${l === undefined ? 'nothing' : typeof l}`);
    if (this.layer.inboundNodes.length > 0 || this.layer.built) throw new Error(`${this.name} (TimeDistributed): layer '${this.layer.name}' is already built or used; wrap a fresh layer`);
    this.layer.weightNamePrefix = this.name;
  }

  getClassName(): string {
    return 'TimeDistributed';
  }

  private innerShape(s: Shape): Shape {
    return [null, ...s.slice(2)];
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    if (isShapeList(s) || s.length < 3) throw new Error(`${this.name} (TimeDistributed): expects one input of rank >= 3 [batch, time, ...], got ${fmt(s)}`);
  }

  override build(s: Shape | Shape[]): void {
    const inner = this.innerShape(s as Shape);
    if (!this.layer.built) {
      this.layer.build(inner);
      this.layer.built = true;
    }
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = inputs as Tensor;
    const [b, t] = x.shape;
    const flat = ops.reshape(x, [b * t, ...x.shape.slice(2)]);
    const y = this.layer.apply(flat, args) as Tensor;
    return ops.reshape(y, [b, t, ...y.shape.slice(1)]);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    const sh = s as Shape;
    const o = this.layer.computeOutputShape(this.innerShape(sh));
    if (isShapeList(o)) throw new Error(`${this.name} (TimeDistributed): the wrapped layer '${this.layer.name}' must have one output`);
    return [sh[0], sh[1], ...o.slice(1)];
  }

  override get weights(): Variable[] {
    return this.layer.weights;
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? this.layer.trainableWeights : [];
  }

  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.layer.nonTrainableWeights : this.layer.weights;
  }

  override get namedWeights(): readonly LayerWeight[] {
    return this.layer.namedWeights;
  }

  override regularizationLoss(): Tensor | null {
    return this.layer.regularizationLoss();
  }

  override setWeights(values: readonly Tensor[]): void {
    this.layer.setWeights(values);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: { class_name: this.layer.getClassName(), config: this.layer.getConfig() } };
  }

  override dispose(): void {
    this.layer.dispose();
  }
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const timeDistributedLayerClasses: Readonly<Record<string, (a: Record<string, unknown>) => Layer>> = {
  TimeDistributed: (a) => new TimeDistributed(a as unknown as TimeDistributedArgs),
};
