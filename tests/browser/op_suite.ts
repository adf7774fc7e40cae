/**
 * The op suite that runs inside a browser page: every op of API.md on
 * representative shapes, forward and (where differentiable) gradients of
 * Σ(op(x)·w), shadergrad on a chosen backend vs TensorFlow.js on a chosen
 * backend in the same page. A plain module (no test runner) so it bundles
 * for the page; the Node side asserts on the results.
 */
import type * as SG from '../../src/index.js';
import { FORWARD_TOL, GRAD_TOL, mismatches } from '../helpers/compare.js';
import type { Tol } from '../helpers/compare.js';
import type { InputSpec } from '../helpers/gen.js';
import { genValues, seedOf } from '../helpers/gen.js';
import { Rng } from '../../src/tensor/random.js';
import { mismatchesExceptKnown, pendingKernel } from '../known_failures.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PageCase {
  name: string;
  inputs: InputSpec[];
  sg: (sg: typeof SG, ...xs: Any[]) => Any;
  tf: (tf: Any, ...xs: Any[]) => Any;
  grad?: boolean;
  tol?: Tol;
  gradTol?: Tol;
}

const u = (name: string, gen: InputSpec['gen'] = 'normal', grad = true): PageCase => ({
  name, inputs: [{ shape: [3, 37], gen }], sg: (sg, x) => (sg as Any)[name](x), tf: (tf, x) => tf[name](x), grad,
});
const b = (name: string, ga: InputSpec['gen'] = 'normal', gb: InputSpec['gen'] = 'normal', grad = true, dtype?: 'int32' | 'bool'): PageCase => ({
  name, inputs: [{ shape: [5, 33], gen: ga, dtype }, { shape: [33], gen: gb, dtype }], sg: (sg, x, y) => (sg as Any)[name](x, y), tf: (tf, x, y) => tf[name](x, y), grad,
});

