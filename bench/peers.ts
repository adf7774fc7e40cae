/**
 * Peer libraries for the wasm rows of `npm run bench`, in the same Node
 * process: TensorFlow.js's wasm backend (SIMD, one thread, as ours) takes
 * the tfjs column of the shared cases; jax-js (its wasm device; one thread in
 * Node, where it finds no Web Worker) runs the matMul and conv2d cases here.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { BenchCase } from './cases.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Registers tfjs's wasm backend (its .wasm files from its dist folder), one thread; returns its name. */
export async function useTfjsWasm(tf: Any): Promise<string> {
  const wasm: Any = await import('@tensorflow/tfjs-backend-wasm');
  const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(`${dist}/`);
  wasm.setThreadsCount?.(1);
  await tf.setBackend('wasm');
  await tf.ready();
  return 'wasm';
}

/** Deterministic values in [-0.5, 0.5] (as bench/cases.ts). */
function values(n: number, salt: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + salt) * 0.5);
}

/**
 * matMul and conv2d cases for shadergrad (current backend) against jax-js's
 * wasm device; `tf` in each case runs jax-js. jax-js arrays are consumed by
 * ops, so inputs are passed with `.ref`.
 */
export async function jaxCases(sg: Any, only?: string[]): Promise<BenchCase[]> {
  const jax: Any = await import('@jax-js/jax');
  await jax.init('wasm');
  jax.defaultDevice('wasm');
  const np = jax.numpy;
  const cases: BenchCase[] = [];
  const add = (name: string, flops: number, shapes: number[][], fs: (...x: Any[]) => Any, fj: (...x: Any[]) => Any): void => {
    if (only && !only.some((o) => name.startsWith(o))) return;
    const vs = shapes.map((s, i) => values(s.reduce((p, d) => p * d, 1), i));
    const a = shapes.map((s, i) => sg.tensor(vs[i], s));
    const j = shapes.map((s, i) => np.array(vs[i]).reshape(s));
    cases.push({
      name,
      flops,
      sg: async () => {
        const y = fs(...a);
        await y.data();
        y.dispose();
      },
      tf: async () => {
        const y = fj(...j.map((t: Any) => t.ref));
        await y.data();
      },
      dispose: () => {
        a.forEach((t: Any) => t.dispose());
        j.forEach((t: Any) => t.dispose());
      },
    });
  };
  for (const n of [128, 256, 512, 1024]) add(`matMul ${n}`, 2 * n ** 3, [[n, n], [n, n]], (x, y) => sg.matMul(x, y), (x, y) => np.matmul(x, y));
  // jax's conv is NCHW/OIHW: the same products on transposed layouts.
  const conv = (x: number[], f: number[]): number => 2 * x[0] * x[1] * x[2] * f[0] * f[1] * f[2] * f[3];
  const convCase = (n: number, h: number, cin: number, cout: number): void => {
    add(
      `conv2d [${n},${h},${h},${cin}]*[3,3,${cin},${cout}] same`,
      conv([n, h, h], [3, 3, cin, cout]),
      [[n, h, h, cin], [3, 3, cin, cout], [n, cin, h, h], [cout, cin, 3, 3]],
      (x, f) => sg.conv2d(x, f, 1, 'same'),
      (_x, _f, x, f) => jax.lax.conv(x, f, [1, 1], 'SAME'),
    );
  };
  convCase(32, 28, 1, 32);
  convCase(32, 14, 32, 64);
  return cases;
}
