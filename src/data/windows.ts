/**
 * Sliding windows for time series: every window of `timesteps` consecutive
 * rows becomes one sample, paired with the target at the window's last row
 * plus `horizon` (horizon 0 is the course's `temporalize`).
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { Table } from './host.js';
import { checkOptions, toHost } from './host.js';

/**
 * x `[n, features]` (or a 1-D series) and y `[n]` or `[n, k]` →
 * `{ x: [m, timesteps, features], y: [m] or [m, k] }` with m = n − timesteps − horizon + 1.
 * Sample i covers rows i … i+timesteps−1 and its target is y[i + timesteps − 1 + horizon].
 */
export function timeseriesWindows(x: Table | Tensor, y: Table | Tensor, timesteps: number, options: { horizon?: number } = {}): { x: Tensor; y: Tensor } {
  checkOptions('timeseriesWindows', options, ['horizon']);
  const horizon = options.horizon ?? 0;
  if (!Number.isInteger(timesteps) || timesteps < 1) throw new Error(`timeseriesWindows: timesteps must be a positive integer, got ${timesteps}`);
  if (!Number.isInteger(horizon) || horizon < 0) throw new Error(`timeseriesWindows: horizon must be a non-negative integer, got ${horizon}`);
  return ops.tidy(() => {
    const xt = x instanceof ops.Tensor ? x : tableTensor(x, 'timeseriesWindows x');
    const yt = y instanceof ops.Tensor ? y : tableTensor(y, 'timeseriesWindows y');
    const n = xt.shape[0];
    if (xt.rank !== 1 && xt.rank !== 2) throw new Error(`timeseriesWindows: x must be [n, features] or [n], got [${xt.shape}]`);
    if (yt.shape[0] !== n) throw new Error(`timeseriesWindows: x has ${n} rows, y has ${yt.shape[0]}`);
    const m = n - timesteps - horizon + 1;
    if (m < 1) throw new Error(`timeseriesWindows: a window of ${timesteps} steps plus horizon ${horizon} is longer than the series of ${n} rows`);
    const x2 = xt.rank === 1 ? ops.reshape(xt, [n, 1]) : xt;
    const idx = new Int32Array(m * timesteps);
    for (let i = 0; i < m; i++) for (let t = 0; t < timesteps; t++) idx[i * timesteps + t] = i + t;
    const windows = ops.gather(x2, ops.tensor(idx, [m, timesteps], 'int32'));
    const targetIdx = Int32Array.from({ length: m }, (_, i) => i + timesteps - 1 + horizon);
    const targets = ops.gather(yt, ops.tensor(targetIdx, [m], 'int32'));
    return { x: windows, y: targets };
  });
}

function tableTensor(t: Table, what: string): Tensor {
  const h = toHost(t, what);
  return ops.tensor(Float32Array.from(h.values), h.vector ? [h.rows] : [h.rows, h.cols]);
}
