/**
 * The wasm GEMM: C = A·B (or C += A·B) in f32x4 SIMD, blocked as GotoBLAS /
 * BLIS do, the same scheme as the CPU backend's `gemm` with a wider tile:
 *
 *  1. k is cut into blocks of KC. B's [KC, N] slab is packed into panels of
 *     NR = 8 columns (panel p: B(k, 8p..8p+7) for k = 0..KC-1, contiguous,
 *     zero past N).
 *  2. Rows of A are packed MC at a time into panels of MR = 4 rows
 *     (A(4q..4q+3, k) contiguous for each k).
 *  3. The micro-kernel multiplies one A panel by one B panel: a 4×8 tile of C
 *     in eight f32x4 locals (registers). Each k step loads two B vectors and
 *     splats four A values (`v128.load32_splat`) for 32 multiply-adds.
 *     Edge tiles are computed into a scratch tile and only their valid part
 *     is stored.
 *
 * Strides make transposes free: A(i, k) is at a + i·ars + k·acs and B(k, j)
 * at b + k·brs + j·bcs (byte strides), read once per block by the packers.
 * Everything, loops included, runs inside wasm: one call per product.
 */
import { Code, F32, I32, V128 } from '../wasm/emitter.js';
import type { WasmFunction } from '../wasm/emitter.js';

/** Depth of a k block. */
export const KC = 256;
/** Rows of A packed at a time (MC·KC floats = 128 KiB stays in L2). */
export const MC = 128;
const MR = 4;
const NR = 8;

/** Function indices inside the module (they call each other). */
const F = { packB: 0, packA: 1, micro: 2, storeEdge: 3, gemm: 4 };

/**
 * pack_b(b, brs, bcs, k0, kc, N, dst): B(k0.., 0..N) into 8-column panels:
 * element (k, s) of panel p at dst + 4·(p·8·kc + 8k + s).
 */
function packB(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32]);
  const [b, brs, bcs, k0, kc, N, dst] = [0, 1, 2, 3, 4, 5, 6];
  const j = c.local(I32), k = c.local(I32), s = c.local(I32), src = c.local(I32), w = c.local(I32), d = c.local(I32), v = c.local(F32);
  c.local_get(dst).local_set(d);
  c.for_(j, () => c.i32_const(0), () => c.local_get(N), NR, () => {
    // w = min(8, N - j)
    c.local_get(N).local_get(j).i32_sub().local_tee(w).i32_const(NR).local_get(w).i32_const(NR).i32_lt_s().select().local_set(w);
    c.for_(k, () => c.i32_const(0), () => c.local_get(kc), 1, () => {
      // src = b + (k0 + k)·brs + j·bcs
      c.local_get(b).local_get(k0).local_get(k).i32_add().local_get(brs).i32_mul().i32_add()
        .local_get(j).local_get(bcs).i32_mul().i32_add().local_set(src);
      // Full panel of a row-major B: two vector copies.
      c.local_get(w).i32_const(NR).i32_eq().local_get(bcs).i32_const(4).i32_eq().i32_and().if_();
      c.local_get(d).local_get(src).v128_load(0).v128_store(0);
      c.local_get(d).local_get(src).v128_load(16).v128_store(16);
      c.else_();
      c.for_(s, () => c.i32_const(0), () => c.i32_const(NR), 1, () => {
        // v = s < w ? B(k, j + s) : 0
        c.f32_const(0).local_set(v);
        c.local_get(s).local_get(w).i32_lt_s().if_();
        c.local_get(src).local_get(s).local_get(bcs).i32_mul().i32_add().f32_load().local_set(v);
        c.end();
        c.local_get(d).local_get(s).i32_const(2).i32_shl().i32_add().local_get(v).f32_store();
      });
      c.end();
      c.local_get(d).i32_const(4 * NR).i32_add().local_set(d);
    });
  });
  return c;
}

/**
 * pack_a(a, ars, acs, i0, mc, k0, kc, dst): A(i0..i0+mc, k0..k0+kc) into
 * 4-row panels: element (r, k) of panel q at dst + 4·(q·4·kc + 4k + r).
 */
