/** Specs of the movement ops (transpose, reshape, concat, slice, pad, tile, gather, scatterAdd, oneHot). */
import type { OpSpec } from '../spec.js';

type MovementOp = 'transpose' | 'reshape' | 'concat' | 'slice' | 'pad' | 'tile' | 'gather' | 'scatterAdd' | 'oneHot';

/** Output shape and dtype of each movement op. */
export const movementSpecs: { readonly [K in MovementOp]: OpSpec<K> } = {
  transpose: { outputShape: (ins, a) => a.perm.map((p) => ins[0].shape[p]), outputDtype: (ins) => ins[0].dtype },
  reshape: { outputShape: (_, a) => [...a.shape], outputDtype: (ins) => ins[0].dtype },
  concat: {
    outputShape: (ins, a) => {
      const s = [...ins[0].shape];
      s[a.axis] = ins.reduce((acc, t) => acc + t.shape[a.axis], 0);
      return s;
    },
    outputDtype: (ins) => ins[0].dtype,
  },
  slice: { outputShape: (_, a) => [...a.size], outputDtype: (ins) => ins[0].dtype },
  pad: { outputShape: (ins, a) => ins[0].shape.map((d, i) => d + a.paddings[i][0] + a.paddings[i][1]), outputDtype: (ins) => ins[0].dtype },
  tile: { outputShape: (ins, a) => ins[0].shape.map((d, i) => d * a.reps[i]), outputDtype: (ins) => ins[0].dtype },
  gather: {
    outputShape: (ins, a) => [...ins[0].shape.slice(0, a.axis), ...ins[1].shape, ...ins[0].shape.slice(a.axis + 1)],
    outputDtype: (ins) => ins[0].dtype,
  },
  scatterAdd: {
    outputShape: (ins, a) => {
      const dy = ins[0].shape;
      const r = ins[1].shape.length;
      return [...dy.slice(0, a.axis), a.dim, ...dy.slice(a.axis + r)];
    },
    outputDtype: (ins) => ins[0].dtype,
  },
  oneHot: { outputShape: (ins, a) => [...ins[0].shape, a.depth], outputDtype: () => 'int32' },
};
