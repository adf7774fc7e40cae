/**
 * matMul and fusedMatMul on WebGPU: the launch code. The shaders are composed
 * from one GEMM core per variant and matMul's slots (`mat_mul_shaders.ts`,
 * `gemm.ts`); each thread computes a 4×4 block of C:
 *  - tiled: workgroup-memory tiles, what real GPUs want;
 *  - vec4: no workgroup memory, vec4 loads and stores, for software adapters
 *    when every contiguous dimension is a multiple of 4 (SwiftShader, 1024²:
 *    about 5× the direct kernel and 4× tfjs-webgpu; workgroup barriers make
 *    tiling slow there);
 *  - direct: one k per step, any shape, the software fallback for unaligned
 *    shapes.
 * `matMulConfig.variant` forces one. Batch dims broadcast: when each
 * operand's batch is either full or a single matrix, one dispatch covers every
 * batch (the z workgroup index; batch stride 0 broadcasts); otherwise one
 * dispatch per output batch, with element offsets in params.
 *
 * fusedMatMul (rank 2, float32) runs the same cores with the bias +
 * activation epilogue slot and a `bias` binding.
 */
import { cellActivationCodes } from '../recurrent/spec.js';
import type { TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import type { GpuKernel } from '../webgpu/kernel.js';
import type { LaunchOutput } from '../webgpu/program.js';
import type { MatMulVariant as Variant } from './mat_mul_shaders.js';
import { fusedMatMulShaders, matMulShaders } from './mat_mul_shaders.js';

export { fusedMatMulShaders, matMulShaders };

/**
 * Which shader matMul uses: 'auto' picks the vec4 kernel on software adapters
 * when the operands are aligned for it (else direct), and tiled on hardware.
 * Forcing 'vec4' still falls back to direct on unaligned shapes.
 */
export const matMulConfig: { variant: 'auto' | Variant } = { variant: 'auto' };

/**
 * Whether the vec4 kernel can read these operands: every contiguous
 * dimension (K of A, or M when A is transposed; N of B, or K when B is
 * transposed; N of C) a multiple of 4, so rows start on vec4 boundaries.
 */
function vec4Aligned(m: number, n: number, k: number, transposeA: boolean): boolean {
  return n % 4 === 0 && k % 4 === 0 && (!transposeA || m % 4 === 0);
}

/** The shader variant `matMulConfig` selects on an adapter (software or not) for an M×K·K×N product. */
function matMulVariant(isSoftware: boolean, m: number, n: number, k: number, transposeA: boolean): Variant {
  const v = matMulConfig.variant === 'auto' ? (isSoftware ? 'vec4' : 'tiled') : matMulConfig.variant;
  return v === 'vec4' && !vec4Aligned(m, n, k, transposeA) ? 'direct' : v;
}

/** Workgroup shape and K slice of the tiled kernel, workgroup shape of the others (override constants). */
const TILED = { WG_X: 16, WG_Y: 16, TILE_K: 16 };
const DIRECT = { WG_X: 8, WG_Y: 8 };

/** Flat workgroup count covering an M×N result in (WG_Y·4)×(WG_X·4) tiles (one 4×4 block per thread). */
function tiles(m: number, n: number, o: Record<string, number>): number {
  return Math.max(1, Math.ceil(n / (o.WG_X * 4)) * Math.ceil(m / (o.WG_Y * 4)));
}

/** Override constants of a variant: workgroup shape (and K slice, or transposes). */
function overridesOf(variant: Variant, transposeA: boolean, transposeB: boolean): Record<string, number> {
  if (variant === 'tiled') return TILED;
  if (variant === 'vec4') return { ...DIRECT, TRANS_A: Number(transposeA), TRANS_B: Number(transposeB) };
  return DIRECT;
}

/** Per-batch offsets (in matrices) of an operand broadcast to `batch`. */
function batchIndex(shape: readonly number[], batch: readonly number[], bi: number): number {
  const own = shape.slice(0, -2);
  const pad = batch.length - own.length;
  let idx = 0;
  let rem = bi;
  const coord: number[] = new Array(batch.length);
  for (let d = batch.length - 1; d >= 0; d--) {
    coord[d] = rem % batch[d];
    rem = Math.floor(rem / batch[d]);
  }
  let stride = 1;
  for (let d = own.length - 1; d >= 0; d--) {
    if (own[d] !== 1) idx += coord[d + pad] * stride;
    stride *= own[d];
  }
  return idx;
}

export const matMul: GpuKernel<'matMul'> = (rt, [a, b], { transposeA, transposeB }, outShape, outDtype) => {
  const r = outShape.length;
  const M = outShape[r - 2];
  const N = outShape[r - 1];
  const K = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  const batch = outShape.slice(0, -2);
  const nb = sizeOf(batch);
  const variant = matMulVariant(rt.isSoftware, M, N, K, transposeA);
  const shader = matMulShaders[variant][outDtype === 'float32' ? 'f32' : 'i32'];
  const overrides = overridesOf(variant, transposeA, transposeB);
  const strides = {
    a_rs: transposeA ? 1 : K,
    a_cs: transposeA ? M : 1,
    b_rs: transposeB ? 1 : N,
    b_cs: transposeB ? K : 1,
  };
  const aN = sizeOf(a.shape.slice(0, -2));
  const bN = sizeOf(b.shape.slice(0, -2));
  const wg = tiles(M, N, overrides);
  const run = (inputs: TensorInfo[], out: LaunchOutput, p: Record<string, number>, z: number) =>
    rt.launch({ shader, inputs, outputs: [out], params: { m: M, n: N, k: K, ...strides, ...p }, overrides, workgroups: [wg, 1, z] })[0];
  if (nb === 0 || M === 0 || N === 0) return rt.launch({ shader, inputs: [a, b], outputs: [{ shape: outShape, dtype: outDtype }], params: { m: 0, n: 0, k: 0, batch: 0, a_off: 0, b_off: 0, c_off: 0, a_bs: 0, b_bs: 0, ...strides }, workgroups: [1, 1, 1] })[0];
  const simple = (aN === nb || aN === 1) && (bN === nb || bN === 1) && nb <= rt.limits.maxComputeWorkgroupsPerDimension;
  if (simple) {
    return run([a, b], { shape: outShape, dtype: outDtype }, { batch: nb, a_off: 0, b_off: 0, c_off: 0, a_bs: aN === 1 ? 0 : M * K, b_bs: bN === 1 ? 0 : K * N }, nb);
  }
  // General broadcast (e.g. [2,1,m,k] x [1,3,k,n]): one dispatch per output matrix, all writing one buffer.
  let outId = run([a, b], { shape: outShape, dtype: outDtype }, { batch: 1, a_off: batchIndex(a.shape, batch, 0) * M * K, b_off: batchIndex(b.shape, batch, 0) * K * N, c_off: 0, a_bs: 0, b_bs: 0 }, 1);
  for (let bi = 1; bi < nb; bi++) {
    outId = run([a, b], { info: { dataId: outId, shape: outShape, dtype: outDtype } }, { batch: 1, a_off: batchIndex(a.shape, batch, bi) * M * K, b_off: batchIndex(b.shape, batch, bi) * K * N, c_off: bi * M * N, a_bs: 0, b_bs: 0 }, 1);
  }
  return outId;
};

/** fusedMatMul, rank 2: one dispatch of the tiled, direct or vec4 shader, picked as matMul picks it. */
export const fusedMatMul: GpuKernel<'fusedMatMul'> = (rt, [a, b, bias], { transposeA, transposeB, activation }, outShape, outDtype) => {
  const [M, N] = outShape;
  const K = transposeA ? a.shape[0] : a.shape[1];
  const variant = matMulVariant(rt.isSoftware, M, N, K, transposeA);
  const overrides = overridesOf(variant, transposeA, transposeB);
  const params = {
    m: M, n: N, k: K, batch: 1, a_off: 0, b_off: 0, c_off: 0, a_bs: 0, b_bs: 0,
    a_rs: transposeA ? 1 : K, a_cs: transposeA ? M : 1, b_rs: transposeB ? 1 : N, b_cs: transposeB ? K : 1,
    act: cellActivationCodes[activation],
  };
  const workgroups: [number] = [tiles(M, N, overrides)];
  return rt.launch({ shader: fusedMatMulShaders[variant], inputs: [a, b, bias], outputs: [{ shape: outShape, dtype: outDtype }], params, overrides, workgroups })[0];
};