function packA(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [a, ars, acs, i0, mc, k0, kc, dst] = [0, 1, 2, 3, 4, 5, 6, 7];
  const q = c.local(I32), r = c.local(I32), k = c.local(I32), src = c.local(I32), d = c.local(I32), base = c.local(I32);
  c.local_get(dst).local_set(base);
  c.for_(q, () => c.i32_const(0), () => c.local_get(mc), MR, () => {
    // A stored transposed (ars = 4): a full panel's four rows at one k are four adjacent floats.
    c.local_get(ars).i32_const(4).i32_eq().local_get(q).i32_const(MR).i32_add().local_get(mc).i32_le_s().i32_and().if_();
    c.local_get(a).local_get(i0).local_get(q).i32_add().i32_const(2).i32_shl().i32_add().local_get(k0).local_get(acs).i32_mul().i32_add().local_set(src);
    c.local_get(base).local_set(d);
    c.for_(k, () => c.i32_const(0), () => c.local_get(kc), 1, () => {
      c.local_get(d).local_get(src).v128_load().v128_store();
      c.local_get(src).local_get(acs).i32_add().local_set(src);
      c.local_get(d).i32_const(4 * MR).i32_add().local_set(d);
    });
    c.else_();
    c.for_(r, () => c.i32_const(0), () => c.i32_const(MR), 1, () => {
      // d = base + 4r; rows past mc are zero.
      c.local_get(base).local_get(r).i32_const(2).i32_shl().i32_add().local_set(d);
      c.local_get(q).local_get(r).i32_add().local_get(mc).i32_lt_s().if_();
      // src = a + (i0 + q + r)·ars + k0·acs
      c.local_get(a).local_get(i0).local_get(q).i32_add().local_get(r).i32_add().local_get(ars).i32_mul().i32_add()
        .local_get(k0).local_get(acs).i32_mul().i32_add().local_set(src);
      c.for_(k, () => c.i32_const(0), () => c.local_get(kc), 1, () => {
        c.local_get(d).local_get(src).f32_load().f32_store();
        c.local_get(src).local_get(acs).i32_add().local_set(src);
        c.local_get(d).i32_const(4 * MR).i32_add().local_set(d);
      });
      c.else_();
      c.for_(k, () => c.i32_const(0), () => c.local_get(kc), 1, () => {
        c.local_get(d).f32_const(0).f32_store();
        c.local_get(d).i32_const(4 * MR).i32_add().local_set(d);
      });
      c.end();
    });
    c.end();
    // Next panel: base += 4·MR·kc bytes.
    c.local_get(base).local_get(kc).i32_const(4).i32_shl().i32_add().local_set(base);
  });
  return c;
}

/**
 * micro(kc, pa, pb, cp, ldc, add, ars, astep): the 4×8 tile at cp (row
 * stride ldc bytes) = (add ? tile : 0) + Σ_k A(r, k)·B-panel(k, s), where
 * A(r, k) is at pa + r·ars + k·astep: a packed panel (ars 4, astep 16) or,
 * for a row-major A, A itself (ars = its row stride, astep 4: no packing).
 */
