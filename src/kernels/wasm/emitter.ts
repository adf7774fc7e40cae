/**
 * A tiny WebAssembly bytecode writer: kernels are written in TypeScript as
 * calls named after the spec's instructions (`c.f32x4_add()`,
 * `c.local_get(i)`, ...), and `wasmModule()` wraps the function bodies into a
 * binary module that imports one memory (`env.memory`). No toolchain, no
 * runtime dependency: the bytes are made where they run, and a test prints
 * them as text with a WAT disassembler.
 *
 * Encoding reference: WebAssembly Core Specification 2.0, §5 (Binary Format);
 * SIMD opcodes are the 0xFD-prefixed ones of §5.4.8.
 */

/** Value types (§5.3.1): i32. */
export const I32 = 0x7f;
/** f32. */
export const F32 = 0x7d;
/** v128 (SIMD). */
export const V128 = 0x7b;
/** A value type code. */
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Unsigned LEB128. */
function uleb(out: number[], v: number): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

/** Signed LEB128 (32-bit). */
function sleb(out: number[], v: number): void {
  v |= 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

const f32Bytes = new Uint8Array(4);
const f32View = new DataView(f32Bytes.buffer);

/**
 * The body of one function. Locals are numbered after the parameters;
 * `local(type)` declares a new one. Memory instructions take a byte offset
 * (immediate) and use natural alignment.
 */
export class Code {
  readonly bytes: number[] = [];
  readonly locals: ValType[] = [];
  constructor(readonly params: readonly ValType[], readonly results: readonly ValType[] = []) {}

  /** Declares a local of `type` and returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  private op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  private simd(code: number): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, code);
    return this;
  }
  private mem(align: number, offset: number): this {
    uleb(this.bytes, align);
    uleb(this.bytes, offset);
    return this;
  }

  // Control (§5.4.1). Blocks take no parameters and give no results.
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if_(): this { return this.op(0x04, 0x40); }
  else_(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { this.op(0x0c); uleb(this.bytes, depth); return this; }
  br_if(depth: number): this { this.op(0x0d); uleb(this.bytes, depth); return this; }
  return_(): this { return this.op(0x0f); }
  call(fn: number): this { this.op(0x10); uleb(this.bytes, fn); return this; }
  drop(): this { return this.op(0x1a); }
  select(): this { return this.op(0x1b); }

  // Variables (§5.4.4).
  local_get(i: number): this { this.op(0x20); uleb(this.bytes, i); return this; }
  local_set(i: number): this { this.op(0x21); uleb(this.bytes, i); return this; }
  local_tee(i: number): this { this.op(0x22); uleb(this.bytes, i); return this; }

  // Memory (§5.4.6).
  i32_load(offset = 0): this { return this.op(0x28).mem(2, offset); }
  f32_load(offset = 0): this { return this.op(0x2a).mem(2, offset); }
  i32_load8_u(offset = 0): this { return this.op(0x2d).mem(0, offset); }
  i32_store(offset = 0): this { return this.op(0x36).mem(2, offset); }
  f32_store(offset = 0): this { return this.op(0x38).mem(2, offset); }
  i32_store8(offset = 0): this { return this.op(0x3a).mem(0, offset); }
  /** memory.copy (bulk memory): [dst, src, n] → []. */
  memory_copy(): this { return this.op(0xfc, 10, 0, 0); }
  /** memory.fill (bulk memory): [dst, byte, n] → []. */
  memory_fill(): this { return this.op(0xfc, 11, 0); }

  // Numeric (§5.4.7).
  i32_const(v: number): this { this.op(0x41); sleb(this.bytes, v); return this; }
  f32_const(v: number): this {
    f32View.setFloat32(0, v, true);
    return this.op(0x43, ...f32Bytes);
  }
  i32_eqz(): this { return this.op(0x45); }
  i32_eq(): this { return this.op(0x46); }
  i32_ne(): this { return this.op(0x47); }
  i32_lt_s(): this { return this.op(0x48); }
  i32_gt_s(): this { return this.op(0x4a); }
  i32_le_s(): this { return this.op(0x4c); }
  i32_ge_s(): this { return this.op(0x4e); }
  f32_eq(): this { return this.op(0x5b); }
  f32_ne(): this { return this.op(0x5c); }
  f32_lt(): this { return this.op(0x5d); }
  f32_gt(): this { return this.op(0x5e); }
  i32_add(): this { return this.op(0x6a); }
  i32_sub(): this { return this.op(0x6b); }
  i32_mul(): this { return this.op(0x6c); }
  i32_div_s(): this { return this.op(0x6d); }
  i32_rem_s(): this { return this.op(0x6f); }
  i32_and(): this { return this.op(0x71); }
  i32_or(): this { return this.op(0x72); }
  i32_shl(): this { return this.op(0x74); }
  i32_shr_s(): this { return this.op(0x75); }
  f32_abs(): this { return this.op(0x8b); }
  f32_neg(): this { return this.op(0x8c); }
  f32_sqrt(): this { return this.op(0x91); }
  f32_add(): this { return this.op(0x92); }
  f32_sub(): this { return this.op(0x93); }
  f32_mul(): this { return this.op(0x94); }
  f32_div(): this { return this.op(0x95); }
  f32_min(): this { return this.op(0x96); }
  f32_max(): this { return this.op(0x97); }

  // SIMD (§5.4.8), 128-bit vectors of four f32 lanes.
  v128_load(offset = 0): this { return this.simd(0x00).mem(4, offset); }
  /** Loads one f32 and repeats it in all four lanes. */
  v128_load32_splat(offset = 0): this { return this.simd(0x09).mem(2, offset); }
  v128_store(offset = 0): this { return this.simd(0x0b).mem(4, offset); }
  /** A constant vector of four i32 lanes. */
  v128_const_i32x4(lanes: readonly [number, number, number, number]): this {
    this.simd(0x0c);
    const b = new DataView(new ArrayBuffer(16));
    lanes.forEach((v, i) => b.setInt32(4 * i, v, true));
    for (let i = 0; i < 16; i++) this.bytes.push(b.getUint8(i));
    return this;
  }
  i32x4_splat(): this { return this.simd(0x11); }
  i32x4_extract_lane(lane: number): this { return this.simd(0x1b).op(lane); }
  i32x4_shl(): this { return this.simd(0xab); }
  i32x4_shr_s(): this { return this.simd(0xac); }
  i32x4_add(): this { return this.simd(0xae); }
  i32x4_sub(): this { return this.simd(0xb1); }
  /** f32 lanes → i32, truncating, saturating (NaN → 0). */
  i32x4_trunc_sat_f32x4_s(): this { return this.simd(0xf8); }
  f32x4_splat(): this { return this.simd(0x13); }
  f32x4_extract_lane(lane: number): this { return this.simd(0x1f).op(lane); }
  f32x4_eq(): this { return this.simd(0x41); }
  f32x4_ne(): this { return this.simd(0x42); }
  f32x4_lt(): this { return this.simd(0x43); }
  f32x4_gt(): this { return this.simd(0x44); }
  f32x4_le(): this { return this.simd(0x45); }
  f32x4_ge(): this { return this.simd(0x46); }
  v128_and(): this { return this.simd(0x4e); }
  /** a & ~b. */
  v128_andnot(): this { return this.simd(0x4f); }
  v128_or(): this { return this.simd(0x50); }
  /** bitselect(a, b, mask) = (a & mask) | (b & ~mask). */
  v128_bitselect(): this { return this.simd(0x52); }
  f32x4_ceil(): this { return this.simd(0x67); }
  f32x4_floor(): this { return this.simd(0x68); }
  /** Round to nearest, ties to even. */
  f32x4_nearest(): this { return this.simd(0x6a); }
  f32x4_abs(): this { return this.simd(0xe0); }
  f32x4_neg(): this { return this.simd(0xe1); }
  f32x4_sqrt(): this { return this.simd(0xe3); }
  f32x4_add(): this { return this.simd(0xe4); }
  f32x4_sub(): this { return this.simd(0xe5); }
  f32x4_mul(): this { return this.simd(0xe6); }
  f32x4_div(): this { return this.simd(0xe7); }
  /** IEEE-style: NaN in either lane gives NaN. */
  f32x4_min(): this { return this.simd(0xe8); }
  /** IEEE-style: NaN in either lane gives NaN. */
  f32x4_max(): this { return this.simd(0xe9); }
  /** Pseudo-min b < a ? b : a: a NaN in `b` is dropped (not NaN-propagating). */
  f32x4_pmin(): this { return this.simd(0xea); }
  /** Pseudo-max a < b ? b : a: a NaN in `b` is dropped (not NaN-propagating). */
  f32x4_pmax(): this { return this.simd(0xeb); }

  /**
   * `for (i = from; i < to; i += step) body()`, with `from`, `to`, `step` as
   * emitters pushing one i32. `to` is re-evaluated each iteration.
   */
  for_(i: number, from: () => void, to: () => void, step: number, body: () => void): this {
    from();
    this.local_set(i);
    this.block();
    this.loop();
    this.local_get(i);
    to();
    this.i32_ge_s().br_if(1);
    body();
    this.local_get(i).i32_const(step).i32_add().local_set(i);
    this.br(0).end().end();
    return this;
  }
}

/** A function of a module: its body and the name it is exported under. */
export interface WasmFunction {
  name: string;
  code: Code;
}

function section(out: number[], id: number, body: number[]): void {
  out.push(id);
  uleb(out, body.length);
  out.push(...body);
}

function vec(out: number[], items: readonly number[][]): void {
  uleb(out, items.length);
  for (const i of items) out.push(...i);
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  const out: number[] = [];
  uleb(out, b.length);
  return [...out, ...b];
}

/**
 * A binary module that imports `env.memory` (a shared memory when `shared`,
 * with `maxPages` required then) and exports every function by name.
 * Functions may call each other by their index in `fns`.
 */
export function wasmModule(fns: readonly WasmFunction[], memory: { shared: boolean; maxPages: number }): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // Type section: one signature per function (duplicates are allowed).
  const types = fns.map(({ code }) => {
    const t = [0x60];
    vec(t, code.params.map((p) => [p]));
    vec(t, code.results.map((r) => [r]));
    return t;
  });
  const typeSec: number[] = [];
  vec(typeSec, types);
  section(out, 1, typeSec);
  // Import section: env.memory, limits {min 1, max} (flag 3 = shared with max).
  const imp = [...name('env'), ...name('memory'), 0x02, memory.shared ? 0x03 : 0x01];
  uleb(imp, 1);
  uleb(imp, memory.maxPages);
  const impSec: number[] = [];
  vec(impSec, [imp]);
  section(out, 2, impSec);
  const funcSec: number[] = [];
  vec(funcSec, fns.map((_, i) => { const b: number[] = []; uleb(b, i); return b; }));
  section(out, 3, funcSec);
  const expSec: number[] = [];
  vec(expSec, fns.map((f, i) => { const b = [...name(f.name), 0x00]; uleb(b, i); return b; }));
  section(out, 7, expSec);
  const codeSec: number[] = [];
  vec(codeSec, fns.map(({ code }) => {
    const body: number[] = [];
    // Locals, run-length encoded by type.
    const runs: [number, ValType][] = [];
    for (const t of code.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(body, runs.length);
    for (const [n, t] of runs) {
      uleb(body, n);
      body.push(t);
    }
    body.push(...code.bytes, 0x0b);
    const f: number[] = [];
    uleb(f, body.length);
    return [...f, ...body];
  }));
  section(out, 10, codeSec);
  return new Uint8Array(out);
}

/** True when this engine validates a module that uses 128-bit SIMD (f32x4). */
export function simdSupported(): boolean {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return false;
  const c = new Code([], []);
  c.f32_const(1).f32x4_splat().f32x4_extract_lane(0).drop();
  try {
    return WebAssembly.validate(wasmModule([{ name: 'probe', code: c }], { shared: false, maxPages: 1 }));
  } catch {
    return false;
  }
}
