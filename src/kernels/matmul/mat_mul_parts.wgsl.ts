import { wgsl } from '../webgpu/program.js';

/**
 * matMul's slots for the GEMM cores (composed by `composeGemm`, gemm.ts):
 * C = A·B per batch, A and B read through element offsets, batch strides
 * (0 broadcasts) and row/column strides, so transposeA/transposeB cost
 * nothing. K is one outer step (k_outer = 1). Rows past M and columns past N
 * are clamped to the last one; the core never stores them.
 */
export const dims = wgsl`
fn gemm_dims() -> GemmDims {
  return GemmDims(params.m, params.n, 1u, params.k, params.c_off);
}
`;

/** A for the tiled and direct cores: array<T>, any shape. */
export const loadA = wgsl`
// Where rows r0..r0+3 of A (clamped to M) start, in elements.
fn gemm_a_rows(bi: u32, r0: u32) -> vec4<u32> {
  let r = min(vec4<u32>(r0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.m - 1u));
  return params.a_off + bi * params.a_bs + r * params.a_rs;
}

fn gemm_a_cursor(rows: vec4<u32>, ko: u32) -> vec4<u32> {
  return rows;
}

fn gemm_a_col(p: vec4<u32>, k: u32) -> vec4<T> {
  let o = k * params.a_cs;
  return vec4<T>(a[p.x + o], a[p.y + o], a[p.z + o], a[p.w + o]);
}
`;

/** B for the tiled and direct cores: array<T>, any shape. */
export const loadB = wgsl`
// Where columns c0..c0+3 of B (clamped to N) start, in elements.
fn gemm_b_cols(bi: u32, c0: u32) -> vec4<u32> {
  let c = min(vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.n - 1u));
  return params.b_off + bi * params.b_bs + c * params.b_cs;
}

fn gemm_b_cursor(cols: vec4<u32>, ko: u32) -> vec4<u32> {
  return cols;
}

fn gemm_b_row(p: vec4<u32>, k: u32) -> vec4<T> {
  let o = k * params.b_rs;
  return vec4<T>(b[p.x + o], b[p.y + o], b[p.z + o], b[p.w + o]);
}
`;

/**
 * A for the vec4 core: array<vec4<T>>, K a multiple of 4 (and M when
 * TRANS_A). As stored [M, K] a vec4 is one row over 4 k's; stored [K, M]
 * (TRANS_A, an override constant, so each pipeline compiles one path) a vec4
 * is 4 rows at one k and the 4×4 block is transposed in registers. Offsets
 * are multiples of 4 whenever this part is chosen; a_rs/a_cs are implied.
 */
export const loadA4 = wgsl`
override TRANS_A: bool = false;

// Where rows r0..r0+3 of A (clamped to M) start, in vec4s; with TRANS_A, where the block's column of 4 rows starts.
fn gemm_a_rows(bi: u32, r0: u32) -> vec4<u32> {
  let base = (params.a_off + bi * params.a_bs) / 4u;
  if (TRANS_A) { return vec4<u32>(base + r0 / 4u); }
  let r = min(vec4<u32>(r0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.m - 1u));
  return base + r * (params.k / 4u);
}

fn gemm_a_cursor(rows: vec4<u32>, ko: u32) -> vec4<u32> {
  return rows;
}

fn gemm_a_block(p: vec4<u32>, k4: u32) -> array<vec4<T>, 4> {
  if (TRANS_A) {
    let m4 = params.m / 4u;
    let i = p.x + k4 * 4u * m4;
    return transpose4(a[i], a[i + m4], a[i + 2u * m4], a[i + 3u * m4]);
  }
  return array<vec4<T>, 4>(a[p.x + k4], a[p.y + k4], a[p.z + k4], a[p.w + k4]);
}
`;

/**
 * B for the vec4 core: array<vec4<T>>, N and K multiples of 4. As stored
 * [K, N] a vec4 is one row over 4 columns; stored [N, K] (TRANS_B) a vec4 is
 * one column over 4 k's and the block is transposed in registers.
 */
export const loadB4 = wgsl`
override TRANS_B: bool = false;

// Where the block's 4 columns start, in vec4s: one row start, or (TRANS_B) each column's start.
fn gemm_b_cols(bi: u32, c0: u32) -> vec4<u32> {
  let base = (params.b_off + bi * params.b_bs) / 4u;
  if (TRANS_B) { return base + (vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u)) * (params.k / 4u); }
  return vec4<u32>(base + c0 / 4u);
}

fn gemm_b_cursor(cols: vec4<u32>, ko: u32) -> vec4<u32> {
  return cols;
}

fn gemm_b_block(p: vec4<u32>, k4: u32) -> array<vec4<T>, 4> {
  if (TRANS_B) { return transpose4(b[p.x + k4], b[p.y + k4], b[p.z + k4], b[p.w + k4]); }
  let n4 = params.n / 4u;
  let i = p.x + k4 * 4u * n4;
  return array<vec4<T>, 4>(b[i], b[i + n4], b[i + 2u * n4], b[i + 3u * n4]);
}
`;