export const PAGE_CASES: PageCase[] = [
  ...['neg', 'square', 'exp', 'expm1', 'sigmoid', 'tanh', 'softplus'].map((n) => u(n)),
  // tfjs-webgpu's sin/cos on SwiftShader are only good to ~2e-4 absolute: the reference, not us, limits this bound.
  ...['sin', 'cos'].map((n) => ({ ...u(n), tol: { rtol: 1e-4, atol: 5e-4 }, gradTol: { rtol: 1e-3, atol: 5e-4 } })),
  ...['abs', 'relu', 'elu', 'selu', 'sign', 'step'].map((n) => u(n, 'awayFromZero', !['sign', 'step'].includes(n))),
  ...['log', 'log1p', 'sqrt', 'rsqrt', 'reciprocal'].map((n) => u(n, 'positive')),
  ...['floor', 'ceil', 'round'].map((n) => u(n, (r: Rng) => Math.fround(r.normal() * 3 + 0.01), false)),
  { name: 'relu6', inputs: [{ shape: [4, 21], gen: (r: Rng) => Math.fround((r.next() < 0.5 ? -1 : 1) * (0.1 + 8 * r.next())) }], sg: (sg, x) => sg.relu6(x), tf: (tf, x) => tf.relu6(x) },
  { name: 'leakyRelu', inputs: [{ shape: [4, 21], gen: 'awayFromZero' }], sg: (sg, x) => sg.leakyRelu(x, 0.3), tf: (tf, x) => tf.leakyRelu(x, 0.3) },
  { name: 'clipByValue', inputs: [{ shape: [4, 21], gen: (r: Rng) => Math.fround(r.normal() + 0.003) }], sg: (sg, x) => sg.clipByValue(x, -0.5, 0.7), tf: (tf, x) => tf.clipByValue(x, -0.5, 0.7) },
  b('add'), b('sub'), b('mul'), b('div', 'normal', 'awayFromZero'), b('pow', 'positive', 'unit'),
  b('maximum', 'distinct', 'normal', false), b('minimum', 'distinct', 'normal', false), b('squaredDifference', 'normal', 'normal', false),
  ...['equal', 'notEqual', 'greaterEqual', 'lessEqual'].map((n) => b(n, 'int', 'int', false)),
  ...['greater', 'less'].map((n) => b(n, 'normal', 'normal', false)),
  b('logicalAnd', 'bool', 'bool', false, 'bool'), b('logicalOr', 'bool', 'bool', false, 'bool'),
  b('add', 'int', 'int', false, 'int32'),
  { name: 'logicalNot', inputs: [{ shape: [3, 11], dtype: 'bool' }], sg: (sg, x) => sg.logicalNot(x), tf: (tf, x) => tf.logicalNot(x) },
  { name: 'where', inputs: [{ shape: [4, 9], dtype: 'bool' }, { shape: [4, 9] }, { shape: [9] }], sg: (sg, c, x, y) => sg.where(c, x, y), tf: (tf, c, x, y) => tf.where(c, x, y), grad: false },
  { name: 'cast', inputs: [{ shape: [3, 7], gen: (r: Rng) => Math.fround(r.normal() * 4) }], sg: (sg, x) => sg.cast(x, 'int32'), tf: (tf, x) => tf.cast(x, 'int32'), grad: false },
  { name: 'matMul', inputs: [{ shape: [33, 17] }, { shape: [17, 65] }], sg: (sg, x, y) => sg.matMul(x, y), tf: (tf, x, y) => tf.matMul(x, y) },
  { name: 'matMul tA', inputs: [{ shape: [17, 33] }, { shape: [17, 7] }], sg: (sg, x, y) => sg.matMul(x, y, true, false), tf: (tf, x, y) => tf.matMul(x, y, true, false) },
  { name: 'matMul tB', inputs: [{ shape: [9, 17] }, { shape: [31, 17] }], sg: (sg, x, y) => sg.matMul(x, y, false, true), tf: (tf, x, y) => tf.matMul(x, y, false, true) },
  { name: 'matMul tA tB', inputs: [{ shape: [17, 9] }, { shape: [31, 17] }], sg: (sg, x, y) => sg.matMul(x, y, true, true), tf: (tf, x, y) => tf.matMul(x, y, true, true) },
  { name: 'matMul batched', inputs: [{ shape: [3, 7, 5] }, { shape: [3, 5, 11] }], sg: (sg, x, y) => sg.matMul(x, y), tf: (tf, x, y) => tf.matMul(x, y) },
  { name: 'matMul 128', inputs: [{ shape: [128, 128] }, { shape: [128, 128] }], sg: (sg, x, y) => sg.matMul(x, y), tf: (tf, x, y) => tf.matMul(x, y), grad: false, tol: { rtol: 1e-4, atol: 1e-4 } },
  { name: 'transpose', inputs: [{ shape: [2, 3, 5, 7] }], sg: (sg, x) => sg.transpose(x, [2, 0, 3, 1]), tf: (tf, x) => tf.transpose(x, [2, 0, 3, 1]) },
  { name: 'reshape', inputs: [{ shape: [6, 5] }], sg: (sg, x) => sg.reshape(x, [3, -1]).mul(2), tf: (tf, x) => tf.reshape(x, [3, -1]).mul(2) },
  { name: 'concat', inputs: [{ shape: [3, 4] }, { shape: [3, 7] }], sg: (sg, x, y) => sg.concat([x, y], 1), tf: (tf, x, y) => tf.concat([x, y], 1) },
  { name: 'stack', inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], sg: (sg, x, y) => sg.stack([x, y], 1), tf: (tf, x, y) => tf.stack([x, y], 1) },
  { name: 'slice', inputs: [{ shape: [5, 7, 3] }], sg: (sg, x) => sg.slice(x, [1, 2, 0], [3, -1, 2]), tf: (tf, x) => tf.slice(x, [1, 2, 0], [3, -1, 2]) },
  { name: 'pad', inputs: [{ shape: [3, 4] }], sg: (sg, x) => sg.pad(x, [[1, 2], [0, 3]], 0.5), tf: (tf, x) => tf.pad(x, [[1, 2], [0, 3]], 0.5) },
  { name: 'tile', inputs: [{ shape: [2, 3] }], sg: (sg, x) => sg.tile(x, [3, 2]), tf: (tf, x) => tf.tile(x, [3, 2]) },
  { name: 'gather', inputs: [{ shape: [6, 5] }, { shape: [7], dtype: 'int32', gen: [0, 5, 2, 2, 1, 5, 3] }], sg: (sg, x, i) => sg.gather(x, i, 0), tf: (tf, x, i) => tf.gather(x, i, 0) },
  { name: 'oneHot', inputs: [{ shape: [9], dtype: 'int32', gen: [0, 3, 1, 4, 4, 2, 0, 1, 3] }], sg: (sg, i) => sg.oneHot(i, 5), tf: (tf, i) => tf.oneHot(i, 5) },
  { name: 'sum', inputs: [{ shape: [7, 33, 5] }], sg: (sg, x) => sg.sum(x, [0, 2]), tf: (tf, x) => tf.sum(x, [0, 2]) },
  { name: 'sum all', inputs: [{ shape: [127, 9] }], sg: (sg, x) => sg.sum(x), tf: (tf, x) => tf.sum(x) },
  { name: 'mean', inputs: [{ shape: [7, 33] }], sg: (sg, x) => sg.mean(x, -1, true), tf: (tf, x) => tf.mean(x, -1, true) },
  { name: 'max', inputs: [{ shape: [7, 33], gen: 'distinct' }], sg: (sg, x) => sg.max(x, 1), tf: (tf, x) => tf.max(x, 1) },
  { name: 'min', inputs: [{ shape: [7, 33], gen: 'distinct' }], sg: (sg, x) => sg.min(x, 0), tf: (tf, x) => tf.min(x, 0) },
  { name: 'prod', inputs: [{ shape: [5, 6], gen: 'positive' }], sg: (sg, x) => sg.prod(x, 1), tf: (tf, x) => tf.prod(x, 1) },
  { name: 'argMax', inputs: [{ shape: [7, 33], gen: 'distinct' }], sg: (sg, x) => sg.argMax(x, 1), tf: (tf, x) => tf.argMax(x, 1) },
  { name: 'argMin', inputs: [{ shape: [7, 33], gen: 'distinct' }], sg: (sg, x) => sg.argMin(x, 0), tf: (tf, x) => tf.argMin(x, 0) },
  { name: 'softmax', inputs: [{ shape: [5, 37] }], sg: (sg, x) => sg.softmax(sg.mul(x, 3)), tf: (tf, x) => tf.softmax(tf.mul(x, 3)) },
  { name: 'logSoftmax', inputs: [{ shape: [5, 37] }], sg: (sg, x) => sg.logSoftmax(sg.mul(x, 3)), tf: (tf, x) => tf.logSoftmax(tf.mul(x, 3)) },
  { name: 'conv2d same', inputs: [{ shape: [2, 9, 11, 3] }, { shape: [3, 3, 3, 5] }], sg: (sg, x, f) => sg.conv2d(x, f, 1, 'same'), tf: (tf, x, f) => tf.conv2d(x, f, 1, 'same') },
  { name: 'conv2d valid stride 2', inputs: [{ shape: [2, 10, 9, 2] }, { shape: [3, 2, 2, 4] }], sg: (sg, x, f) => sg.conv2d(x, f, 2, 'valid'), tf: (tf, x, f) => tf.conv2d(x, f, 2, 'valid') },
  { name: 'conv2d dilation 2', inputs: [{ shape: [1, 9, 9, 2] }, { shape: [3, 3, 2, 3] }], sg: (sg, x, f) => sg.conv2d(x, f, 1, 'same', 'NHWC', 2), tf: (tf, x, f) => tf.conv2d(x, f, 1, 'same', 'NHWC', 2), grad: false /* tfjs has no dilated conv2d gradient */ },
  { name: 'fusedConv2d relu same', inputs: [{ shape: [2, 9, 11, 3] }, { shape: [3, 3, 3, 5] }, { shape: [5] }], sg: (sg, x, f, b) => sg.fusedConv2d(x, f, b, 'relu', 1, 'same'), tf: (tf, x, f, b) => tf.relu(tf.add(tf.conv2d(x, f, 1, 'same'), b)) },
  { name: 'fusedConv2d sigmoid valid stride 2 (vec4 channels)', inputs: [{ shape: [2, 10, 9, 4] }, { shape: [3, 2, 4, 8] }, { shape: [8] }], sg: (sg, x, f, b) => sg.fusedConv2d(x, f, b, 'sigmoid', 2, 'valid'), tf: (tf, x, f, b) => tf.sigmoid(tf.add(tf.conv2d(x, f, 2, 'valid'), b)) },
  { name: 'conv1d', inputs: [{ shape: [2, 13, 3] }, { shape: [3, 3, 4] }], sg: (sg, x, f) => sg.conv1d(x, f, 1, 'same'), tf: (tf, x, f) => tf.conv1d(x, f, 1, 'same') },
  { name: 'maxPool', inputs: [{ shape: [2, 8, 7, 3], gen: 'distinct' }], sg: (sg, x) => sg.maxPool(x, 2, 2, 'same'), tf: (tf, x) => tf.maxPool(x, 2, 2, 'same') },
  { name: 'avgPool', inputs: [{ shape: [2, 8, 7, 3] }], sg: (sg, x) => sg.avgPool(x, 3, 2, 'valid'), tf: (tf, x) => tf.avgPool(x, 3, 2, 'valid') },
];

