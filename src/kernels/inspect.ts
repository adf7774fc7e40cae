/** Kernel inspection for the curious: which ops exist and which backends implement them. */
import { cpuKernels } from './cpu/kernels.js';
import type { OpName } from './op_names.js';
import { opNames } from './op_names.js';

/** Extra backends that register kernel tables here (the WebGPU backend does). */
const tables = new Map<string, { has(op: OpName): boolean; source?(op: OpName): string | undefined }>();

/** @internal Lets a backend announce its kernels. */
export function registerKernelTable(backend: string, table: { has(op: OpName): boolean; source?(op: OpName): string | undefined }): void {
  tables.set(backend, table);
}

/** Every primitive kernel and the backends that have it. */
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
