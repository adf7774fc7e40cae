/** The console side of training: Keras-like progress lines and checkpoint messages. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, vi } from 'vitest';
import * as sg from '../../src/index.js';
import { ProgressLogger, fmtValue } from '../../src/layers/callbacks.js';

test('the bar shows the running mean, an ETA, and ends with ms/step', () => {
  const out: string[] = [];
  const p = new ProgressLogger(1, 3, { write: (s) => void out.push(s), isTTY: true, throttleMs: 0 });
  p.onEpochBegin(0);
  p.onBatchEnd(0, { batch: 0, size: 2, loss: 1 });
  p.onBatchEnd(1, { batch: 1, size: 2, loss: 3 });
  expect(out[out.length - 1]).toMatch(/^\r2\/3 \[=+>\.+\] - ETA: \d+s - loss: 2\.0000\x1b\[K$/);
  p.onBatchEnd(2, { batch: 2, size: 1, loss: 6 });
  expect(out[out.length - 1]).toMatch(/ - loss: 2\.8000\x1b\[K$/);
  p.onEpochEnd(0, { loss: 2.8 });
  expect(out[out.length - 1]).toMatch(/^\r3\/3 \[=+\] - \d+ms \d+ms\/step - loss: 2\.8000\x1b\[K\n$/);
});

test('values print as Keras prints them; fit rejects a verbose outside 0, 1, 2', async () => {
  expect([fmtValue(3), fmtValue(0.66877337), fmtValue(1e-5), fmtValue(2.5e7)]).toEqual(['3.0000', '0.6688', '1.000e-5', '2.500e+7']);
  const m = sg.sequential([sg.layers.dense(1, { inputShape: [1] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  await expect(m.fit([[1]], [1], { verbose: 3 })).rejects.toThrow(/\.fit: verbose must be 0 \(silent\), 1 \(progress bar\) or 2/);
  m.dispose();
});

test('modelCheckpoint says what improved, rounded, and where it saved', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-ckpt-'));
  const logs: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((s: string) => void logs.push(s));
  try {
    const m = sg.sequential([sg.layers.dense(1, { inputShape: [1] })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const cb = sg.callbacks.modelCheckpoint(join(dir, 'best'), { monitor: 'loss', saveBestOnly: true, verbose: 1 });
    await m.fit([[1], [2]], [2, 4], { epochs: 1, verbose: 0, callbacks: [cb] });
    m.dispose();
  } finally {
    spy.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(logs[0]).toMatch(new RegExp(`^Epoch 1: loss improved from inf to \\d+\\.\\d{5}, saving model to ${join(dir, 'best').replace(/[/\\]/g, '\\$&')}$`));
});
