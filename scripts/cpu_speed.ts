/**
 * CPU backend speed: matMul (square, float32) and conv2d forward + both
 * gradients, in GFLOP/s (2·M·N·K flops per matMul; 2·N·outH·outW·fh·fw·Cin·Cout
 * per conv pass). Each row is the best of a few timed runs after one warm-up,
 * with about `BUDGET_MS` spent per row.
 *
 *   npx esbuild scripts/cpu_speed.ts --bundle --platform=node --format=esm \
 *     --outfile=/tmp/cpu_speed.mjs && node /tmp/cpu_speed.mjs
 */
import * as sg from '../src/index.js';
import { conv2dBackpropFilter, conv2dBackpropInput } from '../src/tensor/ops/conv.js';

const BUDGET_MS = 1500;

/** Best wall time in ms of `fn` (which returns a tensor, disposed here). */
function bestMs(fn: () => sg.Tensor): number {
  fn().dispose();
  let best = Infinity;
  const start = performance.now();
  let runs = 0;
  while (runs < 3 || (performance.now() - start < BUDGET_MS && runs < 50)) {
    const t0 = performance.now();
    const y = fn();
    y.dataSync();
    best = Math.min(best, performance.now() - t0);
    y.dispose();
    runs++;
  }
  return best;
}

const rows: string[][] = [['case', 'ms', 'GFLOP/s']];
const row = (name: string, flops: number, ms: number): void => {
  rows.push([name, ms.toFixed(2), (flops / ms / 1e6).toFixed(2)]);
};

for (const n of [128, 256, 512, 1024]) {
  const a = sg.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = sg.randomNormal([n, n], 0, 1, 'float32', 2);
  row(`matMul ${n}x${n}x${n}`, 2 * n * n * n, bestMs(() => sg.matMul(a, b)));
  row(`matMul ${n} (A·Bᵀ)`, 2 * n * n * n, bestMs(() => sg.matMul(a, b, false, true)));
  row(`matMul ${n} (Aᵀ·B)`, 2 * n * n * n, bestMs(() => sg.matMul(a, b, true, false)));
  sg.dispose([a, b]);
}

const convCases: [number[], number[]][] = [
  [[32, 28, 28, 1], [3, 3, 1, 32]],
  [[32, 14, 14, 32], [3, 3, 32, 64]],
];
for (const [xs, fs] of convCases) {
  const x = sg.randomNormal(xs, 0, 1, 'float32', 3);
  const f = sg.randomNormal(fs, 0, 1, 'float32', 4);
  const y = sg.conv2d(x, f, 1, 'same');
  const dy = sg.randomNormal(y.shape, 0, 1, 'float32', 5);
  const flops = 2 * y.size * fs[0] * fs[1] * fs[2];
  const name = `conv2d [${xs}]⊛[${fs}]`;
  row(`${name} fwd`, flops, bestMs(() => sg.conv2d(x, f, 1, 'same')));
  row(`${name} dx`, flops, bestMs(() => conv2dBackpropInput(x.shape, dy, f, [1, 1], 'same', [1, 1])));
  row(`${name} dW`, flops, bestMs(() => conv2dBackpropFilter(x, dy, f.shape, [1, 1], 'same', [1, 1])));
  sg.dispose([x, f, y, dy]);
}

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  '));
