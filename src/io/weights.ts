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

/** Largest element count one weight may declare (2^31 − 1, the largest typed-array length everywhere). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Checks a weights manifest before anything is allocated: each spec an object
 * with a non-empty unique string name, a shape of non-negative integers, and
 * dtype float32 or int32 (unquantized). Returns the byte count it describes.
 */
export function checkWeightSpecs(specs: unknown, where: string): number {
  if (!Array.isArray(specs)) throw new Error(`${where}: the weights manifest must be a list of weight specs, got ${describeValue(specs)}`);
  const seen = new Set<string>();
  let need = 0;
  specs.forEach((s: unknown, i) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw new Error(`${where}: weight spec ${i} must be an object with name, shape and dtype, got ${describeValue(s)}`);
    const w = s as Record<string, unknown>;
    if (typeof w.name !== 'string' || w.name === '') throw new Error(`${where}: weight spec ${i} has no name (got ${describeValue(w.name)})`);
    if (seen.has(w.name)) throw new Error(`${where}: weight '${w.name}' is listed twice in the manifest`);
    seen.add(w.name);
    if (typeof w.dtype !== 'string' || !(w.dtype in BYTES) || w.dtype === 'bool') throw new Error(`${where}: weight '${w.name}' has unsupported dtype ${typeof w.dtype === 'string' ? `'${w.dtype}'` : describeValue(w.dtype)} (float32 and int32 are supported)`);
    if (w.quantization !== undefined && w.quantization !== null) throw new Error(`${where}: weight '${w.name}' is quantized; quantized weights are not supported`);
    if (!Array.isArray(w.shape) || w.shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) throw new Error(`${where}: weight '${w.name}' has an invalid shape ${describeValue(w.shape)} (a list of non-negative integers)`);
    const n = count(w.shape as number[]);
    if (n > MAX_ELEMENTS) throw new Error(`${where}: weight '${w.name}' has shape [${w.shape}] with ${n} elements, more than one weight can hold`);
    need += n * BYTES[w.dtype];
  });
  return need;
}

/** A short description of an unexpected JSON value for error messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? typeof v : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Splits a weights buffer (or tfjs's list of buffers) by specs; throws when the specs are invalid or the sizes disagree. */
export function decodeWeights(weightData: ArrayBuffer | readonly ArrayBuffer[], specs: readonly WeightSpec[], where: string): NamedValues[] {
  const need = checkWeightSpecs(specs, where);
  const data = Array.isArray(weightData) ? concatBuffers(weightData) : (weightData as ArrayBuffer);
  if (!data || typeof (data as ArrayBuffer).byteLength !== 'number' || typeof (data as ArrayBuffer).slice !== 'function') throw new Error(`${where}: the weight data must be an ArrayBuffer, got ${describeValue(data)}`);
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

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zlib and PNG) of `bytes`, as 8 lowercase hex digits. */
export function crc32(bytes: Uint8Array): string {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
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
