/**
 * Encoding weights as tfjs does: each tensor's values, little-endian, one
 * after another in manifest order. Decoding checks that the byte count matches
 * the manifest exactly, so a truncated or padded file is an error, not garbage.
 */
import type { WeightSpec } from './types.js';

/** Raw values of one named weight. */
export interface NamedValues {
  name: string;
  shape: readonly number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Concatenates the weights into one buffer and returns it with their specs. */
export function encodeWeights(ws: readonly NamedValues[]): { data: ArrayBuffer; specs: WeightSpec[] } {
  const total = ws.reduce((n, w) => n + w.values.length * 4, 0);
  const data = new ArrayBuffer(total);
  const bytes = new Uint8Array(data);
  let off = 0;
  for (const w of ws) {
    if (w.values.length !== count(w.shape)) throw new Error(`encodeWeights: '${w.name}' has ${w.values.length} values for shape [${w.shape}]`);
    bytes.set(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength), off);
    off += w.values.byteLength;
  }
  return { data, specs: ws.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype })) };
}

/** Splits a weights buffer by specs; throws when the sizes disagree or a dtype is unsupported. */
export function decodeWeights(data: ArrayBuffer, specs: readonly WeightSpec[], where: string): NamedValues[] {
  let need = 0;
  for (const s of specs) {
    if (!(s.dtype in BYTES) || s.dtype === 'bool') throw new Error(`${where}: weight '${s.name}' has unsupported dtype '${s.dtype}' (float32 and int32 are supported)`);
    if ((s as { quantization?: unknown }).quantization) throw new Error(`${where}: weight '${s.name}' is quantized; quantized weights are not supported`);
    if (!Array.isArray(s.shape) || s.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${where}: weight '${s.name}' has an invalid shape ${JSON.stringify(s.shape)}`);
    need += count(s.shape) * BYTES[s.dtype];
  }
  if (data.byteLength !== need) {
    throw new Error(`${where}: the weight data has ${data.byteLength} bytes but the manifest describes ${need} bytes (${specs.length} weights): the weights file is ${data.byteLength < need ? 'truncated' : 'larger than expected'} or does not belong to this model.json`);
  }
  let off = 0;
  return specs.map((s) => {
    const n = count(s.shape);
    const slice = data.slice(off, off + n * 4);
    off += n * 4;
    const values = s.dtype === 'int32' ? new Int32Array(slice) : new Float32Array(slice);
    return { name: s.name, shape: s.shape, dtype: s.dtype as 'float32' | 'int32', values };
  });
}

/** Joins shard buffers in order. */
export function concatBuffers(parts: readonly ArrayBuffer[]): ArrayBuffer {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), off);
    off += p.byteLength;
  }
  return out.buffer;
}
