/**
 * Generic unary and binary elementwise kernels built from the rows of
 * `elementwise/table.ts`. Each op's shader is composed by concatenation (no
 * text is edited): the `alias` lines of its element types, the shared parts
 * of `unary.wgsl.ts` / `binary.wgsl.ts`, its `fn op` made from the table
 * row's WGSL expression (the table stays the single source of it), and a
 * main.
 *
 * Each op also gets a vec4 shader, the same parts with the vec4 main: each
 * thread loads, computes and stores four consecutive elements as one vec4,
 * with no per-element index math. It runs when the element count is a multiple of 4 and, for binary
 * ops, each operand is either the whole output or repeats along it (a bias
 * [n] added to [m, n]) with a length that is a multiple of 4; otherwise
 * (scalars, other broadcasts, odd sizes) the scalar shader runs.
 * `elementwiseConfig.vec4 = false` forces the scalar shaders.
 */
import type { BinaryOp, UnaryOp } from './table.js';
import { binaryOps, unaryOps } from './table.js';
import type { OpName } from '../op_names.js';
import type { DType, TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import * as binaryParts from './binary.wgsl.js';
import { main as castMain } from './cast.wgsl.js';
import { main as whereMain } from './where.wgsl.js';
import { outCoords, perElement } from '../webgpu/element.wgsl.js';
import type { GpuKernel, GpuKernelOf } from '../webgpu/kernel.js';
import { checkRank8, groups, launchOne } from '../webgpu/kernel.js';
import type { ShaderDef } from '../webgpu/program.js';
import { composeShader } from '../webgpu/program.js';
import * as unaryParts from './unary.wgsl.js';

type WType = 'f32' | 'i32';

/** Float literals `1.0` become `1` for i32 shaders. */
function intLiterals(expr: string): string {
  return expr.replace(/(\d)\.0\b/g, '$1');
}

function wtype(d: DType): WType {
  return d === 'float32' ? 'f32' : 'i32';
}

/** Whether contiguous, aligned elementwise launches use the vec4 shaders (tests force both). */
export const elementwiseConfig = { vec4: true };

/** The shaders generated so far, by name (each is generated once, on first use). */
const generated = new Map<string, ShaderDef>();

function cached(name: string, parts: () => string[]): ShaderDef {
  let s = generated.get(name);
  if (!s) {
    s = composeShader(name, parts());
    generated.set(name, s);
  }
  return s;
}

export function unaryShader(op: UnaryOp, t: WType, vec4 = false): ShaderDef {
  return cached(`unary_${op}_${t}${vec4 ? '_vec4' : ''}`, () => {
    const row = unaryOps[op] as { wgsl: string; wgslInt?: string };
    const expr = t === 'i32' ? (row.wgslInt ?? intLiterals(row.wgsl)) : row.wgsl;
    const opFn = `fn op(x: T, alpha: T, beta: T) -> T {\n  return ${expr};\n}`;
    const main = vec4 ? [unaryParts.main4] : [unaryParts.main, perElement];
    return [`alias T = ${t};`, unaryParts.params, unaryParts.library, opFn, ...main];
  });
}

export function binaryShader(op: BinaryOp, t: WType, vec4 = false): ShaderDef {
  return cached(`binary_${op}_${t}${vec4 ? '_vec4' : ''}`, () => {
    const row = binaryOps[op] as { kind: string; wgsl: string; wgslInt?: string };
    let expr = t === 'i32' ? (row.wgslInt ?? intLiterals(row.wgsl)) : row.wgsl;
    const boolOut = row.kind === 'compare' || row.kind === 'logical';
    if (boolOut) expr = `select(0, 1, ${expr})`;
    const opFn = `fn op(a: T, b: T) -> U {\n  return ${expr};\n}`;
    const main = vec4 ? [binaryParts.main4] : [binaryParts.main, outCoords, perElement];
    return [`alias T = ${t};\nalias U = ${boolOut ? 'i32' : t};`, binaryParts.library, opFn, ...main];
  });
}

/** Every generated shader (each op's scalar and vec4 variants of each dtype it takes), by name: what the build reflects and tests compile. */
export const elementwiseShaders: ReadonlyMap<string, ShaderDef> = /* @__PURE__ */ allVariants();

function allVariants(): Map<string, ShaderDef> {
  for (const op of Object.keys(unaryOps) as UnaryOp[]) {
    const d = unaryOps[op].dtypes;
    for (const v of [false, true]) {
      if (d !== 'bool') unaryShader(op, 'f32', v);
      if (d !== 'float') unaryShader(op, 'i32', v);
    }
  }
  for (const op of Object.keys(binaryOps) as BinaryOp[]) {
    const k = binaryOps[op].kind;
    for (const v of [false, true]) {
      if (k !== 'logical') binaryShader(op, 'f32', v);
      if (k !== 'float') binaryShader(op, 'i32', v);
    }
  }
  return new Map(generated);
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

/**
 * The length after which `shape`'s elements repeat along `out` when `shape`
 * broadcasts only over leading dims (after dropping its leading 1s it is a
 * suffix of `out`): its size. null when it broadcasts any other way (along
 * inner dims), which the vec4 shader cannot index.
 */
function repeatLength(shape: readonly number[], out: readonly number[]): number | null {
  let lead = 0;
  while (lead < shape.length && shape[lead] === 1) lead++;
  const own = shape.slice(lead);
  const tail = out.slice(out.length - own.length);
  return own.every((d, i) => d === tail[i]) ? sizeOf(own) : null;
}

function checkRank(op: string, shape: readonly number[]): void {
  if (shape.length > 8) throw new Error(`webgpu: ${op} supports rank <= 8, got rank ${shape.length}`);
}

export function unaryKernel(op: UnaryOp): GpuKernel<UnaryOp> {
  return (rt, inputs, attrs, outShape, outDtype) => {
    const x = inputs[0];
    const size = sizeOf(outShape);
    const vec4 = elementwiseConfig.vec4 && size % 4 === 0 && size > 0;
    const [id] = rt.launch({
      shader: unaryShader(op, wtype(x.dtype), vec4),
      inputs: [x],
      outputs: [{ shape: outShape, dtype: outDtype }],
      params: { size, alpha: attrs.alpha ?? 0, beta: attrs.beta ?? 0 },
      workgroups: [groups(vec4 ? size / 4 : size)],
    });
    return id;
  };
}

export function binaryKernel(op: BinaryOp): GpuKernel<BinaryOp> {
  return (rt, inputs, _attrs, outShape, outDtype) => {
    const [a, b] = inputs as [TensorInfo, TensorInfo];
    checkRank(op, outShape);
    const size = sizeOf(outShape);
    const aLen = repeatLength(a.shape, outShape);
    const bLen = repeatLength(b.shape, outShape);
    if (elementwiseConfig.vec4 && size > 0 && aLen !== null && bLen !== null && aLen % 4 === 0 && bLen % 4 === 0) {
      return rt.launch({
        shader: binaryShader(op, wtype(a.dtype), true),
        inputs: [a, b],
        outputs: [{ shape: outShape, dtype: outDtype }],
        params: { size, a_len: aLen / 4, b_len: bLen / 4 },
        workgroups: [groups(size / 4)],
      })[0];
    }
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

/** cast's shader (mode: 0 copy, 1 f32→i32, 2 i32/bool→f32, 3 f32→bool, 4 i32→bool). */
export const castShader: ShaderDef = composeShader('cast', [castMain, perElement]);
/** where's shader (broadcast condition and operands, strided like the binary ops). */
export const whereShader: ShaderDef = composeShader('where', [whereMain, outCoords, perElement]);

const cast: GpuKernel<'cast'> = (rt, [x], attrs, outShape, outDtype) => {
  const from = x.dtype;
  const to = outDtype;
  let mode = 0;
  if (to === 'bool') mode = from === 'float32' ? 3 : 4;
  else if (to === 'int32' && from === 'float32') mode = 1;
  else if (to === 'float32' && from !== 'float32') mode = 2;
  const size = sizeOf(outShape);
  return launchOne(rt, castShader, [x], outShape, outDtype, { size, mode }, groups(size));
};

const where: GpuKernel<'where'> = (rt, [c, a, b], _attrs, outShape, outDtype) => {
  checkRank8('where', outShape);
  const size = sizeOf(outShape);
  return launchOne(rt, whereShader, [c, a, b], outShape, outDtype, {
    size,
    rank: outShape.length,
    out_shape: outShape,
    c_strides: broadcastStrides(c.shape, outShape),
    a_strides: broadcastStrides(a.shape, outShape),
    b_strides: broadcastStrides(b.shape, outShape),
  }, groups(size));
};

/** The WebGPU elementwise kernels: every unary and binary op of the table, cast and where. */
export const elementwiseKernels = {
  cast,
  where,
  ...Object.fromEntries((Object.keys(unaryOps) as UnaryOp[]).map((op) => [op, unaryKernel(op)])),
  ...Object.fromEntries((Object.keys(binaryOps) as BinaryOp[]).map((op) => [op, binaryKernel(op)])),
} as Partial<{ [K in OpName]: GpuKernelOf<K> }>;
