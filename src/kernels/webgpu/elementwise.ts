/**
 * Generic unary and binary elementwise kernels built from the rows of
 * `elementwise/table.ts`. WGSL sources take no `${}` interpolation, so the
 * per-op shaders are generated once, at module load, from the templates in
 * `unary.wgsl.ts` / `binary.wgsl.ts` by `instantiate` (plain string
 * replacement of two marked spots); the table stays the single source of each
 * op's expression.
 */
import type { BinaryOp, UnaryOp } from '../elementwise/table.js';
import { binaryOps, unaryOps } from '../elementwise/table.js';
import type { OpName } from '../op_names.js';
import type { DType, TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import { source as binarySrc } from './binary.wgsl.js';
import type { GpuKernel } from './kernel.js';
import { groups } from './kernel.js';
import type { ShaderDef } from './program.js';
import { source as unarySrc } from './unary.wgsl.js';

type WType = 'f32' | 'i32';

/** Float literals `1.0` become `1` for i32 shaders. */
function intLiterals(expr: string): string {
  return expr.replace(/(\d)\.0\b/g, '$1');
}

/** Fills a template: element types and the op body. */
export function instantiate(template: string, marker: string, types: Record<string, WType>, expr: string): string {
  let s = template;
  for (const [alias, t] of Object.entries(types)) s = s.replace(`alias ${alias} = f32;`, `alias ${alias} = ${t};`);
  if (!s.includes(marker)) throw new Error(`elementwise: template lacks ${marker}`);
  return s.replace(marker, expr);
}

function wtype(d: DType): WType {
  return d === 'float32' ? 'f32' : 'i32';
}

/** Every generated shader, by name (tests reflect and compile them all). */
export const elementwiseShaders = new Map<string, ShaderDef>();

export function unaryShader(op: UnaryOp, t: WType): ShaderDef {
  const name = `unary_${op}_${t}`;
  let s = elementwiseShaders.get(name);
  if (!s) {
    const row = unaryOps[op];
    const expr = t === 'i32' ? intLiterals(row.wgsl) : row.wgsl;
    s = { name, source: instantiate(unarySrc, '/*EXPR*/x', { T: t }, expr) };
    elementwiseShaders.set(name, s);
  }
  return s;
}

export function binaryShader(op: BinaryOp, t: WType): ShaderDef {
  const name = `binary_${op}_${t}`;
  let s = elementwiseShaders.get(name);
  if (!s) {
    const row = binaryOps[op] as { kind: string; wgsl: string; wgslInt?: string };
    let expr = t === 'i32' ? (row.wgslInt ?? intLiterals(row.wgsl)) : row.wgsl;
    const boolOut = row.kind === 'compare' || row.kind === 'logical';
    if (boolOut) expr = `select(0, 1, ${expr})`;
    s = { name, source: instantiate(binarySrc, '/*EXPR*/a', { T: t, U: boolOut ? 'i32' : t }, expr) };
    elementwiseShaders.set(name, s);
  }
  return s;
}

// Generate every variant at load so that tests see them all.
for (const op of Object.keys(unaryOps) as UnaryOp[]) {
  const d = unaryOps[op].dtypes;
  if (d !== 'bool') unaryShader(op, 'f32');
  if (d !== 'float') unaryShader(op, 'i32');
}
for (const op of Object.keys(binaryOps) as BinaryOp[]) {
  const k = binaryOps[op].kind;
  if (k !== 'logical') binaryShader(op, 'f32');
  if (k !== 'float') binaryShader(op, 'i32');
}

/** Broadcast strides of `shape` against `out` (right-aligned; 0 on broadcast dims). */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const r = out.length;
  const st = new Array<number>(r).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = r - shape.length + i;
    st[o] = shape[i] === 1 && out[o] !== 1 ? 0 : acc;
    acc *= shape[i];
  }
  return st;
}

function checkRank(op: string, shape: readonly number[]): void {
  if (shape.length > 8) throw new Error(`webgpu: ${op} supports rank <= 8, got rank ${shape.length}`);
}

export function unaryKernel(op: UnaryOp): GpuKernel<UnaryOp> {
  return (rt, inputs, attrs, outShape, outDtype) => {
    const x = inputs[0];
    const size = sizeOf(outShape);
    const [id] = rt.launch({
      shader: unaryShader(op, wtype(x.dtype)),
      inputs: [x],
      outputs: [{ shape: outShape, dtype: outDtype }],
      params: { size, alpha: attrs.alpha ?? 0, beta: attrs.beta ?? 0 },
      workgroups: [groups(size)],
    });
    return id;
  };
}

export function binaryKernel(op: BinaryOp): GpuKernel<BinaryOp> {
  return (rt, inputs, _attrs, outShape, outDtype) => {
    const [a, b] = inputs as [TensorInfo, TensorInfo];
    checkRank(op, outShape);
    const size = sizeOf(outShape);
    const [id] = rt.launch({
      shader: binaryShader(op, wtype(a.dtype)),
      inputs: [a, b],
      outputs: [{ shape: outShape, dtype: outDtype }],
      params: {
        size,
        rank: outShape.length,
        out_shape: outShape,
        a_strides: broadcastStrides(a.shape, outShape),
        b_strides: broadcastStrides(b.shape, outShape),
      },
      workgroups: [groups(size)],
    });
    return id;
  };
}

export const elementwiseKernels = {
  ...Object.fromEntries((Object.keys(unaryOps) as UnaryOp[]).map((op) => [op, unaryKernel(op)])),
  ...Object.fromEntries((Object.keys(binaryOps) as BinaryOp[]).map((op) => [op, binaryKernel(op)])),
} as Partial<{ [K in OpName]: GpuKernel<K> }>;