function micro(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [kc, pa, pb, cp, ldc, add, ars, astep] = [0, 1, 2, 3, 4, 5, 6, 7];
  const acc = Array.from({ length: 2 * MR }, () => c.local(V128));
  const b0 = c.local(V128), b1 = c.local(V128), av = c.local(V128), end = c.local(I32), o = c.local(I32);
  const rowOff = [0, c.local(I32), c.local(I32), c.local(I32)];
  for (let r = 1; r < MR; r++) c.local_get(ars).i32_const(r).i32_mul().local_set(rowOff[r]);
  // end = pb + 32·kc
  c.local_get(pb).local_get(kc).i32_const(5).i32_shl().i32_add().local_set(end);
  c.local_get(kc).i32_const(0).i32_gt_s().if_();
  c.loop();
  c.local_get(pb).v128_load(0).local_set(b0);
  c.local_get(pb).v128_load(16).local_set(b1);
  for (let r = 0; r < MR; r++) {
    c.local_get(pa);
    if (r > 0) c.local_get(rowOff[r]).i32_add();
    c.v128_load32_splat().local_set(av);
    for (let h = 0; h < 2; h++) {
      const t = acc[2 * r + h];
      c.local_get(t).local_get(av).local_get(h ? b1 : b0).f32x4_mul().f32x4_add().local_set(t);
    }
  }
  c.local_get(pa).local_get(astep).i32_add().local_set(pa);
  c.local_get(pb).i32_const(4 * NR).i32_add().local_tee(pb);
  c.local_get(end).i32_lt_s().br_if(0);
  c.end();
  c.end();
  c.local_get(cp).local_set(o);
  for (let r = 0; r < MR; r++) {
    for (let h = 0; h < 2; h++) {
      const t = acc[2 * r + h];
      c.local_get(o);
      c.local_get(add).if_();
      c.local_get(t).local_get(o).v128_load(16 * h).f32x4_add().local_set(t);
      c.end();
      c.local_get(t).v128_store(16 * h);
    }
    c.local_get(o).local_get(ldc).i32_add().local_set(o);
  }
  return c;
}

/** store_edge(tile, cp, ldc, h, w, add): the valid h×w corner of a 4×8 tile (row stride 32 bytes) into C. */
function storeEdge(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32]);
  const [tile, cp, ldc, h, w, add] = [0, 1, 2, 3, 4, 5];
  const r = c.local(I32), s = c.local(I32), dst = c.local(I32), v = c.local(F32);
  c.for_(r, () => c.i32_const(0), () => c.local_get(h), 1, () => {
    c.for_(s, () => c.i32_const(0), () => c.local_get(w), 1, () => {
      // v = tile[r][s] (+ C[r][s] when accumulating)
      c.local_get(tile).local_get(r).i32_const(5).i32_shl().i32_add().local_get(s).i32_const(2).i32_shl().i32_add().f32_load().local_set(v);
      c.local_get(cp).local_get(r).local_get(ldc).i32_mul().i32_add().local_get(s).i32_const(2).i32_shl().i32_add().local_set(dst);
      c.local_get(add).if_();
      c.local_get(v).local_get(dst).f32_load().f32_add().local_set(v);
      c.end();
      c.local_get(dst).local_get(v).f32_store();
    });
  });
  return c;
}

/**
 * gemm(M, N, K, a, ars, acs, b, brs, bcs, cp, ldc, accumulate, packA, packB, tile):
 * C[M, N] (row stride ldc bytes) = (accumulate ? C : 0) + A·B. packA holds
 * MC·KC floats, packB ceil(N/8)·8·KC floats, tile 32 floats.
 */
