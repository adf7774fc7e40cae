/** sg.profile: kernel counts, new tensors, peak bytes. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

test('profile counts kernels, reports new tensors and peak bytes', async () => {
  const a = sg.ones([64, 64]);
  let y: sg.Tensor | null = null;
  const info = await sg.profile(() => {
    y = sg.tidy(() => sg.relu(sg.matMul(a, a).add(1)));
  });
  const names = info.kernels.map((k) => k.name).sort();
  expect(names).toEqual(['add', 'matMul', 'relu']);
  expect(info.kernels.every((k) => k.calls === 1 && k.totalMs >= 0 && k.backend === 'cpu')).toBe(true);
  expect(info.newTensors).toBe(1);
  expect(info.newBytes).toBe(64 * 64 * 4);
  // a, the matMul result, the scalar 1 (4 bytes) and the sum were alive at once
  expect(info.peakBytes).toBeGreaterThanOrEqual(3 * 64 * 64 * 4);
  expect(info.timing).toBe('wall-clock');
  await expect(sg.profile(() => sg.profile(() => null))).rejects.toThrow(/do not nest/);
  sg.dispose([a, y!]);
});
