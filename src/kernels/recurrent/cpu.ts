/**
 * CPU kernels of the LSTM/GRU cells (see `spec.ts`): one pass over [B, U]
 * per cell step, forward and backward. Backward kernels recompute the gates
 * from the pre-activations rather than storing them.
 */
import type { CellActivation } from './spec.js';
import { cellActivationCodes } from './spec.js';
import type { CpuKernel, CpuMultiKernel } from '../cpu/cpu_tensor.js';

/** Activation `code` at x. */
function act(code: number, x: number): number {
  switch (code) {
    case 1:
      return x < 0 ? 0 : x;
    case 2:
      return 1 / (1 + Math.exp(-x));
    case 3: {
      const y = 0.2 * x + 0.5;
      return y < 0 ? 0 : y > 1 ? 1 : y;
    }
    case 4:
      return Math.tanh(x);
    default:
      return x;
  }
}

/** Derivative of activation `code` at x, given y = act(code, x) (TensorFlow.js's choices at kinks). */
function dact(code: number, x: number, y: number): number {
  switch (code) {
    case 1:
      return x > 0 ? 1 : 0;
    case 2:
      return y * (1 - y);
    case 3: {
      const u = 0.2 * x + 0.5;
      return u >= 0 && u <= 1 ? 0.2 : 0;
    }
    case 4:
      return 1 - y * y;
    default:
      return 1;
  }
}

const codes = (a: { activation: CellActivation; recurrentActivation: CellActivation }): [number, number] => [cellActivationCodes[a.activation], cellActivationCodes[a.recurrentActivation]];

/** Rows and units of a [B, G·U] gate tensor. */
function dims(shape: readonly number[], gates: number): [number, number] {
  const last = shape[shape.length - 1];
  return [last === 0 ? 0 : shape.reduce((a, d) => a * d, 1) / last, last / gates];
}

// i, f, o = ra(z_i, z_f, z_o); g = act(z_c); c = f·cPrev + i·g; h = o·act(c)
export const lstmCellKernel: CpuMultiKernel<'lstmCell'> = ([zt, ct], [cOut, hOut], attrs) => {
  const [ac, rc] = codes(attrs);
  const [rows, u] = dims(zt.shape, 4);
  const z = zt.values;
  const cp = ct.values;
  const co = cOut.values;
  const ho = hOut.values;
  for (let b = 0; b < rows; b++) {
    const zb = b * 4 * u;
    const cb = b * u;
    for (let j = 0; j < u; j++) {
      const i = act(rc, z[zb + j]);
      const f = act(rc, z[zb + u + j]);
      const g = act(ac, z[zb + 2 * u + j]);
      const og = act(rc, z[zb + 3 * u + j]);
      const c = f * cp[cb + j] + i * g;
      co[cb + j] = c;
      ho[cb + j] = og * act(ac, c);
    }
  }
};

// dc = dc_out + dh·o·act'(c); dz_i = dc·g·ra'(z_i); dz_f = dc·cPrev·ra'(z_f);
// dz_c = dc·i·act'(z_c); dz_o = dh·act(c)·ra'(z_o); dcPrev = dc·f
export const lstmCellGradKernel: CpuMultiKernel<'lstmCellGrad'> = ([zt, ct, dct, dht], [dzOut, dcPrevOut], attrs) => {
  const [ac, rc] = codes(attrs);
  const [rows, u] = dims(zt.shape, 4);
  const z = zt.values;
  const cp = ct.values;
  const dcIn = dct.values;
  const dhIn = dht.values;
  const dz = dzOut.values;
  const dcp = dcPrevOut.values;
  for (let b = 0; b < rows; b++) {
    const zb = b * 4 * u;
    const cb = b * u;
    for (let j = 0; j < u; j++) {
      const zi = z[zb + j];
      const zf = z[zb + u + j];
      const zc = z[zb + 2 * u + j];
      const zo = z[zb + 3 * u + j];
      const i = act(rc, zi);
      const f = act(rc, zf);
      const g = act(ac, zc);
      const og = act(rc, zo);
      const cprev = cp[cb + j];
      const c = f * cprev + i * g;
      const tc = act(ac, c);
      const dh = dhIn[cb + j];
      const dc = dcIn[cb + j] + dh * og * dact(ac, c, tc);
      dz[zb + j] = dc * g * dact(rc, zi, i);
      dz[zb + u + j] = dc * cprev * dact(rc, zf, f);
      dz[zb + 2 * u + j] = dc * i * dact(ac, zc, g);
      dz[zb + 3 * u + j] = dh * tc * dact(rc, zo, og);
      dcp[cb + j] = dc * f;
    }
  }
};

// z = ra(xz_z + hz_z); r = ra(xz_r + hz_r); ĥ = act(xz_h + r·hz_h); h = z·hPrev + (1 − z)·ĥ
export const gruCellKernel: CpuKernel<'gruCell'> = ([xt, ht, pt], out, attrs) => {
  const [ac, rc] = codes(attrs);
  const [rows, u] = dims(xt.shape, 3);
  const x = xt.values;
  const hz = ht.values;
  const hp = pt.values;
  const o = out.values;
  for (let b = 0; b < rows; b++) {
    const gb = b * 3 * u;
    const pb = b * u;
    for (let j = 0; j < u; j++) {
      const zg = act(rc, x[gb + j] + hz[gb + j]);
      const r = act(rc, x[gb + u + j] + hz[gb + u + j]);
      const hh = act(ac, x[gb + 2 * u + j] + r * hz[gb + 2 * u + j]);
      o[pb + j] = zg * hp[pb + j] + (1 - zg) * hh;
    }
  }
};

// dz = dh·(hPrev − ĥ); dĥ = dh·(1 − z); da_h = dĥ·act'(a_h); dr = da_h·hz_h;
// dxz = [dz·ra'(a_z), dr·ra'(a_r), da_h]; dhz = [same, same, da_h·r]; dhPrev = dh·z
export const gruCellGradKernel: CpuMultiKernel<'gruCellGrad'> = ([xt, ht, pt, dt], [dxzOut, dhzOut, dhPrevOut], attrs) => {
  const [ac, rc] = codes(attrs);
  const [rows, u] = dims(xt.shape, 3);
  const x = xt.values;
  const hz = ht.values;
  const hp = pt.values;
  const d = dt.values;
  const dxz = dxzOut.values;
  const dhz = dhzOut.values;
  const dhp = dhPrevOut.values;
  for (let b = 0; b < rows; b++) {
    const gb = b * 3 * u;
    const pb = b * u;
    for (let j = 0; j < u; j++) {
      const az = x[gb + j] + hz[gb + j];
      const ar = x[gb + u + j] + hz[gb + u + j];
      const zg = act(rc, az);
      const r = act(rc, ar);
      const mh = hz[gb + 2 * u + j];
      const ah = x[gb + 2 * u + j] + r * mh;
      const hh = act(ac, ah);
      const dh = d[pb + j];
      const daz = dh * (hp[pb + j] - hh) * dact(rc, az, zg);
      const dah = dh * (1 - zg) * dact(ac, ah, hh);
      const dar = dah * mh * dact(rc, ar, r);
      dxz[gb + j] = daz;
      dxz[gb + u + j] = dar;
      dxz[gb + 2 * u + j] = dah;
      dhz[gb + j] = daz;
      dhz[gb + u + j] = dar;
      dhz[gb + 2 * u + j] = dah * r;
      dhp[pb + j] = dh * zg;
    }
  }
};
