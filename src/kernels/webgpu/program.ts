/**
 * The contract between WebGPU kernel files and the WebGPU runtime.
 *
 * A shader file `src/kernels/<family>/<shader>.wgsl.ts` exports its WGSL as
 * `export const source = wgsl\`...\``, or parts of it (each a `wgsl` text)
 * that the family's `webgpu.ts` joins with `composeShader` (or, for the GEMM
 * shaders, `composeGemm`). A shader's bindings are all in `@group(0)`:
 * the inputs first (`var<storage, read>`), in the order the launch lists them,
 * then the outputs (`var<storage, read_write>`), then at most one
 * `var<uniform> params: Params`. The build reflects every source with
 * `wgsl_reflect` (scripts/gen_reflection.mjs → reflected.gen.ts); the runtime
 * reads that table to build the bind group layout, to check that a launch binds
 * exactly what the shader declares, and to pack `params` from the reflected
 * member offsets (never padded by hand). Tile and workgroup sizes are WGSL
 * `override` constants set through `overrides`.
 *
 * A kernel's TypeScript side (`<op>.ts`) turns (inputs, attrs, output shape)
 * into one or more `Launch`es and hands them to `GpuRuntime.launch`, which
 * records them into the current command encoder (no submit, no readback).
 */
import type { DType, TensorInfo } from '../types.js';

/** Identity tag for WGSL sources (editor highlighting; tests find every shader by it). */
export function wgsl(strings: TemplateStringsArray): string {
  if (strings.length !== 1) throw new Error('wgsl: sources take no ${} interpolation; use override constants or params');
  return strings[0];
}


/** How a binding is bound: read-only storage (an input), storage (an output) or the params uniform. */
export type BindKind = 'read-only-storage' | 'storage' | 'uniform';

/** One 4-byte scalar of the params uniform: its byte offset and WGSL type. */
export interface Slot {
  offset: number;
  type: 'f32' | 'i32' | 'u32';
}

/** A shader's bindings (in binding order: inputs, outputs, params) and its params layout. */
export interface ShaderLayout {
  name: string;
  bindings: { binding: number; name: string; kind: BindKind }[];
  numInputs: number;
  numOutputs: number;
  uniform?: { binding: number; size: number; members: Map<string, Slot[]> };
}

/** A WGSL shader: a unique name (pipeline cache key with the overrides) and its text. */
export interface ShaderDef {
  readonly name: string;
  readonly source: string;
  /** Entry point, default 'main'. */
  readonly entryPoint?: string;
  /** Its layout, for a shader outside the build-time table (a kernel-lab variant). */
  readonly layout?: ShaderLayout;
}

/**
 * An output buffer a launch writes: a new tensor of this shape/dtype, an
 * existing handle (in-place/multi-pass), or a runtime-owned buffer that is no
 * tensor (`raw`: the index-check flags; `launch` returns no handle for it).
 */
export type LaunchOutput =
  | { readonly shape: readonly number[]; readonly dtype: DType }
  | { readonly info: TensorInfo }
  | { readonly raw: GPUBuffer };

/** One compute dispatch. */
export interface Launch {
  readonly shader: ShaderDef;
  /** Bound in order to the shader's read-only storage bindings. */
  readonly inputs: readonly TensorInfo[];
  /** Bound in order to the shader's read_write storage bindings. */
  readonly outputs: readonly LaunchOutput[];
  /** Uniform values by `Params` member name (scalars, or arrays / vecN as number[]); i32/u32/f32 per the reflected type. */
  readonly params?: Readonly<Record<string, number | readonly number[]>>;
  /** Values for the shader's `override` constants (part of the pipeline cache key). */
  readonly overrides?: Readonly<Record<string, number>>;
  /**
   * Workgroup counts. The runtime folds an x count over the device's
   * maxComputeWorkgroupsPerDimension into (x, y); shaders that use 1-D
   * indexing must compute their flat id as `gid.x + gid.y * (nwg.x * WG)`
   * using `@builtin(num_workgroups)`.
   */
  readonly workgroups: readonly [number, number?, number?];
}

/** Top-level names a WGSL text declares (fn, struct, alias, var, const, override), comments stripped. */
function topLevelNames(text: string): string[] {
  const t = text.replace(/\/\/[^\n]*/g, '');
  return [...t.matchAll(/^(?:@[^\n]*?\s)?(?:fn|struct|alias|var(?:<[^>]*>)?|const|override)\s+([A-Za-z_]\w*)/gm)].map((m) => m[1]);
}

/**
 * A shader composed by concatenating WGSL parts in order (each a whole
 * `wgsl` text: aliases, structs, helper functions, bindings and main), with
 * no text edited. Throws naming the shader when a part is empty or two parts
 * declare the same top-level name, so a wrong composition fails at module
 * load rather than when a device compiles it.
 */
export function composeShader(name: string, parts: readonly string[]): ShaderDef {
  const owner = new Map<string, number>();
  parts.forEach((p, i) => {
    if (p.trim() === '') throw new Error(`composeShader: shader '${name}': part ${i} is empty`);
    for (const n of topLevelNames(p)) {
      const prev = owner.get(n);
      if (prev !== undefined) throw new Error(`composeShader: shader '${name}': '${n}' is declared in parts ${prev} and ${i}`);
      owner.set(n, i);
    }
  });
  return { name, source: parts.map((p) => p.trim()).join('\n\n') + '\n' };
}
