/**
 * composeGemm: builds a WebGPU GEMM shader (matMul, fusedMatMul and the three
 * conv ops) by concatenating typed WGSL parts, with no string replacement.
 *
 * A core (`gemm_tiled.wgsl.ts`, `gemm_direct.wgsl.ts`, `gemm_vec4.wgsl.ts`)
 * holds the loop over C = A·B, each thread a 4×4 register block, and calls
 * named slot functions it does not define; WGSL resolves a function declared
 * anywhere in the module, so the op's parts can simply follow it:
 *  - dims: `gemm_dims() -> GemmDims` (M, N, K as k_outer × k_inner, and the
 *    element offset of C);
 *  - loadA: `gemm_a_rows(batch, r0)` once per thread (whatever rows r0..r0+3
 *    need that does not depend on k), `gemm_a_cursor(rows, ko)` once per outer
 *    K step, then `gemm_a_col(cursor, ki) -> vec4<T>` (A[r0..r0+3, k], tiled
 *    and direct cores) or `gemm_a_block(cursor, ki4) -> array<vec4<T>, 4>`
 *    (rows r0..r0+3 over k = 4·ki4..4·ki4+3, vec4 core);
 *  - loadB: `gemm_b_cols` / `gemm_b_cursor` / `gemm_b_row` (B[k, c0..c0+3]) or
 *    `gemm_b_block` (B's rows 4·ki4..4·ki4+3 over c0..c0+3), the same way;
 *  - epilogue: `gemm_epilogue(c0, v) -> vec4<T>`, applied to each stored row
 *    of the block (identity, or bias + activation).
 * Splitting K into k_outer × k_inner lets a loader find its gather index
 * once per outer step (conv2d: per filter row, conv2dBackpropInput: per tap,
 * conv2dBackpropFilter: per output row) and a matMul use k_outer = 1.
 * Rows past M and columns past N may hold anything a loader finds convenient
 * (clamped reads): the core never stores them.
 *
 * composeGemm owns the module's declarations, so the binding order the
 * runtime expects cannot drift: `alias T`, `struct GemmDims`, `struct Params`
 * (u32 fields), the inputs in spec order, `out`, then `params`. It checks that
 * each slot the core calls is defined exactly once, in the part it belongs
 * to, that no part defines a `gemm_` function the core does not call or a
 * name another part defines, and that no part declares bindings or Params.
 */
import type { ShaderDef } from '../webgpu/program.js';
import { source as directCore } from './gemm_direct.wgsl.js';
import { source as tiledCore } from './gemm_tiled.wgsl.js';
import { source as vec4Core } from './gemm_vec4.wgsl.js';

/** The loop variants: workgroup-memory tiles (hardware GPUs), direct 4×4 blocks one k at a time, or 4 k's per step with vec4 loads (software adapters). */
export type GemmCore = 'tiled' | 'direct' | 'vec4';

/** A read-only storage binding, in spec order; `vec4` binds it as array<vec4<T>> (4 consecutive elements per index). */
export interface GemmInput {
  readonly name: string;
  readonly vec4?: boolean;
}

/** WGSL text of one slot group: one part, or several concatenated in order. */
export type GemmPart = string | readonly string[];

/** Everything composeGemm needs for one shader. */
export interface GemmSpec {
  /** Shader name (reflection table and pipeline cache key). */
  readonly name: string;
  readonly core: GemmCore;
  /** Element type `T` of A, B and C. */
  readonly elem: 'f32' | 'i32';
  readonly inputs: readonly GemmInput[];
  /** Members of `struct Params`, all u32, in order. */
  readonly params: readonly string[];
  readonly dims: GemmPart;
  readonly loadA: GemmPart;
  readonly loadB: GemmPart;
  readonly epilogue: GemmPart;
}

const CORES: Record<GemmCore, string> = { tiled: tiledCore, direct: directCore, vec4: vec4Core };

