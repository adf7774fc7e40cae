/** Kernel inspection for the curious: which ops exist and which backends implement them. */
import { cpuKernels } from './cpu/kernels.js';
import type { OpName } from './op_names.js';
import { opNames } from './op_names.js';
import { shaderLayout } from './webgpu/layout.js';
import { shadersOf, webgpuTable } from './webgpu/sources.js';
import { JS_FALLBACK } from './wasm/fallbacks.js';

/** The wasm backend's own kernels: every op except its listed JavaScript fallbacks (reshape is a view everywhere). */
const wasmTable = { has: (op: OpName): boolean => !(op in JS_FALLBACK) || op === 'reshape' };

/** Extra backends that register kernel tables here (the WebGPU backend does). */
const tables = new Map<string, { has(op: OpName): boolean; source?(op: OpName): string | undefined }>([
  ['webgpu', webgpuTable],
  ['wasm', wasmTable],
]);

/** @internal Lets a backend announce its kernels. */
export function registerKernelTable(backend: string, table: { has(op: OpName): boolean; source?(op: OpName): string | undefined }): void {
  tables.set(backend, table);
}

/** Every primitive kernel and the backends that have it ('wasm' where the wasm backend has its own kernel, not a JavaScript fallback). */
export function list(): { name: OpName; backends: string[] }[] {
  return opNames.map((name) => ({
    name,
    backends: [...(name in cpuKernels ? ['cpu'] : []), ...[...tables.entries()].filter(([, t]) => t.has(name)).map(([b]) => b)],
  }));
}

/** The WGSL source of a kernel, when a GPU backend has one. */
export function source(name: OpName): string | undefined {
  for (const t of tables.values()) {
    const s = t.source?.(name);
    if (s) return s;
  }
  return undefined;
}

/**
 * The bindings of each WGSL shader `name` runs, as reflected from its source
 * by wgsl_reflect at build time (reflected.gen.ts): `[{ shader, bindings: [{ binding, name, kind }] }]`.
 * @example sg.kernels.bindings('matMul')[0].bindings.map((b) => b.name) // ['a', 'b', 'out', 'params']
 */
export function bindings(name: OpName): { shader: string; bindings: { binding: number; name: string; kind: string }[] }[] {
  return shadersOf(name).map((s) => ({
    shader: s.name,
    bindings: shaderLayout(s).bindings.map((b) => ({ binding: b.binding, name: b.name, kind: b.kind })),
  }));
}
