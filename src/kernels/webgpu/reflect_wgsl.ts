/**
 * Build-time reflection: wgsl_reflect turns a shader's source into its
 * `ShaderLayout`. Only scripts/gen_reflection.mjs and tests import this file;
 * the runtime reads the table it produces (reflected.gen.ts), so bundles do not
 * contain wgsl_reflect.
 */
import { WgslReflect } from 'wgsl_reflect';
import type { BindKind, ShaderLayout, Slot } from './layout.js';
import type { ShaderDef } from './program.js';

/** Reflects a shader's bindings and uniform layout with wgsl_reflect, checking the binding conventions of program.ts. */
export function reflectShader(def: ShaderDef): ShaderLayout {
  let r: WgslReflect;
  try {
    r = new WgslReflect(def.source);
  } catch (e) {
    throw new Error(`webgpu: shader '${def.name}' does not parse: ${(e as Error).message}`);
  }
  const groups = r.getBindGroups();
  if (groups.length > 1) throw new Error(`webgpu: shader '${def.name}' uses @group(1+); only @group(0) is allowed`);
  const vars = (groups[0] ?? []).filter((v) => v);
  const bindings: ShaderLayout['bindings'] = [];
  let uniform: ShaderLayout['uniform'];
  for (const v of vars) {
    let kind: BindKind;
    if (v.resourceType === 0) {
      kind = 'uniform';
      if (uniform) throw new Error(`webgpu: shader '${def.name}' declares more than one uniform`);
      const members = new Map<string, Slot[]>();
      for (const m of v.members ?? []) members.set(m.name, slotsOf(def.name, m.name, m.type, m.offset));
      uniform = { binding: v.binding, size: Math.max(16, Math.ceil(v.size / 16) * 16), members };
    } else if (v.resourceType === 1) kind = v.access === 'read_write' ? 'storage' : 'read-only-storage';
    else throw new Error(`webgpu: shader '${def.name}' binding '${v.name}' is not a buffer`);
    bindings.push({ binding: v.binding, name: v.name, kind });
  }
  bindings.sort((a, b) => a.binding - b.binding);
  const numInputs = bindings.filter((b) => b.kind === 'read-only-storage').length;
  const numOutputs = bindings.filter((b) => b.kind === 'storage').length;
  // Convention: inputs, then outputs, then params.
  const order = bindings.map((b) => (b.kind === 'read-only-storage' ? 0 : b.kind === 'storage' ? 1 : 2));
  for (let i = 1; i < order.length; i++) {
    if (order[i] < order[i - 1]) throw new Error(`webgpu: shader '${def.name}' must bind inputs, then outputs, then params`);
  }
  return { name: def.name, bindings, numInputs, numOutputs, uniform };
}

interface TypeLike {
  name: string;
  size: number;
  format?: TypeLike | null;
  count?: number;
  stride?: number;
  isArray?: boolean;
  isStruct?: boolean;
}

function slotsOf(shader: string, member: string, t: TypeLike, offset: number): Slot[] {
  const scalar = (n: string): Slot['type'] | null => (n === 'f32' || n === 'i32' || n === 'u32' ? n : null);
  const s = scalar(t.name);
  if (s) return [{ offset, type: s }];
  if (t.isStruct) throw new Error(`webgpu: shader '${shader}' params.${member}: nested structs are not supported`);
  if (t.isArray && t.format) {
    const out: Slot[] = [];
    const stride = t.stride ?? t.format.size;
    for (let i = 0; i < (t.count ?? 0); i++) out.push(...slotsOf(shader, member, t.format, offset + i * stride));
    return out;
  }
  const m = /^vec([234])([fiu])?$/.exec(t.name);
  if (m) {
    const inner = t.format?.name ?? ({ f: 'f32', i: 'i32', u: 'u32' } as Record<string, string>)[m[2] ?? ''];
    const ty = scalar(inner ?? '');
    if (ty) return Array.from({ length: Number(m[1]) }, (_, i) => ({ offset: offset + 4 * i, type: ty }));
  }
  throw new Error(`webgpu: shader '${shader}' params.${member} has unsupported type ${t.name}`);
}

/**
 * Every shader definition (`{ name, source }`) reachable from `modules`'
 * exports (objects, arrays and Maps, a few levels deep), once each by name;
 * throws when two different sources share a name.
 */
export function collectShaders(modules: readonly object[]): ShaderDef[] {
  const found = new Map<string, ShaderDef>();
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 4) return;
    seen.add(v);
    const d = v as Partial<ShaderDef>;
    if (typeof d.name === 'string' && typeof d.source === 'string') {
      const prev = found.get(d.name);
      if (prev && prev.source !== d.source) throw new Error(`collectShaders: two different shaders are named '${d.name}'`);
      found.set(d.name, v as ShaderDef);
      return;
    }
    const values = v instanceof Map ? [...v.values()] : Array.isArray(v) ? v : Object.values(v);
    for (const x of values) visit(x, depth + 1);
  };
  for (const m of modules) visit(m, 0);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
