import { expect, test } from 'vitest';
import * as sg from '../src/index.js';

test('smoke', async () => {
  const x = sg.tensor([[1, 2], [3, 4]]);
  const y = sg.matMul(x, x);
  expect(Array.from(await y.data())).toEqual([7, 10, 15, 22]);
  const g = sg.grad((t) => t.square().sum())(x);
  expect(Array.from(await g.data())).toEqual([2, 4, 6, 8]);
  const before = sg.memory().numTensors;
  const gg = sg.grad((t) => sg.grad((u) => u.mul(u).mul(u).sum())(t).sum())(x);
  expect(Array.from(await gg.data())).toEqual([6, 12, 18, 24]);
  gg.dispose();
  expect(sg.memory().numTensors).toBe(before);
  const c = sg.conv2d(sg.ones([1, 5, 5, 1]), sg.ones([3, 3, 1, 2]), 1, 'same');
  console.log(c.shape, Array.from(await c.data()).slice(0, 6));
  console.log(sg.memory());
});
