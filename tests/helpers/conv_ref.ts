/** TensorFlow.js references for conv tests: dilated filters (tfjs has no dilated conv2d gradient) and explicit padding. */
import type * as tfTypes from '@tensorflow/tfjs';
import type { PadMode } from '../../src/kernels/op_names.js';
import type { Tf } from './tf.js';

/** [ef, f] 0/1 matrix that spreads f taps d apart: D[i·d, i] = 1. */
function spread(tf: Tf, f: number, d: number): tfTypes.Tensor2D {
  const ef = f + (f - 1) * (d - 1);
  const m = new Float32Array(ef * f);
  for (let i = 0; i < f; i++) m[i * d * f + i] = 1;
  return tf.tensor2d(m, [ef, f]);
}

/**
 * The filter `[fh, fw, Cin, Cout]` dilated by `[dh, dw]` (zeros between taps),
 * built from matMuls so tf.grads reaches the filter. TensorFlow.js has no
 * gradient for dilated conv2d and refuses stride > 1 with dilation > 1, so
 * the reference is an undilated conv2d with this filter (exact: it only adds
 * products with 0).
 */
export function tfDilate(tf: Tf, f: tfTypes.Tensor, dh: number, dw: number): tfTypes.Tensor4D {
  const [fh, fw, ci, co] = f.shape;
  const rows = tf.matMul(spread(tf, fh, dh), tf.reshape(f, [fh, fw * ci * co])); // [efh, fw·ci·co]
  const efh = rows.shape[0];
  const t = tf.reshape(tf.transpose(tf.reshape(rows, [efh, fw, ci * co]), [1, 0, 2]), [fw, efh * ci * co]);
  const cols = tf.matMul(spread(tf, fw, dw), t); // [efw, efh·ci·co]
  const efw = cols.shape[0];
  return tf.reshape(tf.transpose(tf.reshape(cols, [efw, efh, ci * co]), [1, 0, 2]), [efh, efw, ci, co]);
}

/** Our pad mode as tf.conv2d's. */
export const tfPad = (pad: PadMode): 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]] =>
  typeof pad === 'string' ? pad : [[0, 0], [pad[0], pad[1]], [pad[2], pad[3]], [0, 0]];
