/**
 * Gradient rules of the movement ops (transpose, reshape, concat, slice, pad, tile, gather, scatterAdd, oneHot); each rule has its derivative in a comment above it.
 */
import type { OpName } from '../../kernels/op_names.js';
import * as ops from '../../tensor/index.js';
import type { GradRule } from '../rule.js';

type Op = 'transpose' | 'reshape' | 'concat' | 'slice' | 'pad' | 'tile' | 'gather' | 'scatterAdd' | 'oneHot';

/** Movement ops' gradient rules (or 'nondiff'). */
export const movementRules: { readonly [K in Op & OpName]: GradRule<K> | 'nondiff' } = {
  // d transpose(x, p) = transpose(dy, p⁻¹)
  transpose: (dy, { attrs: { perm } }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [ops.transpose(dy, inv)];
  },
  // d reshape = reshape back
  reshape: (dy, { inputs: [x] }) => [ops.reshape(dy, x.shape)],
  // d concat = the matching slices of dy
  concat: (dy, { inputs, attrs: { axis } }) => ops.split(dy, inputs.map((t) => t.shape[axis]), axis),
  // d slice = dy padded back into x's shape with zeros
  slice: (dy, { inputs: [x], attrs: { begin, size } }) => [ops.pad(dy, x.shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as [number, number]))],
  // d pad = the unpadded box of dy
  pad: (dy, { inputs: [x], attrs: { paddings } }) => [ops.slice(dy, paddings.map((p) => p[0]), x.shape)],
  // d tile = dy summed over the repeats: view [r0, d0, r1, d1, …] and sum the r axes
  tile: (dy, { inputs: [x], attrs: { reps } }) => {
    const split = x.shape.flatMap((d, i) => [reps[i], d]);
    return [ops.sum(ops.reshape(dy, split), reps.map((_, i) => 2 * i))];
  },
  // d gather = scatter-add of dy into x's shape; indices have none
  gather: (dy, { inputs: [x, idx], attrs: { axis } }) => [ops.scatterAdd(dy, idx, axis, x.shape[axis]), null],
  // d scatterAdd = gather of the incoming gradient
  scatterAdd: (dy, { inputs: [, idx], attrs: { axis } }) => [ops.gather(dy, idx, axis), null],
  oneHot: 'nondiff',
};
