/** Floating-point operation counts of kernels, for GFLOP/s figures (multiply and add count as two). */
import type { OpName } from '../kernels/op_names.js';
import { sizeOf } from '../kernels/types.js';

/**
 * Estimated FLOPs of one run of `op`: 2·M·N·K (per batch) for matMul,
 * 2·|dy|·KH·KW·C_in for the three conv2d kernels, the input size for
 * reductions and pools, and one per output element otherwise.
 */
export function flopsOf(op: OpName, inputShapes: readonly (readonly number[])[], outShape: readonly number[], attrs: object = {}): number {
  const out = sizeOf(outShape);
  const a = attrs as { transposeA?: boolean; filterSize?: readonly number[] };
  switch (op) {
    case 'matMul':
    case 'fusedMatMul': {
      const x = inputShapes[0];
      const k = a.transposeA ? x[x.length - 2] : x[x.length - 1];
      return 2 * out * k + (op === 'fusedMatMul' ? 2 * out : 0);
    }
    case 'conv2d':
    case 'fusedConv2d':
    case 'conv2dBackpropInput':
    case 'conv2dBackpropFilter': {
      const filter = op === 'conv2dBackpropFilter' ? outShape : inputShapes[1];
      const dy = op === 'conv2d' || op === 'fusedConv2d' ? outShape : op === 'conv2dBackpropInput' ? inputShapes[0] : inputShapes[1];
      return 2 * sizeOf(dy) * filter[0] * filter[1] * filter[2] + (op === 'fusedConv2d' ? 2 * out : 0);
    }
    case 'maxPool':
    case 'avgPool': {
      const f = a.filterSize ?? [1, 1];
      return out * f[0] * f[1];
    }
    case 'sum':
    case 'prod':
    case 'max':
    case 'min':
    case 'argMax':
    case 'argMin':
    case 'softmax':
    case 'logSoftmax':
      return sizeOf(inputShapes[0]) * (op === 'softmax' || op === 'logSoftmax' ? 4 : 1);
    default:
      return out;
  }
}
