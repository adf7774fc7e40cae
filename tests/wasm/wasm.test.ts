/**
 * The wasm backend's own checks (the op suites compare it with TensorFlow.js
 * through `checkOp`): emitted modules validate and read as WebAssembly text,
 * the heap survives growth (views re-made, old tensors intact) and reuses
 * freed blocks, SIMD min/max keep NaN, and products large enough to cross the
 * GEMM's k and row blocks agree with the CPU backend.
 */
import { describe, expect, test } from 'vitest';
import wabtInit from 'wabt';
import * as sg from '../../src/index.js';
import { wasmModuleBytes, createWasmBackend } from '../../src/kernels/wasm/backend.js';
import { WasmHeap, sizeClass } from '../../src/kernels/wasm/memory.js';
import { KC, MC } from '../../src/kernels/matmul/wasm_gemm.js';
import { ThreadPool } from '../../src/kernels/wasm/threads.js';
import { onBackend } from '../helpers/backends.js';
import { expectClose } from '../helpers/compare.js';

describe('wasm modules', () => {
  test('every emitted module passes WebAssembly.validate (plain and shared memory)', () => {
    for (const shared of [false, true]) {
      for (const [name, bytes] of Object.entries(wasmModuleBytes(shared))) expect(WebAssembly.validate(bytes), `${name} shared=${shared}`).toBe(true);
    }
  });

  test('the GEMM micro-kernel reads as WebAssembly text (wabt)', async () => {
    const wabt = await wabtInit();
    const mod = wabt.readWasm(wasmModuleBytes().gemm, { readDebugNames: false, simd: true, bulk_memory: true });
    mod.validate();
    const text = mod.toText({ foldExprs: false, inlineExport: true });
    mod.destroy();
    const micro = text.slice(text.indexOf('(export "micro")'), text.indexOf('(export "store_edge")'));
    // Printed so a reader can see what runs: the 4×8 register tile.
    console.log(micro);
    expect(micro).toMatch(/v128\.load32_splat/);
    expect(micro.match(/f32x4\.mul/g)?.length).toBe(8);
    expect(micro.match(/f32x4\.add/g)?.length).toBe(16); // 8 in the loop, 8 when accumulating into C
  });
});

describe('wasm heap', () => {
  test('size classes: 64-byte multiples, then at most 12.5% slack', () => {
    expect(sizeClass(1)).toBe(64);
    expect(sizeClass(4096)).toBe(4096);
    for (const n of [4097, 10_000, 1 << 20, 3_000_001]) {
      const c = sizeClass(n);
      expect(c).toBeGreaterThanOrEqual(n);
      expect(c / n).toBeLessThanOrEqual(1.125 + 64 / n);
      expect(c % 64).toBe(0);
    }
  });

  test('freed blocks are reused by their size class; growth re-makes the views', () => {
    const h = new WasmHeap({ initialPages: 1 });
    const a = h.alloc(1000);
    h.f32()[a / 4] = 7;
    const before = h.f32();
    const big = h.alloc(1 << 20); // grows the memory: the old buffer is detached
    expect(before.length).toBe(0);
    expect(h.f32()[a / 4]).toBe(7);
    h.release(big);
    expect(h.alloc((1 << 20) + 1000)).toBe(big); // same size class
    expect(() => h.release(12345)).toThrow(/unknown pointer/);
    // A vector starting at the last float of a block stays inside it.
    const p = h.alloc(64);
    expect(h.alloc(64) - p).toBeGreaterThanOrEqual(64 + 16);
  });

  test('tensors made before a grow keep their values', async () => {
    const b = await createWasmBackend({ initialPages: 1 });
    const x = b.write(Float32Array.from([1, 2, 3]), 'float32');
    const y = b.write(new Float32Array(1 << 20), 'float32');
    expect(Array.from(b.readSync(x))).toEqual([1, 2, 3]);
    b.release(y);
    b.release(x);
    expect(b.memory().numBuffers).toBe(0);
    b.dispose();
  });
});

