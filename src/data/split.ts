/** Train/test splitting (scikit-learn's train_test_split) and one-hot labels (Keras's to_categorical). */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { Rng, nextSeed } from '../tensor/index.js';
import type { Table } from './host.js';
import { checkOptions, fromHost, toHost } from './host.js';

export interface SplitOptions {
  /** Fraction (0..1) or count of test rows; default 0.25. The test set gets ceil(fraction·n) rows. */
  testSize?: number;
  /** Shuffle before splitting (default true); false keeps the order: the last rows are the test set, as time series need. */
  shuffle?: boolean;
  seed?: number;
}

type Splittable = Tensor | Table;

function rowsOf(a: Splittable): number {
  return a instanceof ops.Tensor ? a.shape[0] : (a as readonly unknown[]).length;
}

function take(a: Splittable, idx: number[]): Splittable {
  if (a instanceof ops.Tensor) return ops.tidy(() => ops.gather(a, ops.tensor(idx, [idx.length], 'int32')));
  const arr = a as readonly unknown[];
  return idx.map((i) => arr[i]) as unknown as Table;
}

/**
 * Splits each array (or tensor) along its first dim into train and test parts,
 * with the same rows for all of them: `[xTrain, xTest, yTrain, yTest]`.
 * @example const [xTrain, xTest, yTrain, yTest] = sg.data.trainTestSplit(x, y, { testSize: 0.2, seed: 42 });
 */
export function trainTestSplit<A extends Splittable>(a: A, options?: SplitOptions): [A, A];
export function trainTestSplit<A extends Splittable, B extends Splittable>(a: A, b: B, options?: SplitOptions): [A, A, B, B];
export function trainTestSplit(...args: (Splittable | SplitOptions | undefined)[]): Splittable[];
export function trainTestSplit(...args: (Splittable | SplitOptions | undefined)[]): Splittable[] {
  while (args.length && args[args.length - 1] === undefined) args.pop();
  const last = args[args.length - 1];
  const hasOpts = last !== undefined && !(last instanceof ops.Tensor) && !Array.isArray(last) && typeof last === 'object';
  const opts = (hasOpts ? last : {}) as SplitOptions;
  checkOptions('trainTestSplit', opts, ['testSize', 'shuffle', 'seed']);
  const arrays = (hasOpts ? args.slice(0, -1) : args) as Splittable[];
  if (arrays.length === 0) throw new Error('trainTestSplit: give at least one array or tensor');
  const n = rowsOf(arrays[0]);
  arrays.forEach((a, i) => {
    if (rowsOf(a) !== n) throw new Error(`trainTestSplit: argument ${i} has ${rowsOf(a)} rows, argument 0 has ${n}`);
  });
  const ts = opts.testSize ?? 0.25;
  const nTest = ts > 0 && ts < 1 ? Math.ceil(ts * n) : ts;
  if (!Number.isInteger(nTest) || nTest < 1 || nTest >= n) throw new Error(`trainTestSplit: testSize ${ts} leaves no train or no test rows out of ${n}`);
  const idx = [...Array(n).keys()];
  if (opts.shuffle ?? true) {
    const rng = new Rng(opts.seed ?? nextSeed());
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
  }
  const train = idx.slice(0, n - nTest);
  const test = idx.slice(n - nTest);
  return arrays.flatMap((a) => [take(a, train), take(a, test)]);
}

/**
 * One-hot float32 rows for integer class labels (Keras's to_categorical).
 * @example sg.data.oneHot([0, 2, 1], 3) // [[1,0,0],[0,0,1],[0,1,0]]
 */
export function oneHot(labels: readonly number[] | Tensor, numClasses?: number): Tensor {
  const host = labels instanceof ops.Tensor ? null : toHost(labels as Table, 'oneHot');
  if (host && !host.vector) throw new Error('oneHot: labels must be a flat list of class indices');
  const vals = host ? Array.from(host.values) : null;
  if (vals) {
    const bad = vals.findIndex((v) => !Number.isInteger(v) || v < 0);
    if (bad >= 0) throw new Error(`oneHot: label ${vals[bad]} at position ${bad} is not a non-negative integer`);
  }
  const k = numClasses ?? (vals ? Math.max(...vals) + 1 : undefined);
  if (k === undefined) throw new Error('oneHot: give numClasses for tensor labels');
  if (vals) {
    const bad = vals.findIndex((v) => v >= k);
    if (bad >= 0) throw new Error(`oneHot: label ${vals[bad]} at position ${bad} is not below numClasses ${k}`);
  }
  return ops.tidy(() => {
    const idx = labels instanceof ops.Tensor ? ops.cast(labels, 'int32') : ops.tensor(vals!, [vals!.length], 'int32');
    return ops.cast(ops.oneHot(idx, k), 'float32');
  });
}

export { fromHost };