export interface PageResult {
  name: string;
  ok: boolean;
  message?: string;
  /** Why the case was skipped: a pending kernel listed in tests/known_failures.ts (known failures are per element and never skip a case). */
  skipped?: string;
}

/** Runs every case with shadergrad on `sgBackend` and tfjs on `tfBackend`. */
export async function runOpSuite(sg: typeof SG, tf: Any, sgBackend: string, tfBackend: string, only?: string[]): Promise<PageResult[]> {
  await sg.setBackend(sgBackend);
  await tf.setBackend(tfBackend);
  await tf.ready();
  const results: PageResult[] = [];
  for (const c of PAGE_CASES) {
    if (only && !only.includes(c.name)) continue;
    const problems: string[] = [];
    const rng = new Rng(seedOf(`page/${c.name}`));
    const vals = c.inputs.map((s) => genValues(s, rng));
    const before = sg.memory().numTensors;
    try {
      const mk = (): Any[] => c.inputs.map((s, i) => sg.tensor(vals[i], s.shape, s.dtype ?? 'float32'));
      const tIn = c.inputs.map((s, i) => tf.tensor(s.dtype === 'bool' ? vals[i].map((v: number) => v !== 0) : vals[i], s.shape, s.dtype ?? 'float32'));
      const tOut = c.tf(tf, ...tIn);
      const expected = Array.from((await tOut.data()) as ArrayLike<number>);
      const xs = mk();
      const y = sg.tidy(() => c.sg(sg, ...xs));
      if (JSON.stringify(y.shape) !== JSON.stringify(tOut.shape)) problems.push(`shape [${y.shape}] vs tfjs [${tOut.shape}]`);
      const m = mismatchesExceptKnown(sgBackend, c.name, '*', Array.from(await y.data()), expected, c.tol ?? FORWARD_TOL);
      if (m) problems.push(`forward: ${m}`);
      const diff = c.inputs.map((s, i) => ((s.dtype ?? 'float32') === 'float32' ? i : -1)).filter((i) => i >= 0);
      if (c.grad !== false && diff.length && !problems.length) {
        const w = genValues({ shape: [...tOut.shape] }, rng);
        const tW = tf.tensor(w, tOut.shape);
        const tg = tf.grads((...d: Any[]) => tf.sum(tf.mul(c.tf(tf, ...tIn.map((t: Any, i: number) => (diff.includes(i) ? d[diff.indexOf(i)] : t))), tW)))(diff.map((i) => tIn[i]));
        const wt = sg.tensor(w, [...tOut.shape]);
        const g = sg.grads((...d: Any[]) => sg.sum(sg.mul(c.sg(sg, ...xs.map((t: Any, i: number) => (diff.includes(i) ? d[diff.indexOf(i)] : t))), wt)))(diff.map((i) => xs[i]));
        for (let k = 0; k < g.length; k++) {
          const gm = mismatches(Array.from(await g[k].data()), Array.from(await tg[k].data()), c.gradTol ?? GRAD_TOL);
          if (gm) problems.push(`gradient ${k}: ${gm}`);
        }
        tf.dispose([tW, tg]);
        sg.dispose([wt, g]);
      }
      tf.dispose([tIn, tOut]);
      sg.dispose([xs, y]);
      const after = sg.memory().numTensors;
      if (after !== before) problems.push(`${after - before} tensor(s) leaked`);
    } catch (e) {
      const pending = pendingKernel(sgBackend, e);
      if (pending) {
        results.push({ name: c.name, ok: true, skipped: `${(e as Error).message} (${pending})` });
        continue;
      }
      problems.push(`threw: ${(e as Error).message}`);
    }
    results.push({ name: c.name, ok: problems.length === 0, message: problems.join(' | ') || undefined });
  }
  return results;
}
