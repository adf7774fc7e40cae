/**
 * The wasm backend's heap: one growable `WebAssembly.Memory` that holds every
 * tensor and every scratch buffer, with a size-class allocator on top.
 *
 * Blocks are 64-byte aligned (a cache line; SIMD loads want 16) and keep at
 * least 16 bytes past the requested size: a 16-byte vector that starts
 * anywhere inside a tensor's data never leaves its block, so kernels may
 * read and write whole vectors over ragged ends (see elementwise.ts). The
 * block size is that sum rounded to a size class: multiples of 64 bytes up to 4 KiB, then eight classes per
 * power of two (at most 12.5% slack). A freed block goes to its class's free
 * list and is handed out again for the next request of that class; fresh
 * blocks come from a bump pointer, and the memory grows (by at least half of
 * its size, so growth is amortised) when the bump pointer reaches its end.
 *
 * Views: growing a memory detaches its old `ArrayBuffer`, so typed arrays over
 * it become empty. `f32()`, `i32()`, `u8()` return views of the current buffer
 * (re-made after a grow); callers take them after their last `alloc()`.
 */

const PAGE = 65536;
const ALIGN = 64;
/** Bytes every block keeps past its data: one f32x4 vector. */
const VECTOR_SLACK = 16;
/** 2 GiB: kernels address memory with signed i32 arithmetic. */
export const MAX_PAGES = 32768;

/** The size class of a request of `bytes` (≥ 64). */
export function sizeClass(bytes: number): number {
  const b = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  if (b <= 4096) return b;
  const step = 2 ** (Math.floor(Math.log2(b)) - 3);
  return Math.ceil(b / step) * step;
}

/** A growable wasm memory with a size-class allocator. */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** Whether `memory` is a shared memory (workers can use it). */
  readonly shared: boolean;
  private top = ALIGN; // Offset 0 stays unused: a null pointer is never a tensor.
  private readonly free = new Map<number, number[]>();
  private readonly sizes = new Map<number, number>();
  private buffer: ArrayBufferLike | null = null;
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);
  private u8View = new Uint8Array(0);
  /** Bytes in live blocks (by size class). */
  liveBytes = 0;

  constructor(options: { shared?: boolean; initialPages?: number } = {}) {
    this.shared = options.shared ?? false;
    this.memory = new WebAssembly.Memory({ initial: options.initialPages ?? 256, maximum: MAX_PAGES, shared: this.shared } as WebAssembly.MemoryDescriptor);
  }

  /** A 64-byte aligned block of at least `bytes` + 16 bytes (contents undefined). */
  alloc(bytes: number): number {
    const cls = sizeClass(bytes + VECTOR_SLACK);
    const list = this.free.get(cls);
    let ptr = list?.pop();
    if (ptr === undefined) {
      ptr = this.top;
      const end = ptr + cls;
      const have = this.memory.buffer.byteLength;
      if (end > have) {
        const need = Math.ceil((end - have) / PAGE);
        const pages = Math.min(MAX_PAGES - have / PAGE, Math.max(need, Math.ceil(have / PAGE / 2)));
        if (pages < need) throw new Error(`wasm backend: out of memory allocating ${bytes} bytes (heap at ${have} bytes, limit ${MAX_PAGES * PAGE})`);
        this.memory.grow(pages);
      }
      this.top = end;
    }
    this.sizes.set(ptr, cls);
    this.liveBytes += cls;
    return ptr;
  }

  /** Returns a block to its size class's free list. */
  release(ptr: number): void {
    const cls = this.sizes.get(ptr);
    if (cls === undefined) throw new Error(`wasm backend: free of unknown pointer ${ptr}`);
    this.sizes.delete(ptr);
    this.liveBytes -= cls;
    let list = this.free.get(cls);
    if (!list) this.free.set(cls, (list = []));
    list.push(ptr);
  }

  /** Bytes kept in free lists for reuse. */
  pooledBytes(): number {
    let n = 0;
    for (const [cls, list] of this.free) n += cls * list.length;
    return n;
  }

  /** Number of live blocks. */
  liveBlocks(): number {
    return this.sizes.size;
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    // A grow detaches a plain memory's buffer; a shared one gets a longer new buffer.
    if (buf !== this.buffer || buf.byteLength !== this.u8View.byteLength) {
      this.buffer = buf;
      this.f32View = new Float32Array(buf);
      this.i32View = new Int32Array(buf);
      this.u8View = new Uint8Array(buf);
    }
  }

  /** Float32 view of the whole memory (valid until the next alloc). */
  f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  /** Int32 view of the whole memory (valid until the next alloc). */
  i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }

  /** Byte view of the whole memory (valid until the next alloc). */
  u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }
}
