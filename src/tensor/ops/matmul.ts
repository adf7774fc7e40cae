/** Matrix product, batched for rank ≥ 3. */
import { matMulShape } from '../../kernels/matmul/spec.js';
import type { Tensor } from '../tensor.js';
import type { TensorLike } from './util.js';
import { ENGINE, assertDType, checkBool, checkSize, fmtShape, toTensor } from './util.js';

/**
 * a · b over the last two dims, with optional transposes (read in place, never
 * materialised). Rank ≥ 3 is batched; batch dims broadcast.
 * @example sg.matMul(sg.ones([2, 3]), sg.ones([3, 4])) // shape [2, 4], all 3
 */
export function matMul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  return ENGINE.scopedOp('matMul', () => {
    checkBool('matMul', 'transposeA', transposeA);
    checkBool('matMul', 'transposeB', transposeB);
    let ta = toTensor(a, 'a', 'matMul');
    let tb = toTensor(b, 'b', 'matMul');
    if (ta.rank < 2 || tb.rank < 2) {
      throw new Error(`matMul: both arguments must be rank >= 2, got ${fmtShape(ta.shape)} x ${fmtShape(tb.shape)}`);
    }
    assertDType(ta, 'a', 'matMul', ['float32', 'int32']);
    assertDType(tb, 'b', 'matMul', ['float32', 'int32']);
    checkSize('matMul', 'output', matMulShape(ta.shape, tb.shape, transposeA, transposeB));
    if (ta.dtype !== tb.dtype) {
      if (ta.dtype === 'int32') ta = ENGINE.dispatch('cast', [ta], { dtype: 'float32' });
      else tb = ENGINE.dispatch('cast', [tb], { dtype: 'float32' });
    }
    return ENGINE.dispatch('matMul', [ta, tb], { transposeA, transposeB });
  });
}
