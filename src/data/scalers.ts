/**
 * Per-feature scalers with scikit-learn's semantics: `minMaxScaler` maps each
 * column to `featureRange` (default [0, 1]); `standardScaler` subtracts the
 * mean and divides by the population standard deviation. A constant column
 * scales by 1, as scikit-learn does, instead of dividing by zero.
 * Tensors in give tensors out (transforms run as tensor ops on the tensor's
 * backend); arrays in give arrays out.
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { HostTable, Table } from './host.js';
import { checkFinite, checkOptions, fromHost, toHost } from './host.js';

type Out<T> = T extends Tensor ? Tensor : number[][] | number[];

/** Common fit/transform plumbing: y = x·scale + offset per column. */
abstract class Scaler {
  /** Per-column multiplier and offset after fit: transform(x) = x·scale + offset. */
  scale: Float64Array | null = null;
  offset: Float64Array | null = null;
  protected abstract readonly op: string;

  protected abstract fitHost(t: HostTable): void;

  /** Learns the per-column statistics of x (rows × features, or a 1-D series). */
  fit(x: Table | Tensor): this {
    this.fitHost(toHost(x, `${this.op}.fit`));
    return this;
  }

  /** fit for tensors on backends that read asynchronously (WebGPU). */
  async fitAsync(x: Table | Tensor): Promise<this> {
    if (x instanceof ops.Tensor) {
      const v = await x.data();
      if (x.rank !== 1 && x.rank !== 2) throw new Error(`${this.op}.fit: expected a 1-D or 2-D tensor, got shape [${x.shape}]`);
      this.fitHost(checkFinite({ values: Float64Array.from(v), rows: x.shape[0], cols: x.rank === 2 ? x.shape[1] : 1, vector: x.rank === 1 }, `${this.op}.fit`));
      return this;
    }
    return this.fit(x);
  }

  private ready(what: string): { scale: Float64Array; offset: Float64Array } {
    if (!this.scale || !this.offset) throw new Error(`${this.op}.${what}: call fit first`);
    return { scale: this.scale, offset: this.offset };
  }

  private apply<T extends Table | Tensor>(x: T, what: string, inverse: boolean): Out<T> {
    const { scale, offset } = this.ready(what);
    const cols = scale.length;
    if (x instanceof ops.Tensor) {
      const width = x.rank === 2 ? x.shape[1] : 1;
      if ((x.rank !== 1 && x.rank !== 2) || width !== cols) throw new Error(`${this.op}.${what}: fitted on ${cols} feature(s), got a tensor of shape [${x.shape}]`);
      return ops.tidy(() => {
        const s = ops.tensor(Float32Array.from(scale), x.rank === 2 ? [cols] : []);
        const o = ops.tensor(Float32Array.from(offset), x.rank === 2 ? [cols] : []);
        return inverse ? ops.div(ops.sub(x, o), s) : ops.add(ops.mul(x, s), o);
      }) as Out<T>;
    }
    const t = toHost(x as Table, `${this.op}.${what}`);
    if (t.cols !== cols) throw new Error(`${this.op}.${what}: fitted on ${cols} feature(s), got ${t.cols}`);
    for (let i = 0; i < t.values.length; i++) {
      const j = i % cols;
      t.values[i] = inverse ? (t.values[i] - offset[j]) / scale[j] : t.values[i] * scale[j] + offset[j];
    }
    return fromHost(t, false) as Out<T>;
  }

  /** Scales x with the fitted statistics. */
  transform<T extends Table | Tensor>(x: T): Out<T> {
    return this.apply(x, 'transform', false);
  }

  /** Undoes transform (e.g. predictions back to price units). */
  inverseTransform<T extends Table | Tensor>(x: T): Out<T> {
    return this.apply(x, 'inverseTransform', true);
  }

  /** fit then transform. */
  fitTransform<T extends Table | Tensor>(x: T): Out<T> {
    return this.fit(x).transform(x);
  }
}

/** Maps each feature to featureRange: x' = (x − min) / (max − min) · (hi − lo) + lo. */
export class MinMaxScaler extends Scaler {
  protected readonly op = 'minMaxScaler';
  dataMin: Float64Array | null = null;
  dataMax: Float64Array | null = null;

  constructor(readonly featureRange: readonly [number, number] = [0, 1]) {
    super();
    if (!(featureRange[0] < featureRange[1])) throw new Error(`minMaxScaler: featureRange [${featureRange}] must have min < max`);
  }

  protected fitHost(t: HostTable): void {
    const lo = new Float64Array(t.cols).fill(Infinity);
    const hi = new Float64Array(t.cols).fill(-Infinity);
    for (let i = 0; i < t.values.length; i++) {
      const j = i % t.cols;
      if (t.values[i] < lo[j]) lo[j] = t.values[i];
      if (t.values[i] > hi[j]) hi[j] = t.values[i];
    }
    const [a, b] = this.featureRange;
    this.dataMin = lo;
    this.dataMax = hi;
    this.scale = lo.map((l, j) => (b - a) / (hi[j] - l === 0 ? 1 : hi[j] - l));
    this.offset = lo.map((l, j) => a - l * this.scale![j]);
  }
}

/** Standardises each feature: x' = (x − mean) / std, std the population standard deviation. */
export class StandardScaler extends Scaler {
  protected readonly op = 'standardScaler';
  mean: Float64Array | null = null;
  std: Float64Array | null = null;

  protected fitHost(t: HostTable): void {
    const mean = new Float64Array(t.cols);
    const sq = new Float64Array(t.cols);
    for (let i = 0; i < t.values.length; i++) mean[i % t.cols] += t.values[i] / t.rows;
    for (let i = 0; i < t.values.length; i++) sq[i % t.cols] += (t.values[i] - mean[i % t.cols]) ** 2 / t.rows;
    this.mean = mean;
    this.std = sq.map(Math.sqrt);
    this.scale = this.std.map((s) => 1 / (s === 0 ? 1 : s));
    this.offset = mean.map((m, j) => -m * this.scale![j]);
  }
}

/** A MinMaxScaler (scikit-learn's MinMaxScaler). */
export function minMaxScaler(args: { featureRange?: readonly [number, number] } = {}): MinMaxScaler {
  checkOptions('minMaxScaler', args, ['featureRange']);
  return new MinMaxScaler(args.featureRange);
}

/** A StandardScaler (scikit-learn's StandardScaler). */
export function standardScaler(): StandardScaler {
  return new StandardScaler();
}
