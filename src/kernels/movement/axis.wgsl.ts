import { wgsl } from '../webgpu/program.js';

/**
 * The Params of gather and scatterAdd (each other's gradient), composed by
 * `movement/webgpu.ts` before each one's bindings and element(i): the
 * gathered tensor viewed as [outer, dim, inner], n indices, and the thread
 * count.
 */
export const axisParams = wgsl`
// size: threads; x (or scatterAdd's out) is [outer, dim, inner]; n indices; gather's out (or scatterAdd's dy) is [outer, n, inner].
struct Params {
  size: u32,
  dim: u32,
  n: u32,
  inner: u32,
}
`;
