import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';

describe('tensor() values', () => {
  it('rejects non-numeric leaves with the path to the first one', () => {
    const before = sg.memory().numTensors;
    expect(() => sg.tensor('abc' as unknown as number)).toThrow(/^tensor: values is the string 'abc'; expected numbers/);
    expect(() => sg.tensor([[1, 2], [3, 'x']] as unknown as number[][])).toThrow(/^tensor: values\[1\]\[1\] is the string 'x'/);
    expect(() => sg.tensor([1, null] as unknown as number[])).toThrow(/^tensor: values\[1\] is null/);
    expect(sg.memory().numTensors).toBe(before);
  });
  it('still takes numbers, booleans and typed arrays', () => {
    const ts = [sg.tensor([[1, 2]]), sg.tensor([true, false]), sg.tensor(new Float32Array([1, 2]))];
    expect(ts.map((t) => t.shape)).toEqual([[1, 2], [2], [2]]);
    sg.dispose(ts);
  });
});
