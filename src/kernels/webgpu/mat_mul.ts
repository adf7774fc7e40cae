/**
 * matMul on WebGPU. Two shaders with the same bindings and params: the tiled
 * one (`mat_mul.wgsl.ts`, workgroup-memory tiles, 4×4 register blocks) that
 * real GPUs want, and the direct one (`mat_mul_direct.wgsl.ts`, 4×4 register
 * blocks read straight from global memory) used on software adapters, where
 * workgroup barriers dominate (measured on SwiftShader, 1024²: tiled 0.19
 * GFLOP/s, direct see bench/RESULTS.md). `matMulConfig.variant` forces one.
 * Batch dims broadcast: when each operand's batch is either full or a single
 * matrix, one dispatch covers every batch (batch stride 0 broadcasts);
 * otherwise one dispatch per output batch, with element offsets in params.
 *
 * matMulBiasAct (rank 2, float32) runs the same two shaders with a `bias`
 * binding and the epilogue act(acc + bias[col]) applied before the store.
 * Its sources are generated here, at module load, from the matMul ones by
 * `withBiasAct` (string replacement of three marked spots that must each
 * match once, as `instantiate` does for the elementwise shaders): the tiled
 * and direct loops then exist once and cannot drift apart.
 */
import { cellActivationCodes } from '../fused/spec.js';
import type { TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import { instantiate } from './elementwise.js';
import type { GpuKernel } from './kernel.js';
import { source } from './mat_mul.wgsl.js';
import { source as directSource } from './mat_mul_direct.wgsl.js';
import type { LaunchOutput, ShaderDef } from './program.js';

const asI32 = (src: string): string => instantiate(src, 'alias T = f32;', {}, 'alias T = i32;');

export const matMulShaders: Record<'tiled' | 'direct', Record<'f32' | 'i32', ShaderDef>> = {
  tiled: {
    f32: { name: 'mat_mul_f32', source },
    i32: { name: 'mat_mul_i32', source: asI32(source) },
  },
  direct: {
    f32: { name: 'mat_mul_direct_f32', source: directSource },
    i32: { name: 'mat_mul_direct_i32', source: asI32(directSource) },
  },
};

/** The matMul source with a `bias` binding, `params.act` and the epilogue applied at the store. */
function withBiasAct(src: string): string {
  const swaps: [string, string][] = [
    ['  b_cs: u32,\n}', '  b_cs: u32,\n  act: u32,\n}'],
    [
      '@group(0) @binding(2) var<storage, read_write> out: array<T>;\n@group(0) @binding(3) var<uniform> params: Params;',
      '@group(0) @binding(2) var<storage, read> bias: array<T>;\n@group(0) @binding(3) var<storage, read_write> out: array<T>;\n@group(0) @binding(4) var<uniform> params: Params;',
    ],
    ['out[c_base + r * params.n + c0 + j] = v[j];', 'out[c_base + r * params.n + c0 + j] = epilogue(v[j] + bias[c0 + j]);'],
  ];
  let s = src;
  for (const [from, to] of swaps) {
    if (s.split(from).length !== 2) throw new Error(`matMulBiasAct: matMul source lacks a unique ${JSON.stringify(from)}`);
    s = s.replace(from, to);
  }
  // Codes are `cellActivationCodes` (linear 0, relu 1, sigmoid 2, tanh 4); relu keeps NaN as the CPU kernel does.
  return `${s.trimEnd()}

fn epilogue(x: T) -> T {
  switch params.act {
    case 1u: { return select(x, 0.0, x < 0.0); }
    case 2u: { return 1.0 / (1.0 + exp(-x)); }
    case 4u: { return tanh(clamp(x, -15.0, 15.0)); }
    default: { return x; }
  }
}
`;
}

export const matMulBiasActShaders: Record<'tiled' | 'direct', ShaderDef> = {
  tiled: { name: 'mat_mul_bias_act', source: withBiasAct(source) },
  direct: { name: 'mat_mul_bias_act_direct', source: withBiasAct(directSource) },
};

/** Which shader matMul uses: 'auto' picks direct on software adapters, tiled otherwise. */
export const matMulConfig: { variant: 'auto' | 'tiled' | 'direct' } = { variant: 'auto' };

/** The shader variant `matMulConfig` selects on an adapter (software or not). */
function matMulVariant(isSoftware: boolean): 'tiled' | 'direct' {
  return matMulConfig.variant === 'auto' ? (isSoftware ? 'direct' : 'tiled') : matMulConfig.variant;
}

/** Workgroup shape and K slice of the tiled kernel (override constants). */
const TILED = { WG_X: 16, WG_Y: 16, TILE_K: 16 };
const DIRECT = { WG_X: 8, WG_Y: 8 };

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
  const variant = matMulVariant(rt.isSoftware);
  const shader = matMulShaders[variant][outDtype === 'float32' ? 'f32' : 'i32'];
  const overrides = variant === 'tiled' ? TILED : DIRECT;
  // Workgroups cover C in (WG_Y·4)×(WG_X·4) tiles either way (one 4×4 block per thread).
  const strides = {
    a_rs: transposeA ? 1 : K,
    a_cs: transposeA ? M : 1,
    b_rs: transposeB ? 1 : N,
    b_cs: transposeB ? K : 1,
  };
  const aN = sizeOf(a.shape.slice(0, -2));
  const bN = sizeOf(b.shape.slice(0, -2));
  const wx = Math.ceil(N / (overrides.WG_X * 4));
  const wy = Math.ceil(M / (overrides.WG_Y * 4));
  const run = (inputs: TensorInfo[], out: LaunchOutput, p: Record<string, number>, z: number) =>
    rt.launch({ shader, inputs, outputs: [out], params: { m: M, n: N, k: K, ...strides, ...p }, overrides, workgroups: [wx, wy, z] })[0];
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

/** matMulBiasAct, rank 2: one dispatch of the tiled or direct shader, picked as matMul picks it. */
export const matMulBiasAct: GpuKernel<'matMulBiasAct'> = (rt, [a, b, bias], { transposeA, transposeB, activation }, outShape, outDtype) => {
  const [M, N] = outShape;
  const K = transposeA ? a.shape[0] : a.shape[1];
  const variant = matMulVariant(rt.isSoftware);
  const overrides = variant === 'tiled' ? TILED : DIRECT;
  const params = {
    m: M, n: N, k: K, batch: 1, a_off: 0, b_off: 0, c_off: 0, a_bs: 0, b_bs: 0,
    a_rs: transposeA ? 1 : K, a_cs: transposeA ? M : 1, b_rs: transposeB ? 1 : N, b_cs: transposeB ? K : 1,
    act: cellActivationCodes[activation],
  };
  const workgroups: [number, number, number] = M === 0 || N === 0 ? [1, 1, 1] : [Math.ceil(N / (overrides.WG_X * 4)), Math.ceil(M / (overrides.WG_Y * 4)), 1];
  return rt.launch({ shader: matMulBiasActShaders[variant], inputs: [a, b, bias], outputs: [{ shape: outShape, dtype: outDtype }], params, overrides, workgroups })[0];
};