function gemm(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [M, N, K, a, ars, acs, b, brs, bcs, cp, ldc, accumulate, pA, pB, tile] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const k0 = c.local(I32), kc = c.local(I32), i0 = c.local(I32), mc = c.local(I32), j = c.local(I32), i = c.local(I32);
  const add = c.local(I32), h = c.local(I32), w = c.local(I32), dst = c.local(I32), pa = c.local(I32), pb = c.local(I32);
  const direct = c.local(I32), sa = c.local(I32), st = c.local(I32);
  const minInto = (x: () => void, lim: number | (() => void), into: number): void => {
    // into = min(x, lim)
    x();
    c.local_set(into);
    c.local_get(into);
    if (typeof lim === 'number') c.i32_const(lim); else lim();
    c.local_get(into);
    if (typeof lim === 'number') c.i32_const(lim); else lim();
    c.i32_lt_s().select().local_set(into);
  };
  c.for_(k0, () => c.i32_const(0), () => c.local_get(K), KC, () => {
    minInto(() => c.local_get(K).local_get(k0).i32_sub(), KC, kc);
    // add = accumulate || k0 > 0
    c.local_get(accumulate).local_get(k0).i32_const(0).i32_gt_s().i32_or().local_set(add);
    c.local_get(b).local_get(brs).local_get(bcs).local_get(k0).local_get(kc).local_get(N).local_get(pB).call(F.packB);
    c.for_(i0, () => c.i32_const(0), () => c.local_get(M), MC, () => {
      minInto(() => c.local_get(M).local_get(i0).i32_sub(), MC, mc);
      // A row-major (acs = 4) is read in place; only a ragged last panel is packed (rows past M stay unread).
      c.local_get(acs).i32_const(4).i32_eq().local_set(direct);
      c.local_get(direct).if_();
      c.local_get(mc).i32_const(3).i32_and().if_();
      c.local_get(a).local_get(ars).local_get(acs).local_get(i0).local_get(mc).i32_const(-4).i32_and().i32_add()
        .local_get(mc).i32_const(3).i32_and().local_get(k0).local_get(kc).local_get(pA).call(F.packA);
      c.end();
      c.else_();
      c.local_get(a).local_get(ars).local_get(acs).local_get(i0).local_get(mc).local_get(k0).local_get(kc).local_get(pA).call(F.packA);
      c.end();
      c.for_(j, () => c.i32_const(0), () => c.local_get(N), NR, () => {
        minInto(() => c.local_get(N).local_get(j).i32_sub(), NR, w);
        c.for_(i, () => c.i32_const(0), () => c.local_get(mc), MR, () => {
          minInto(() => c.local_get(mc).local_get(i).i32_sub(), MR, h);
          // dst = cp + (i0 + i)·ldc + 4j
          c.local_get(cp).local_get(i0).local_get(i).i32_add().local_get(ldc).i32_mul().i32_add()
            .local_get(j).i32_const(2).i32_shl().i32_add().local_set(dst);
          // Panels: A at pA + 4·kc·i (i is a multiple of 4 → 16·kc per panel), B at pB + 4·kc·j.
          // pa/sa/st: where A(i0 + i, k0) is, its row stride and its k step.
          c.local_get(direct).local_get(h).i32_const(MR).i32_eq().i32_and().if_();
          c.local_get(a).local_get(i0).local_get(i).i32_add().local_get(ars).i32_mul().i32_add().local_get(k0).i32_const(2).i32_shl().i32_add().local_set(pa);
          c.local_get(ars).local_set(sa).i32_const(4).local_set(st);
          c.else_();
          // Packed: panel i/4 of the block, or panel 0 for a direct A's ragged tail.
          c.local_get(pA).i32_const(0).local_get(kc).local_get(i).i32_mul().i32_const(2).i32_shl().local_get(direct).select().i32_add().local_set(pa);
          c.i32_const(4).local_set(sa).i32_const(4 * MR).local_set(st);
          c.end();
          c.local_get(pB).local_get(kc).local_get(j).i32_mul().i32_const(2).i32_shl().i32_add().local_set(pb);
          c.local_get(h).i32_const(MR).i32_eq().local_get(w).i32_const(NR).i32_eq().i32_and().if_();
          c.local_get(kc).local_get(pa).local_get(pb).local_get(dst).local_get(ldc).local_get(add).local_get(sa).local_get(st).call(F.micro);
          c.else_();
          c.local_get(kc).local_get(pa).local_get(pb).local_get(tile).i32_const(4 * NR).i32_const(0).local_get(sa).local_get(st).call(F.micro);
          c.local_get(tile).local_get(dst).local_get(ldc).local_get(h).local_get(w).local_get(add).call(F.storeEdge);
          c.end();
        });
      });
    });
  });
  return c;
}

/** The GEMM module's functions, in index order (`F`). */
export function gemmFunctions(): WasmFunction[] {
  return [
    { name: 'pack_b', code: packB() },
    { name: 'pack_a', code: packA() },
    { name: 'micro', code: micro() },
    { name: 'store_edge', code: storeEdge() },
    { name: 'gemm', code: gemm() },
  ];
}
