/**
 * wasm matMul and fusedMatMul on the SIMD GEMM (`wasm_gemm.ts`). Batched
 * products call the GEMM once per batch with broadcast batch offsets;
 * transposes are strides. int32 products go to the JavaScript kernel.
 */
import { cellActivationCodes } from '../recurrent/spec.js';
import { matMulBatches } from './batches.js';
import { KC, MC } from './wasm_gemm.js';
import type { WasmContext, WasmKernel } from '../wasm/kernel.js';

/** A strided matrix operand in wasm memory: element (r, c) at ptr + 4·(r·rs + c·cs). */
export interface MatRef {
  ptr: number;
  rs: number;
  cs: number;
}

/** Products below this many multiply-adds run on one thread (waking workers costs more). */
const PARALLEL_MIN_MACS = 1 << 21;
/** Columns of C per GEMM call: bounds the packed B slab (NC·KC floats = 4 MiB) whatever N is. */
const NC = 4096;

/**
 * Returns a function computing C[M, N] (row stride ldc elements, from byte
 * offset cPtr) = (accumulate ? C : 0) + A·B for products up to N columns.
 * Packing buffers are op scratch, one set per thread, made on first use.
 * Columns go NC at a time; large products are split into bands of C's rows,
 * one per thread.
 */
export function gemmRunner(ctx: WasmContext, maxN: number): (M: number, N: number, K: number, a: MatRef, b: MatRef, cPtr: number, ldc: number, accumulate: boolean) => void {
  const sets: [number, number, number][] = [];
  const set = (t: number): [number, number, number] => {
    while (sets.length <= t) sets.push([ctx.scratch(MC * KC * 4), ctx.scratch(Math.ceil(Math.min(maxN, NC) / 8) * 8 * KC * 4), ctx.scratch(32 * 4)]);
    return sets[t];
  };
  const gemm = ctx.fn('gemm');
  return (M, N, K, a, b, cPtr, ldc, accumulate) => {
    if (M === 0 || N === 0) return;
    if (K === 0) {
      if (!accumulate) for (let i = 0; i < M; i++) ctx.heap.f32().fill(0, cPtr / 4 + i * ldc, cPtr / 4 + i * ldc + N);
      return;
    }
    const T = M * Math.min(N, NC) * K >= PARALLEL_MIN_MACS ? Math.min(ctx.threads, Math.floor(M / 16)) : 1;
    // Bands of rows, multiples of the micro-tile height (4).
    const band = T > 1 ? Math.ceil(M / T / 4) * 4 : M;
    for (let j0 = 0; j0 < N; j0 += NC) {
      const nc = Math.min(NC, N - j0);
      const bPtr = b.ptr + 4 * j0 * b.cs;
      const args: number[][] = [];
      for (let t = 0, r0 = 0; r0 < M; t++, r0 += band) {
        const [pA, pB, tile] = set(t);
        const rows = Math.min(band, M - r0);
        args.push([rows, nc, K, a.ptr + 4 * r0 * a.rs, 4 * a.rs, 4 * a.cs, bPtr, 4 * b.rs, 4 * b.cs, cPtr + 4 * (r0 * ldc + j0), 4 * ldc, accumulate ? 1 : 0, pA, pB, tile]);
      }
      if (args.length === 1) gemm(...args[0]);
      else ctx.parallelGemm(args);
    }
  };
}

/** matMul(a, b): rank ≥ 2, batch dims broadcast; float32 only (int32 runs the JS kernel). */
export const matMulWasm: WasmKernel<'matMul'> = ([a, b], out, { transposeA, transposeB }, ctx) => {
  if (a.dtype !== 'float32') return false;
  const { M, N, K, forEach } = matMulBatches(a.shape, b.shape, out.shape, transposeA);
  const run = gemmRunner(ctx, N);
  forEach((bi, ao, bo) => {
    // A(i, k): stored [M, K], or [K, M] when transposed; B(k, j) likewise.
    const av: MatRef = { ptr: a.ptr + 4 * ao * M * K, rs: transposeA ? 1 : K, cs: transposeA ? M : 1 };
    const bv: MatRef = { ptr: b.ptr + 4 * bo * K * N, rs: transposeB ? 1 : N, cs: transposeB ? K : 1 };
    run(M, N, K, av, bv, out.ptr + 4 * bi * M * N, N, false);
  });
  return true;
};

/**
 * The fused epilogue of fusedMatMul and fusedConv2d on wasm memory:
 * c[i, j] = act(c[i, j] + bias[j]) for `rows` rows of N floats at byte
 * offset `ptr`. Bias (+ relu) in one SIMD pass; sigmoid and tanh then run in
 * place (SIMD exp, simd_math.ts). NaN stays NaN.
 */
export function biasActWasm(ctx: WasmContext, ptr: number, biasPtr: number, rows: number, N: number, code: number): void {
  ctx.fn('bias_act')(ptr, biasPtr, rows, N, code === 1 ? 1 : 0);
  if (code === 2) ctx.fn('unary_sigmoid')(ptr, ptr, rows * N, 0, 0);
  if (code === 4) ctx.fn('unary_tanh')(ptr, ptr, rows * N, 0, 0);
}

/**
 * fusedMatMul (rank 2): the GEMM, then one pass adding bias[j] and applying
 * the activation in place (`biasActWasm`).
 */
export const fusedMatMulWasm: WasmKernel<'fusedMatMul'> = ([a, b, bias], out, { transposeA, transposeB, activation }, ctx) => {
  const M = out.shape[0];
  const N = out.shape[1];
  const K = transposeA ? a.shape[0] : a.shape[1];
  gemmRunner(ctx, N)(M, N, K, { ptr: a.ptr, rs: transposeA ? 1 : K, cs: transposeA ? M : 1 }, { ptr: b.ptr, rs: transposeB ? 1 : N, cs: transposeB ? K : 1 }, out.ptr, N, false);
  biasActWasm(ctx, out.ptr, bias.ptr, M, N, cellActivationCodes[activation]);
  return true;
};
