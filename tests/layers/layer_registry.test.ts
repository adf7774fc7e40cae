/**
 * Built-in layer classes are registered on first lookup (not by each module at
 * load, so that bundles without layers drop them): the first lookup of a fresh
 * module graph sees them all, a class the user registers under a built-in name
 * wins, and timeDistributed builds its inner layer from a config before anything
 * else has looked a class up.
 */
import { expect, test } from 'vitest';
import * as sg from '../../src/index.js';

test('timeDistributed builds a { className, config } inner layer as the first lookup of the process', () => {
  const td = sg.layers.timeDistributed({ layer: { className: 'Dense', config: { units: 3 } } as never });
  expect(td.layer.getClassName()).toBe('Dense');
  td.dispose();
});

test('deserializeLayer knows every built-in class; a class registered under a built-in name wins', () => {
  let msg = '';
  try {
    sg.deserializeLayer({ class_name: 'NoSuchLayer', config: {} });
  } catch (e) {
    msg = (e as Error).message;
  }
  const listed = msg.replace(/^.*registered: /, '').split(', ');
  for (const name of ['Dense', 'Conv1D', 'Conv2D', 'MaxPooling2D', 'GlobalAveragePooling1D', 'BatchNormalization', 'Embedding', 'Concatenate', 'Add', 'Minimum', 'LayerNormalization', 'TimeDistributed', 'RepeatVector', 'InputLayer', 'Flatten', 'Dropout', 'Reshape', 'Activation']) {
    expect(listed, name).toContain(name);
  }
  const d = sg.deserializeLayer({ class_name: 'Dense', config: { units: 2, name: 'd_reg' } });
  expect(d.getClassName()).toBe('Dense');
  const p = sg.deserializeLayer({ class_name: 'MaxPooling2D', config: { pool_size: [2, 2] } });
  expect(p.getClassName()).toBe('MaxPooling2D');
  let called = 0;
  sg.registerLayer('Flatten', (a) => {
    called++;
    return sg.layers.flatten(a as never);
  });
  expect(sg.deserializeLayer({ class_name: 'Flatten', config: {} }).getClassName()).toBe('Flatten');
  expect(called).toBe(1);
  expect(() => sg.deserializeLayer({ class_name: 'NoSuchLayer', config: {} })).toThrow(/unknown layer class 'NoSuchLayer'; registered: /);
});