describe('wasm kernels', () => {
  test('maximum/minimum/max/relu keep NaN (f32x4.max, not pmax)', async () => {
    const xs = [NaN, 1, -2, 3, NaN, -0.5, 7, 0];
    const ys = [0, NaN, 5, -3, 1, NaN, 2, 0];
    const run = () => {
      const a = sg.tensor(xs, [2, 4]);
      const b = sg.tensor(ys, [2, 4]);
      const out = [sg.maximum(a, b), sg.minimum(a, b), sg.max(a, 1), sg.min(a, 0), sg.relu(a), sg.maximum(a, sg.scalar(0))].map((t) => Array.from(t.dataSync()));
      return out;
    };
    const cpu = await onBackend('cpu', () => sg.tidy(() => run() as never) as unknown as number[][]);
    const wasm = await onBackend('wasm', () => sg.tidy(() => run() as never) as unknown as number[][]);
    wasm.forEach((w, i) => expectClose(w, cpu[i], { rtol: 0, atol: 0 }, `case ${i}`));
  });

  test('maxPool and its gradient with ties, NaN and 5 channels match the CPU rules exactly', async () => {
    // Values from a small set: many ties in every window; a few NaN.
    const x = Array.from({ length: 2 * 5 * 6 * 5 }, (_, i) => (i % 37 === 5 ? NaN : (i * 7) % 3));
    const dy = Array.from({ length: 2 * 3 * 3 * 5 }, (_, i) => i + 1);
    const run = () => sg.tidy(() => {
      const X = sg.tensor(x, [2, 5, 6, 5]);
      const y = sg.maxPool(X, 2, 2, 'same');
      const g = sg.grad((t: sg.Tensor) => sg.sum(sg.mul(sg.maxPool(t, 2, 2, 'same'), sg.tensor(dy, y.shape))))(X);
      return [Array.from(y.dataSync()), Array.from(g.dataSync())] as never;
    }) as unknown as number[][];
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expectClose(wasm[0], cpu[0], { rtol: 0, atol: 0 }, 'maxPool');
    expectClose(wasm[1], cpu[1], { rtol: 0, atol: 0 }, 'maxPoolGrad');
  });

  test('SIMD exp, sigmoid and tanh are within a few ulp of float64 over their whole range', async () => {
    const xs: number[] = [NaN, Infinity, -Infinity, 0, -0, 88.72, 88.73, -87.3, -103.9, -110, 1e-8, -3e-5];
    for (let v = -105; v <= 95; v += 0.0137) xs.push(v);
    for (let v = 1e-6; v < 0.3; v *= 1.07) xs.push(v, -v);
    const got = await onBackend('wasm', () => sg.tidy(() => {
      const x = sg.tensor(xs);
      return [sg.exp(x), sg.sigmoid(x), sg.tanh(x)].map((t) => Array.from(t.dataSync())) as never;
    }) as unknown as number[][]);
    const f = Math.fround;
    const want = [xs.map((v) => f(Math.exp(f(v)))), xs.map((v) => f(1 / (1 + Math.exp(-f(v))))), xs.map((v) => f(Math.tanh(f(v))))];
    // 2e-6 relative: a few float32 ulp. exp keeps subnormal results (two-step scaling); sigmoid
    // below x ≈ −88.7 gives 0 where the true value is subnormal (under 2^−126 ≈ 1.2e-38).
    ['exp', 'sigmoid', 'tanh'].forEach((name, k) => expectClose(got[k], want[k], { rtol: 2e-6, atol: k === 1 ? 1.2e-38 : 1e-40 }, name));
    expect(Object.is(got[2][4], -0)).toBe(true); // tanh(−0) = −0
  });

  test('lstmCell and its gradient (the SIMD path needs units % 4 = 0) match the CPU backend', async () => {
    const rng = new sg.Rng(9);
    for (const U of [8, 12]) {
      const z = Array.from({ length: 5 * 4 * U }, () => rng.normal() * 2);
      const c0 = Array.from({ length: 5 * U }, () => rng.normal());
      const w = Array.from({ length: 5 * 2 * U }, () => rng.normal());
      const run = () => sg.tidy(() => {
        const Z = sg.tensor(z, [5, 4 * U]);
        const C = sg.tensor(c0, [5, U]);
        const W = sg.tensor(w, [5, 2 * U]);
        const y = sg.lstmCellPacked(Z, C);
        const [gz, gc] = sg.grads((a: sg.Tensor, b: sg.Tensor) => sg.sum(sg.mul(sg.lstmCellPacked(a, b), W)))([Z, C]);
        return [y, gz, gc].map((t) => Array.from(t.dataSync())) as never;
      }) as unknown as number[][];
      const cpu = await onBackend('cpu', run);
      const wasm = await onBackend('wasm', run);
      ['forward', 'dz', 'dcPrev'].forEach((what, k) => expectClose(wasm[k], cpu[k], { rtol: 1e-4, atol: 1e-5 }, `lstmCell U=${U} ${what}`));
    }
  });

  test('gruCell and its gradient (the SIMD path needs units % 4 = 0) match the CPU backend', async () => {
    const rng = new sg.Rng(11);
    for (const U of [8, 5]) {
      const [xz, hz] = [0, 1].map(() => Array.from({ length: 4 * 3 * U }, () => rng.normal() * 2));
      const h0 = Array.from({ length: 4 * U }, () => rng.normal());
      const w = Array.from({ length: 4 * U }, () => rng.normal());
      const run = () => sg.tidy(() => {
        const [X, H] = [xz, hz].map((v) => sg.tensor(v, [4, 3 * U]));
        const P = sg.tensor(h0, [4, U]);
        const W = sg.tensor(w, [4, U]);
        const y = sg.gruCell(X, H, P);
        const gs = sg.grads((a: sg.Tensor, b: sg.Tensor, c: sg.Tensor) => sg.sum(sg.mul(sg.gruCell(a, b, c), W)))([X, H, P]);
        return [y, ...gs].map((t) => Array.from(t.dataSync())) as never;
      }) as unknown as number[][];
      const cpu = await onBackend('cpu', run);
      const wasm = await onBackend('wasm', run);
      ['forward', 'dxz', 'dhz', 'dhPrev'].forEach((what, k) => expectClose(wasm[k], cpu[k], { rtol: 1e-4, atol: 1e-5 }, `gruCell U=${U} ${what}`));
    }
  });

  test('products crossing the k block (256) and the row block (128) match the CPU backend', async () => {
    const rng = new sg.Rng(3);
    const a = Array.from({ length: 301 * 520 }, () => rng.next() * 2 - 1);
    const b = Array.from({ length: 520 * 70 }, () => rng.next() * 2 - 1);
    const prod = (tA: boolean, tB: boolean) => () => {
      const x = sg.tensor(a, tA ? [520, 301] : [301, 520]);
      const w = sg.tensor(b, tB ? [70, 520] : [520, 70]);
      const y = sg.matMul(x, w, tA, tB);
      const v = Array.from(y.dataSync());
      sg.dispose([x, w, y]);
      return v;
    };
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const want = await onBackend('cpu', prod(tA, tB));
      const got = await onBackend('wasm', prod(tA, tB));
      expectClose(got, want, { rtol: 1e-4, atol: 1e-4 }, `matMul transposeA=${tA} transposeB=${tB}`);
    }
  });

  test('threads: products split across workers on the shared memory give the single-thread result bit for bit', async () => {
    await expect(sg.setThreads(0)).rejects.toThrow(/setThreads: n must be a positive integer, got 0/);
    const rng = new sg.Rng(5);
    const a = Array.from({ length: 200 * 300 }, () => rng.next() - 0.5);
    const f = Array.from({ length: 3 * 3 * 8 * 16 }, () => rng.next() - 0.5);
    const x = Array.from({ length: 8 * 20 * 20 * 8 }, () => rng.next() - 0.5);
    const run = () => {
      const A = sg.tensor(a, [200, 300]);
      const X = sg.tensor(x, [8, 20, 20, 8]);
      const F = sg.tensor(f, [3, 3, 8, 16]);
      const ys = [sg.matMul(A, A, false, true), sg.conv2d(X, F, 1, 'same')];
      const out = ys.map((y) => Array.from(y.dataSync()));
      sg.dispose([A, X, F, ...ys]);
      return out;
    };
    await onBackend('wasm', async () => {
      expect(await sg.setThreads(1)).toBe(1);
      const one = run();
      expect(await sg.setThreads(2)).toBe(2);
      expect(sg.backendInfo()).toMatchObject({ threads: 2, sharedMemory: true });
      const two = run();
      expect(two).toEqual(one);
    });
  });

  test('a trap in a worker band is thrown on the calling thread, and the pool keeps working', async () => {
    const heap = new WasmHeap({ shared: true });
    const module = await WebAssembly.compile(wasmModuleBytes(true).gemm);
    const gemm = (await WebAssembly.instantiate(module, { env: { memory: heap.memory } })).exports.gemm as (...a: number[]) => number;
    const ctl = heap.alloc(128);
    heap.i32().fill(0, ctl / 4, ctl / 4 + 32);
    const pool = await ThreadPool.start(heap.memory, module, ctl, 1);
    try {
      const scratch = [heap.alloc(MC * KC * 4), heap.alloc(8 * KC * 4), heap.alloc(128)];
      const empty = [0, 8, 1, 0, 4, 4, 0, 32, 4, 0, 32, 0, ...scratch];
      // The worker's A pointer is past the end of the memory: its band traps.
      const bad = [4, 8, 1, 0x7ffffff0, 4, 4, scratch[1], 32, 4, scratch[2], 32, 0, ...scratch];
      expect(() => pool.run(gemm, [empty, bad])).toThrow(/worker thread trapped/);
      pool.run(gemm, [empty, empty]);
    } finally {
      pool.stop();
    }
  });

  test('setBackend("wasm") and backendInfo()', async () => {
    await onBackend('wasm', () => {
      const info = sg.backendInfo();
      expect(info.name).toBe('wasm');
      expect(info.simd).toBe(true);
    });
  });
});

test('a product wider than one column block (4096) matches the CPU backend', async () => {
  const rng = new sg.Rng(13);
  const a = Array.from({ length: 6 * 5 }, () => rng.next() - 0.5);
  const b = Array.from({ length: 5 * 4100 }, () => rng.next() - 0.5);
  const run = () => sg.tidy(() => Array.from(sg.matMul(sg.tensor(a, [6, 5]), sg.tensor(b, [5, 4100])).dataSync()) as never) as unknown as number[];
  expectClose(await onBackend('wasm', run), await onBackend('cpu', run), { rtol: 1e-5, atol: 1e-6 }, 'matMul [6,5]x[5,4100]');
});
