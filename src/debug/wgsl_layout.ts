/**
 * A small WGSL binding reader for the kernel lab: the `@group(0)` buffer
 * bindings of a pasted shader and the byte layout of its `params` uniform
 * (WGSL's alignment rules for scalars, vectors and arrays). Built-in shaders
 * are reflected with wgsl_reflect at build time instead; a test checks that
 * both agree on every built-in shader. It reads declarations only: the shader
 * compiler reports errors in function bodies when the variant is compiled.
 */
import type { BindKind, ShaderLayout, Slot } from '../kernels/webgpu/layout.js';

type Scalar = Slot['type'];
interface Ty {
  size: number;
  align: number;
  /** Scalar slots relative to the value's start. */
  slots: Slot[];
}

function stripComments(src: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    if (depth === 0 && src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      out += '\n';
    } else if (src.startsWith('/*', i)) {
      depth++;
      i++;
    } else if (depth > 0 && src.startsWith('*/', i)) {
      depth--;
      i++;
    } else if (depth === 0) out += src[i];
  }
  if (depth > 0) throw new Error('unterminated /* comment');
  return out;
}

/** Struct members: `struct`'s body split at commas outside `<…>`. */
function splitTopLevel(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of body) {
    if (c === '<') depth++;
    else if (c === '>') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** The layout of `source`'s bindings and params, or an error naming `name` and what is wrong. */
export function parseShaderLayout(name: string, source: string): ShaderLayout {
  const fail = (msg: string): never => {
    throw new Error(`webgpu: shader '${name}' ${msg}`);
  };
  let src: string;
  try {
    src = stripComments(source);
  } catch (e) {
    return fail(`does not parse: ${(e as Error).message}`);
  }
  for (const [open, close] of [['{', '}'], ['(', ')'], ['[', ']']]) {
    let depth = 0;
    for (const c of src) {
      if (c === open) depth++;
      else if (c === close && --depth < 0) break;
    }
    if (depth !== 0) fail(`does not parse: unbalanced '${open}${close}'`);
  }
  const consts = new Map<string, number>();
  for (const m of src.matchAll(/\bconst\s+(\w+)\s*(?::\s*\w+\s*)?=\s*(\d+)[iu]?\s*;/g)) consts.set(m[1], Number(m[2]));
  const structs = new Map<string, string>();
  for (const m of src.matchAll(/\bstruct\s+(\w+)\s*\{([^}]*)\}/g)) structs.set(m[1], m[2]);

  const typeOf = (member: string, t: string): Ty => {
    t = t.replace(/\s+/g, '');
    const scalar = /^(f32|i32|u32)$/.exec(t);
    if (scalar) return { size: 4, align: 4, slots: [{ offset: 0, type: scalar[1] as Scalar }] };
    const vec = /^vec([234])(?:<(f32|i32|u32)>|([fiu]))$/.exec(t);
    if (vec) {
      const n = Number(vec[1]);
      const type = (vec[2] ?? `${vec[3]}32`) as Scalar;
      return { size: 4 * n, align: n === 2 ? 8 : 16, slots: Array.from({ length: n }, (_, i) => ({ offset: 4 * i, type })) };
    }
    const arr = /^array<(.+),(\w+)>$/.exec(t);
    if (arr) {
      const e = typeOf(member, arr[1]);
      const count = /^\d+[iu]?$/.test(arr[2]) ? parseInt(arr[2], 10) : consts.get(arr[2]);
      if (count === undefined) fail(`params.${member}: array size '${arr[2]}' is not a constant`);
      const stride = Math.ceil(e.size / e.align) * e.align;
      const slots: Slot[] = [];
      for (let i = 0; i < count!; i++) for (const s of e.slots) slots.push({ offset: i * stride + s.offset, type: s.type });
      return { size: stride * count!, align: e.align, slots };
    }
    if (structs.has(t)) return fail(`params.${member}: nested structs are not supported`);
    return fail(`params.${member} has unsupported type ${t}`);
  };

  const bindings: ShaderLayout['bindings'] = [];
  let uniform: ShaderLayout['uniform'];
  const declRe = /((?:@\w+\s*(?:\([^)]*\))?\s*)+)var\s*(?:<([^>]*)>)?\s*(\w+)\s*:\s*([^;]+);/g;
  for (const m of src.matchAll(declRe)) {
    const attrs = m[1];
    const binding = /@binding\s*\(\s*(\d+)[iu]?\s*\)/.exec(attrs);
    const group = /@group\s*\(\s*(\d+)[iu]?\s*\)/.exec(attrs);
    if (!binding || !group) continue;
    if (group[1] !== '0') fail('uses @group(1+); only @group(0) is allowed');
    const space = (m[2] ?? '').split(',').map((s) => s.trim());
    const v = m[3];
    let kind: BindKind;
    if (space[0] === 'uniform') {
      kind = 'uniform';
      if (uniform) fail('declares more than one uniform');
      const struct = structs.get(m[4].trim());
      if (struct === undefined) return fail(`binding '${v}': uniform type '${m[4].trim()}' is not a struct`);
      const members = new Map<string, Slot[]>();
      let offset = 0;
      let align = 4;
      for (const field of splitTopLevel(struct)) {
        const f = /^(\w+)\s*:\s*(.+)$/.exec(field);
        if (!f) return fail(`does not parse: struct member '${field}'`);
        const t = typeOf(f[1], f[2]);
        offset = Math.ceil(offset / t.align) * t.align;
        members.set(f[1], t.slots.map((s) => ({ offset: offset + s.offset, type: s.type })));
        offset += t.size;
        align = Math.max(align, t.align);
      }
      const size = Math.ceil(offset / align) * align;
      uniform = { binding: Number(binding[1]), size: Math.max(16, Math.ceil(size / 16) * 16), members };
    } else if (space[0] === 'storage') kind = space[1] === 'read_write' ? 'storage' : 'read-only-storage';
    else return fail(`binding '${v}' is not a buffer`);
    bindings.push({ binding: Number(binding[1]), name: v, kind });
  }
  bindings.sort((a, b) => a.binding - b.binding);
  const order = bindings.map((b) => (b.kind === 'read-only-storage' ? 0 : b.kind === 'storage' ? 1 : 2));
  for (let i = 1; i < order.length; i++) if (order[i] < order[i - 1]) fail('must bind inputs, then outputs, then params');
  return {
    name,
    bindings,
    numInputs: bindings.filter((b) => b.kind === 'read-only-storage').length,
    numOutputs: bindings.filter((b) => b.kind === 'storage').length,
    uniform,
  };
}
