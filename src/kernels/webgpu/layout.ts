/**
 * Shader layouts (bindings and `params` uniform offsets) as the runtime reads
 * them: from the table `reflected.gen.ts`, which `scripts/gen_reflection.mjs`
 * builds with wgsl_reflect at build time (so the bundle ships no WGSL parser).
 * Each entry carries a hash of the source it was reflected from; a shader whose
 * text changed since is refused with the command that regenerates the table.
 */
import type { BindKind, ShaderDef, ShaderLayout, Slot } from './program.js';
import { REFLECTED } from './reflected.gen.js';

export type { BindKind, ShaderLayout, Slot };

/** FNV-1a hash of a shader source folded to 20 bits, base 36 (the table's staleness check: short, as the table ships in every bundle). */
export function sourceHash(source: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) h = Math.imul(h ^ source.charCodeAt(i), 0x01000193);
  return (((h >>> 20) ^ h) & 0xfffff).toString(36);
}

const KIND: Record<string, BindKind> = { r: 'read-only-storage', w: 'storage', u: 'uniform' };
const CODE: Record<BindKind, string> = { 'read-only-storage': 'r', storage: 'w', uniform: 'u' };

/**
 * One table entry: `hash|<binding><r|w|u> <name>,…|<uniform size>|<member> <f|i|u> <offset> <offset>…,…`
 * (`o*n`: n consecutive 4-byte slots from offset o)
 * (the last two fields only when the shader has a params uniform).
 */
export function encodeLayout(l: ShaderLayout, hash: string): string {
  const parts = [hash, l.bindings.map((b) => `${b.binding}${CODE[b.kind]} ${b.name}`).join(',')];
  if (l.uniform) {
    parts.push(String(l.uniform.size));
    parts.push([...l.uniform.members].map(([m, slots]) => [m, slots[0]?.type[0] ?? 'f', ...runs(slots.map((s) => s.offset))].join(' ')).join(','));
  }
  return parts.join('|');
}

/** Offsets with each run of consecutive 4-byte slots `o, o+4, …` (n of them, n > 1) written `o*n`. */
function runs(offsets: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < offsets.length; ) {
    let n = 1;
    while (i + n < offsets.length && offsets[i + n] === offsets[i] + 4 * n) n++;
    out.push(n > 1 ? `${offsets[i]}*${n}` : String(offsets[i]));
    i += n;
  }
  return out;
}

/** Inverse of `encodeLayout` (drops the hash). */
export function decodeLayout(name: string, entry: string): ShaderLayout {
  const [, b, size, members] = entry.split('|');
  const bindings = b.split(',').filter(Boolean).map((s) => {
    const m = /^(\d+)([rwu]) (\w+)$/.exec(s);
    if (!m) throw new Error(`webgpu: reflected table entry of '${name}' is malformed: '${s}'`);
    return { binding: Number(m[1]), name: m[3], kind: KIND[m[2]] };
  });
  let uniform: ShaderLayout['uniform'];
  const ub = bindings.find((x) => x.kind === 'uniform');
  if (ub) {
    const map = new Map<string, Slot[]>();
    for (const m of (members ?? '').split(',').filter(Boolean)) {
      const [n, t, ...offs] = m.split(' ');
      const type = ({ f: 'f32', i: 'i32', u: 'u32' } as const)[t as 'f' | 'i' | 'u'];
      const slots: Slot[] = [];
      for (const o of offs) {
        const [first, count = '1'] = o.split('*');
        for (let i = 0; i < Number(count); i++) slots.push({ offset: Number(first) + 4 * i, type });
      }
      map.set(n, slots);
    }
    uniform = { binding: ub.binding, size: Number(size), members: map };
  }
  return {
    name,
    bindings,
    numInputs: bindings.filter((x) => x.kind === 'read-only-storage').length,
    numOutputs: bindings.filter((x) => x.kind === 'storage').length,
    uniform,
  };
}

/** Decoded layouts by shader definition (each definition's source is hash-checked once). */
const decoded = new WeakMap<ShaderDef, ShaderLayout>();

/**
 * The layout of a built-in shader (or the one a variant `def.layout` carries),
 * from the build-time table; throws when the shader is missing from it or its
 * source changed since the table was generated.
 */
export function shaderLayout(def: ShaderDef): ShaderLayout {
  if (def.layout) return def.layout;
  const hit = decoded.get(def);
  if (hit) return hit;
  const entry = REFLECTED[def.name];
  const regen = 'run `node scripts/gen_reflection.mjs` to regenerate src/kernels/webgpu/reflected.gen.ts';
  if (entry === undefined) throw new Error(`webgpu: shader '${def.name}' is not in the reflected layout table; ${regen}`);
  if (entry.slice(0, entry.indexOf('|')) !== sourceHash(def.source)) {
    throw new Error(`webgpu: shader '${def.name}' changed since its layout was reflected; ${regen}`);
  }
  const l = decodeLayout(def.name, entry);
  decoded.set(def, l);
  return l;
}
