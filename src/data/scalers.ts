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
import { checkOptions, fromHost, toHost } from './host.js';

type Out<T> = T extends Tensor ? Tensor : number[][] | number[];

/** Per-column statistics computed on a tensor's backend and kept there: transform(x) = x·scale + offset. */
interface DeviceStats {
  scale: Tensor;
  offset: Tensor;
  /** The statistics behind scale/offset (dataMin/dataMax, or mean/std), in field order. */
  stats: Tensor[];
}

const syncReadable = new WeakMap<object, boolean>();

/** Whether x's backend reads synchronously (probed once per backend: WebGPU cannot). */
function canReadSync(x: Tensor, what: string): boolean {
  x.assertAlive(what);
  let ok = syncReadable.get(x.backend);
  if (ok === undefined) {
    try {
      x.dataSync();
      ok = true;
    } catch {
      ok = false;
    }
    syncReadable.set(x.backend, ok);
  }
  return ok;
}

/** Common fit/transform plumbing: y = x·scale + offset per column. */
abstract class Scaler {
  /** Per-column multiplier and offset after fit: transform(x) = x·scale + offset. Null after a fit on a tensor whose backend cannot read synchronously (WebGPU) until fitAsync. */
  scale: Float64Array | null = null;
  offset: Float64Array | null = null;
  /** Statistics of a fit on a backend that cannot read synchronously: they stay on that backend. */
  private device: DeviceStats | null = null;
  protected abstract readonly op: string;

  protected abstract fitHost(t: HostTable): void;

  /** Computes the statistics with tensor ops on x's backend; x is [rows, cols]. Returns tensors the caller keeps. */
  protected abstract fitDevice(x: Tensor): DeviceStats;

  /** Copies device statistics into the host fields (scale, offset and the subclass's statistics). */
  protected abstract setHost(scale: Float64Array | null, offset: Float64Array | null, stats: Float64Array[] | null): void;

  /**
   * Learns the per-column statistics of x (rows × features, or a 1-D series).
   * For a tensor on a backend that cannot read synchronously (WebGPU) they are
   * computed there with tensor ops and stay there: tensors transform on the
   * device; `await fitAsync(x)` also makes them available for arrays.
   */
  fit(x: Table | Tensor): this {
    if (x instanceof ops.Tensor && !canReadSync(x, `${this.op}.fit`)) {
      this.fitOnDevice(x);
      return this;
    }
    this.fitHost(toHost(x, `${this.op}.fit`));
    this.dropDevice();
    return this;
  }