/** The slot group a slot name belongs to. */
function groupOf(slot: string): 'dims' | 'loadA' | 'loadB' | 'epilogue' | undefined {
  if (slot === 'gemm_dims') return 'dims';
  if (slot === 'gemm_epilogue') return 'epilogue';
  if (slot.startsWith('gemm_a_')) return 'loadA';
  if (slot.startsWith('gemm_b_')) return 'loadB';
  return undefined;
}

/** Names of the functions a WGSL text declares (comments stripped). */
function declaredFns(text: string): string[] {
  return [...text.replace(/\/\/[^\n]*/g, '').matchAll(/\bfn\s+([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]);
}

/** The `gemm_*` functions a core calls but does not declare: its slots. */
export function coreSlots(core: GemmCore): string[] {
  const src = CORES[core].replace(/\/\/[^\n]*/g, '');
  const own = new Set(declaredFns(src));
  return [...new Set([...src.matchAll(/\b(gemm_\w+)\s*\(/g)].map((m) => m[1]))].filter((f) => !own.has(f)).sort();
}

const join = (p: GemmPart): string => (typeof p === 'string' ? [p] : p).map((t) => t.trim()).filter(Boolean).join('\n\n');

/** Composes a GEMM shader from a core and the op's parts (see the file header); throws naming the shader when a slot is missing, duplicated or misplaced. */
export function composeGemm(spec: GemmSpec): ShaderDef {
  const err = (msg: string): Error => new Error(`composeGemm: shader '${spec.name}': ${msg}`);
  const core = CORES[spec.core];
  const slots = coreSlots(spec.core);
  const groups = ['dims', 'loadA', 'loadB', 'epilogue'] as const;
  const owner = new Map<string, string>(declaredFns(core).map((f) => [f, 'the core']));
  for (const g of groups) {
    const text = join(spec[g]).replace(/\/\/[^\n]*/g, '');
    const bad = /@binding|\bstruct\s+(Params|GemmDims)\b|\balias\s+T\b|\bvar\s*<\s*(storage|uniform)/.exec(text);
    if (bad) throw err(`${g} declares '${bad[0]}'; bindings, Params, GemmDims and T come from composeGemm`);
    for (const f of declaredFns(text)) {
      const prev = owner.get(f);
      if (prev !== undefined) throw err(`${f} is defined twice (in ${prev} and in ${g})`);
      owner.set(f, g);
      if (!f.startsWith('gemm_')) continue;
      if (!slots.includes(f)) throw err(`${g} defines ${f}, which is not a slot of the ${spec.core} core (${slots.join(', ')})`);
      if (groupOf(f) !== g) throw err(`${f} belongs in ${groupOf(f)}, not ${g}`);
    }
  }
  const missing = slots.filter((s) => !owner.has(s));
  if (missing.length > 0) throw err(`missing slot${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of the ${spec.core} core`);
  const outVec4 = spec.core === 'vec4';
  const arr = (vec4: boolean | undefined): string => (vec4 ? 'array<vec4<T>>' : 'array<T>');
  const n = spec.inputs.length;
  const header = [
    `alias T = ${spec.elem};`,
    '',
    '// C[m, n] (batch b) is out[c_off + (b·m + row)·n + col]; K = k_outer·k_inner.',
    'struct GemmDims {\n  m: u32,\n  n: u32,\n  k_outer: u32,\n  k_inner: u32,\n  c_off: u32,\n}',
    '',
    `struct Params {\n${spec.params.map((p) => `  ${p}: u32,\n`).join('')}}`,
    '',
    ...spec.inputs.map((b, i) => `@group(0) @binding(${i}) var<storage, read> ${b.name}: ${arr(b.vec4)};`),
    `@group(0) @binding(${n}) var<storage, read_write> out: ${arr(outVec4)};`,
    `@group(0) @binding(${n + 1}) var<uniform> params: Params;`,
  ].join('\n');
  const source = [`// composeGemm: the ${spec.core} GEMM core (matmul/gemm_${spec.core}.wgsl.ts), then the op's slots`, header, core.trim(), ...groups.map((g) => `// slots: ${g}\n${join(spec[g])}`)].join('\n\n');
  return { name: spec.name, source: `${source}\n` };
}
