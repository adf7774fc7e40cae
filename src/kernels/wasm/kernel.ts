/** What a wasm kernel sees: tensors as pointers into the backend's memory, and a context. */
import type { MultiOutputOp, OpAttrMap, OpName } from '../op_names.js';
import type { DType, TypedArray } from '../types.js';
import type { WasmHeap } from './memory.js';

/** A tensor in wasm memory: `size` elements of `dtype` from byte offset `ptr`. */
export interface WasmTensor {
  readonly ptr: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
}

/** An exported kernel function: i32/f32 arguments, at most one result. */
export type WasmFn = (...args: number[]) => number;

/** Services the backend gives a kernel while it runs. */
export interface WasmContext {
  readonly heap: WasmHeap;
  /** The exported wasm function `name` (names are unique across the backend's modules). */
  fn(name: string): WasmFn;
  /** A 64-byte aligned scratch block, freed when the op returns. May grow memory: take views after it. */
  scratch(bytes: number): number;
  /** A typed-array view (no copy) of a tensor, valid until the next allocation. */
  view(t: WasmTensor): TypedArray;
  /** Threads a parallel GEMM may use now (1 without a started thread pool). */
  readonly threads: number;
  /** Runs `gemm(...args[t])` for every t at once, args[0] on this thread; returns when all are done. */
  parallelGemm(args: readonly number[][]): void;
}

/**
 * A wasm kernel fills `out` (allocated, not zeroed) from `inputs` and returns
 * true; it returns false, having written nothing, for cases it leaves to the
 * JavaScript kernel (which then runs on views of the same memory).
 */
export type WasmKernel<K extends OpName> = (inputs: readonly WasmTensor[], out: WasmTensor, attrs: OpAttrMap[K], ctx: WasmContext) => boolean;

/** A multi-output op's wasm kernel: like `WasmKernel`, with one `out` per output in `multiOutputNames` order. */
export type WasmMultiKernel<K extends OpName> = (inputs: readonly WasmTensor[], outs: readonly WasmTensor[], attrs: OpAttrMap[K], ctx: WasmContext) => boolean;

/** The wasm kernel type of op `K` (for the registry). */
export type WasmKernelOf<K extends OpName> = K extends MultiOutputOp ? WasmMultiKernel<K> : WasmKernel<K>;

/** One emitted wasm function a kernel called, with the most threads it ran on (more than 1: a GEMM split over the thread pool). */
export interface WasmCall {
  wasmFunction: string;
  threads: number;
}

/** What one `run` call of the wasm backend did, recorded only while `WasmBackend.recorder` is set. */
export interface WasmRunRecord {
  op: OpName;
  /** The emitted wasm functions the kernel called, in the order it fetched them from the context. */
  calls: WasmCall[];
  /**
   * Set when the JavaScript CPU kernel ran on views of wasm memory: why (the
   * `JS_FALLBACK` reason of a listed op, or that the wasm kernel handed the
   * case back), and whether the op is a listed fallback.
   */
  js: { reason: string; listed: boolean } | null;
}