  /** fit that also reads the (per-column) statistics back from a backend that reads asynchronously (WebGPU), checking that they are finite. */
  async fitAsync(x: Table | Tensor): Promise<this> {
    if (!(x instanceof ops.Tensor) || canReadSync(x, `${this.op}.fit`)) return this.fit(x);
    const d = this.fitOnDevice(x);
    const [scale, offset, ...stats] = await Promise.all([d.scale, d.offset, ...d.stats].map(async (t) => Float64Array.from(await t.data())));
    if (this.device !== d) return this; // refitted meanwhile
    const bad = [...scale, ...offset, ...stats.flatMap((a) => [...a])].findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      this.dispose();
      throw new Error(`${this.op}.fit: the tensor of shape [${x.shape}] holds non-finite values (NaN or ±Infinity) in column ${bad % scale.length}`);
    }
    this.setHost(scale, offset, stats);
    return this;
  }

  private fitOnDevice(x: Tensor): DeviceStats {
    if (x.rank !== 1 && x.rank !== 2) throw new Error(`${this.op}.fit: expected a 1-D or 2-D tensor, got shape [${x.shape}]`);
    if (x.shape[0] === 0 || (x.rank === 2 && x.shape[1] === 0)) throw new Error(`${this.op}.fit: the table is empty (shape [${x.shape}])`);
    if (x.dtype === 'bool') throw new Error(`${this.op}.fit: expected a numeric tensor, got dtype bool`);
    const d = ops.tidy(() => {
      const x2 = ops.cast(x.rank === 1 ? ops.reshape(x, [x.shape[0], 1]) : x, 'float32');
      const r = this.fitDevice(x2);
      return [r.scale, r.offset, ...r.stats];
    });
    for (const t of d) ops.keep(t);
    this.dropDevice();
    this.scale = null;
    this.offset = null;
    this.setHost(null, null, null);
    this.device = { scale: d[0], offset: d[1], stats: d.slice(2) };
    return this.device;
  }

  private dropDevice(): void {
    if (!this.device) return;
    const d = this.device;
    this.device = null;
    ops.dispose([d.scale, d.offset, ...d.stats]);
  }

  /** Frees the statistics a fit on a GPU tensor keeps on the device (a no-op otherwise); the scaler must be refitted after. */
  dispose(): void {
    if (this.device) {
      this.dropDevice();
      this.scale = null;
      this.offset = null;
      this.setHost(null, null, null);
    }
  }

  private ready(what: string): { scale: Float64Array; offset: Float64Array } {
    if (!this.scale || !this.offset) {
      if (this.device) throw new Error(`${this.op}.${what}: fitted on a '${this.device.scale.backend.name}' tensor, whose statistics stay on that backend: transform tensors, or fit with await ${this.op}.fitAsync(x) to transform arrays too`);
      throw new Error(`${this.op}.${what}: call fit first`);
    }
    return { scale: this.scale, offset: this.offset };
  }

  private apply<T extends Table | Tensor>(x: T, what: string, inverse: boolean): Out<T> {
    if (x instanceof ops.Tensor && this.device && x.backend === this.device.scale.backend) {
      const { scale, offset } = this.device;
      const cols = scale.size;
      const width = x.rank === 2 ? x.shape[1] : 1;
      if ((x.rank !== 1 && x.rank !== 2) || width !== cols) throw new Error(`${this.op}.${what}: fitted on ${cols} feature(s), got a tensor of shape [${x.shape}]`);
      return ops.tidy(() => {
        const s = x.rank === 2 ? scale : ops.reshape(scale, []);
        const o = x.rank === 2 ? offset : ops.reshape(offset, []);
        return inverse ? ops.div(ops.sub(x, o), s) : ops.add(ops.mul(x, s), o);
      }) as Out<T>;
    }
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

  // scale = (hi − lo) / (max − min), 1/… of a constant column taken as 1; offset = lo − min·scale.
  protected fitDevice(x: Tensor): DeviceStats {
    const [a, b] = this.featureRange;
    const lo = ops.min(x, 0);
    const hi = ops.max(x, 0);
    const range = ops.sub(hi, lo);
    const scale = ops.div(b - a, ops.where(ops.equal(range, 0), 1, range));
    return { scale, offset: ops.sub(a, ops.mul(lo, scale)), stats: [lo, hi] };
  }

  protected setHost(scale: Float64Array | null, offset: Float64Array | null, stats: Float64Array[] | null): void {
    this.scale = scale;
    this.offset = offset;
    this.dataMin = stats?.[0] ?? null;
    this.dataMax = stats?.[1] ?? null;
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
    // A constant column has std 0 and its value as mean exactly; the rounded
    // sum of value/rows would leave a tiny std and scale it to ±1.
    const constant = new Array<boolean>(t.cols).fill(true);
    for (let i = t.cols; i < t.values.length; i++) if (t.values[i] !== t.values[i % t.cols]) constant[i % t.cols] = false;
    constant.forEach((c, j) => {
      if (c) {
        mean[j] = t.values[j];
        sq[j] = 0;
      }
    });
    this.mean = mean;
    this.std = sq.map(Math.sqrt);
    this.scale = this.std.map((s) => 1 / (s === 0 ? 1 : s));
    this.offset = mean.map((m, j) => -m * this.scale![j]);
  }

  // mean and population std per column (two passes, as fitHost); scale = 1/std, offset = −mean·scale.
  // A constant column (max = min, exact, where a float32 mean may leave a tiny std) scales by 1.
  protected fitDevice(x: Tensor): DeviceStats {
    const mean = ops.mean(x, 0);
    const std = ops.where(ops.equal(ops.max(x, 0), ops.min(x, 0)), 0, ops.sqrt(ops.mean(ops.square(ops.sub(x, mean)), 0)));
    const scale = ops.div(1, ops.where(ops.equal(std, 0), 1, std));
    return { scale, offset: ops.neg(ops.mul(mean, scale)), stats: [mean, std] };
  }

  protected setHost(scale: Float64Array | null, offset: Float64Array | null, stats: Float64Array[] | null): void {
    this.scale = scale;
    this.offset = offset;
    this.mean = stats?.[0] ?? null;
    this.std = stats?.[1] ?? null;
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
