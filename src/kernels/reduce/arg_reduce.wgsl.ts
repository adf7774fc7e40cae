import { wgsl } from '../webgpu/program.js';

/** argMax (mode 0) / argMin (mode 1) along an axis: x viewed as [outer, n, inner]; first index wins ties. Composed by `reduce/webgpu.ts` after `alias T = <f32|i32>;`, before the shared `perElement` main. */
export const main = wgsl`
struct Params {
  size: u32,
  n: u32,
  inner: u32,
  mode: u32,
}

@group(0) @binding(0) var<storage, read> x: array<T>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<uniform> params: Params;

// Output element i (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(i: u32) {
  let k = i % params.inner;
  let o = i / params.inner;
  let base = o * params.n * params.inner + k;
  var best = x[base];
  var bi = 0u;
  for (var j = 1u; j < params.n; j++) {
    let v = x[base + j * params.inner];
    let better = select((v < best), (v > best), params.mode == 0u);
    if (better) { best = v; bi = j; }
  }
  out[i] = i32(bi);
}
`;
