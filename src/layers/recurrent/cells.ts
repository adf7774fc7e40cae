/**
 * One time step of each recurrent cell: the gate math after the input
 * projection. Each function takes `xw` = x_t·W + b (already computed for all
 * timesteps in one matMul by the layer), does the one matMul of the previous
 * state with the recurrent kernel, and applies the gates. Keeping the gate
 * math here, and nowhere else, lets a fused GPU cell kernel replace it.
 *
 * Shapes: `xw` [batch, G·units] (G gates), `h`, `c` [batch, units],
 * recurrent kernels [units, G·units] in Keras's gate order.
 */
import type { CellActivation } from '../../kernels/recurrent/spec.js';
import type { Tensor } from '../../tensor/index.js';
import * as ops from '../../tensor/index.js';
import type { Activation } from '../activations.js';

/** SimpleRNN: h' = act(xw + h·U). */
export function simpleRnnStep(xw: Tensor, h: Tensor, recurrentKernel: Tensor, activation: Activation): Tensor {
  return activation(ops.add(xw, ops.matMul(h, recurrentKernel)));
}

/**
 * LSTM (gate order i, f, c, o as Keras):
 * z = xw + h·U; i = σ(z_i), f = σ(z_f), g = act(z_c), o = σ(z_o);
 * c' = f·c + i·g; h' = o·act(c'). Returns [h', c'].
 */
export function lstmStep(xw: Tensor, h: Tensor, c: Tensor, recurrentKernel: Tensor, activation: Activation, recurrentActivation: Activation): [Tensor, Tensor] {
  const z = ops.add(xw, ops.matMul(h, recurrentKernel));
  const [zi, zf, zc, zo] = ops.split(z, 4, 1);
  const i = recurrentActivation(zi);
  const f = recurrentActivation(zf);
  const g = activation(zc);
  const o = recurrentActivation(zo);
  const c2 = ops.add(ops.mul(f, c), ops.mul(i, g));
  const h2 = ops.mul(o, activation(c2));
  return [h2, c2];
}

/**
 * GRU (gate order z, r, h as Keras). With `resetAfter` (Keras 3 default,
 * CuDNN-compatible), the reset gate multiplies the recurrent projection:
 *   m = h·U + b_rec; z = σ(xw_z + m_z); r = σ(xw_r + m_r);
 *   ĥ = act(xw_h + r·m_h)
 * Without it (Keras 2 / TensorFlow.js), it multiplies the state first:
 *   m = h·U[:, :2u]; z, r as above; ĥ = act(xw_h + (r·h)·U[:, 2u:])
 * Then h' = z·h + (1 − z)·ĥ.
 *
 * For `resetAfter: false` pass the recurrent kernel already split as
 * `[U_zr, U_h]` (the layer slices it once per call, not per step).
 * `hRec` (default `h`) replaces h inside the gates (the matMuls and r·h):
 * recurrent dropout passes h·mask there, while z·h carries the unmasked h.
 */
export function gruStep(
  xw: Tensor,
  h: Tensor,
  recurrentKernel: Tensor | readonly [Tensor, Tensor],
  recurrentBias: Tensor | null,
  activation: Activation,
  recurrentActivation: Activation,
  resetAfter: boolean,
  hRec: Tensor = h,
): Tensor {
  const [xz, xr, xh] = ops.split(xw, 3, 1);
  let z: Tensor;
  let hh: Tensor;
  if (resetAfter) {
    let m = ops.matMul(hRec, recurrentKernel as Tensor);
    if (recurrentBias) m = ops.add(m, recurrentBias);
    const [mz, mr, mh] = ops.split(m, 3, 1);
    z = recurrentActivation(ops.add(xz, mz));
    const r = recurrentActivation(ops.add(xr, mr));
    hh = activation(ops.add(xh, ops.mul(r, mh)));
  } else {
    const [uzr, uh] = recurrentKernel as readonly [Tensor, Tensor];
    const [mz, mr] = ops.split(ops.matMul(hRec, uzr), 2, 1);
    z = recurrentActivation(ops.add(xz, mz));
    const r = recurrentActivation(ops.add(xr, mr));
    hh = activation(ops.add(xh, ops.matMul(ops.mul(r, hRec), uh)));
  }
  return ops.add(ops.mul(z, h), ops.mul(ops.sub(1, z), hh));
}

/**
 * `lstmStep` with the gate math in one fused kernel (`ops.lstmCell`, forward
 * and backward), for the activations the fused cell supports.
 */
export function lstmStepFused(xw: Tensor, h: Tensor, c: Tensor, recurrentKernel: Tensor, activation: CellActivation, recurrentActivation: CellActivation): [Tensor, Tensor] {
  const z = ops.add(xw, ops.matMul(h, recurrentKernel));
  const next = ops.lstmCell(z, c, activation, recurrentActivation);
  return [next.h, next.c];
}

/**
 * `gruStep` with `resetAfter` and the gate math in one fused kernel
 * (`ops.gruCell`), for the activations the fused cell supports; `hRec` as
 * in `gruStep` (only the recurrent matMul sees it).
 */
export function gruStepFused(xw: Tensor, h: Tensor, recurrentKernel: Tensor, recurrentBias: Tensor | null, activation: CellActivation, recurrentActivation: CellActivation, hRec: Tensor = h): Tensor {
  let m = ops.matMul(hRec, recurrentKernel);
  if (recurrentBias) m = ops.add(m, recurrentBias);
  return ops.gruCell(xw, m, h, activation, recurrentActivation);
}
