/**
 * matMul on WebGPU. Three shaders with the same params, each thread computing
 * a 4×4 block of C:
 *  - tiled (`mat_mul.wgsl.ts`): workgroup-memory tiles, what real GPUs want;
 *  - vec4 (`mat_mul_vec4.wgsl.ts`): no workgroup memory, vec4 loads and
 *    stores, for software adapters when every contiguous dimension is a
 *    multiple of 4 (SwiftShader, 1024²: about 5× the direct kernel and 4×
 *    tfjs-webgpu; workgroup barriers make tiling slow there);
 *  - direct (`mat_mul_direct.wgsl.ts`): the scalar form of vec4, any shape,
 *    the software fallback for unaligned shapes.
 * `matMulConfig.variant` forces one. Batch dims broadcast: when each
 * operand's batch is either full or a single matrix, one dispatch covers every
 * batch (batch stride 0 broadcasts); otherwise one dispatch per output batch,
 * with element offsets in params.
 *
 * fusedMatMul (rank 2, float32) runs the same shaders with a `bias` binding
 * and the epilogue act(acc + bias[col]) applied before the store. Its sources
 * are generated here, at module load, from the matMul ones by `withBiasAct`
 * (string replacement of three marked spots that must each match once, as
 * `instantiate` does for the elementwise shaders): each loop then exists once
 * and cannot drift apart.
 */
import { cellActivationCodes } from '../recurrent/spec.js';
import type { TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import { instantiate, swapOnce } from '../elementwise/webgpu.js';
import type { GpuKernel } from '../webgpu/kernel.js';
import { source } from './mat_mul.wgsl.js';
import { source as directSource } from './mat_mul_direct.wgsl.js';
import { source as vec4Source } from './mat_mul_vec4.wgsl.js';
import type { LaunchOutput, ShaderDef } from '../webgpu/program.js';

const asI32 = (src: string): string => instantiate(src, 'alias T = f32;', {}, 'alias T = i32;');

type Variant = 'tiled' | 'direct' | 'vec4';

export const matMulShaders: Record<Variant, Record<'f32' | 'i32', ShaderDef>> = {
  tiled: {
    f32: { name: 'mat_mul_f32', source },
    i32: { name: 'mat_mul_i32', source: asI32(source) },
  },
  direct: {
    f32: { name: 'mat_mul_direct_f32', source: directSource },
    i32: { name: 'mat_mul_direct_i32', source: asI32(directSource) },
  },
  vec4: {
    f32: { name: 'mat_mul_vec4_f32', source: vec4Source },
    i32: { name: 'mat_mul_vec4_i32', source: asI32(vec4Source) },
  },
};

/**
 * The matMul source with a `bias` binding, `params.act` and the epilogue
 * act(acc + bias[col]) applied at the store (per element, or per vec4 in the
 * vec4 kernel, whose bias binding is then an array of vec4).
 */
function withBiasAct(src: string, vec4: boolean): string {
  const V = vec4 ? 'vec4<T>' : 'T';
  const swaps: [string, string][] = [
    ['  b_cs: u32,\n}', '  b_cs: u32,\n  act: u32,\n}'],
    [
      `@group(0) @binding(2) var<storage, read_write> out: array<${V}>;\n@group(0) @binding(3) var<uniform> params: Params;`,
      `@group(0) @binding(2) var<storage, read> bias: array<${V}>;\n@group(0) @binding(3) var<storage, read_write> out: array<${V}>;\n@group(0) @binding(4) var<uniform> params: Params;`,
    ],
    vec4
      ? ['out[c_base + r * (params.n / 4u) + c4] = v;', 'out[c_base + r * (params.n / 4u) + c4] = epilogue4(v + bias[c4]);']
      : ['out[c_base + r * params.n + c0 + j] = v[j];', 'out[c_base + r * params.n + c0 + j] = epilogue(v[j] + bias[c0 + j]);'],
  ];
  return `${swapOnce(src, 'fusedMatMul', swaps).trimEnd()}\n${biasActEpilogue('T', vec4)}`;
}

/**
 * WGSL of `epilogue(x: t) -> t` (and `epilogue4` for vec4<t>), applying the
 * activation `params.act` (`cellActivationCodes`: linear 0, relu 1, sigmoid 2,
 * tanh 4) to a biased value; shared by fusedMatMul and fusedConv2d. NaN
 * stays NaN as in the CPU kernel, tested on the bits (WGSL lets
 * implementations assume finite floats: SwiftShader's tanh(clamp(NaN)) is -1).
 */
export function biasActEpilogue(t: string, vec4: boolean): string {
  const e4 = `
fn epilogue4(v: vec4<${t}>) -> vec4<${t}> {
  return vec4<${t}>(epilogue(v.x), epilogue(v.y), epilogue(v.z), epilogue(v.w));
}
`;
  return `
fn epilogue(x: ${t}) -> ${t} {
  if ((bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u) { return x; }
  switch params.act {
    case 1u: { return select(x, 0.0, x < 0.0); }
    case 2u: { return 1.0 / (1.0 + exp(-x)); }
    case 4u: { return tanh(clamp(x, -15.0, 15.0)); }
    default: { return x; }
  }
}
${vec4 ? e4 : ''}`;
}

export const fusedMatMulShaders: Record<Variant, ShaderDef> = {
  tiled: { name: 'fused_mat_mul', source: withBiasAct(source, false) },
  direct: { name: 'fused_mat_mul_direct', source: withBiasAct(directSource, false) },
  vec4: { name: 'fused_mat_mul_vec4', source: withBiasAct(vec4Source, true) },
};

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
  const workgroups: [number, number, number] = M === 0 || N === 0 ? [1, 1, 1] : [Math.ceil(N / (overrides.WG_X * 4)), Math.ceil(M / (overrides.WG_Y * 4)), 1];
  return rt.launch({ shader: fusedMatMulShaders[variant], inputs: [a, b, bias], outputs: [{ shape: outShape, dtype: outDtype }], params, overrides, workgroups })[0];
};
