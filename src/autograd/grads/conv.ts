/**
 * Gradient rules of conv2d, its two gradient ops (each linear in both
 * inputs, so grads of grads work) and fusedConv2d (composed of the conv
 * gradients, sum and elementwise ops, with fusedMatMul's `actGrad`). Each
 * rule has its derivative in a comment above it.
 */
import type { OpName } from '../../kernels/op_names.js';
import * as ops from '../../tensor/index.js';
import type { GradRule } from '../rule.js';
import { needs } from '../rule.js';
import { actGrad } from './matmul.js';

type Op = 'conv2d' | 'fusedConv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/** Conv ops' gradient rules (or 'nondiff'). */
export const convRules: { readonly [K in Op & OpName]: GradRule<K> | 'nondiff' } = {
  // y = x ⊛ W: dx = conv2dBackpropInput(dy, W), dW = conv2dBackpropFilter(x, dy)
  // (an input that needs no gradient, such as the data into the first conv, is skipped)
  conv2d: (dy, ctx) => {
    const { inputs: [x, w], attrs: { strides, pad, dilations } } = ctx;
    return [
      needs(ctx, 0) ? ops.conv2dBackpropInput(x.shape, dy, w, strides, pad, dilations) : null,
      needs(ctx, 1) ? ops.conv2dBackpropFilter(x, dy, w.shape, strides, pad, dilations) : null,
    ];
  },
  // z = conv2dBackpropInput(g, W) is linear in g and W: dg = ddz ⊛ W, dW = conv2dBackpropFilter(ddz, g)
  conv2dBackpropInput: (ddx, { inputs: [g, w], attrs: { strides, pad, dilations } }) => [
    ops.conv2d(ddx, w, strides, pad, 'NHWC', dilations),
    ops.conv2dBackpropFilter(ddx, g, w.shape, strides, pad, dilations),
  ],
  // z = conv2dBackpropFilter(x, g) is linear in x and g: dx = conv2dBackpropInput(g, ddz), dg = x ⊛ ddz
  conv2dBackpropFilter: (ddw, { inputs: [x, g], attrs: { strides, pad, dilations } }) => [
    ops.conv2dBackpropInput(x.shape, g, ddw, strides, pad, dilations),
    ops.conv2d(x, ddw, strides, pad, 'NHWC', dilations),
  ],
  // y = act(z), z = x ⊛ W + bias: dz = dy·act'(z) from y; dx = conv2dBackpropInput(dz, W), dW = conv2dBackpropFilter(x, dz), dbias = Σ_{n,h,w} dz
  // (inputs that need no gradient, such as the data into the first conv, are skipped)
  fusedConv2d: (dy, ctx) => {
    const { inputs: [x, w], output: y, attrs: { strides, pad, dilations, activation } } = ctx;
    const dz = actGrad(dy, y, activation);
    return [
      needs(ctx, 0) ? ops.conv2dBackpropInput(x.shape, dz, w, strides, pad, dilations) : null,
      needs(ctx, 1) ? ops.conv2dBackpropFilter(x, dz, w.shape, strides, pad, dilations) : null,
      needs(ctx, 2) ? ops.sum(dz, [0, 1, 2]) : null,
    ];
  },
};
