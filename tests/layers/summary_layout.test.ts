import { expect, test } from 'vitest';
import * as sg from '../../src/index.js';

test('summary columns never run together, whatever the name lengths', () => {
  const m = sg.sequential({
    name: 'seq',
    layers: [
      sg.layers.conv2d(64, 3, { inputShape: [12, 12, 1] }),
      sg.layers.maxPooling2d(2, { name: 'a_very_long_layer_name_for_the_pooling_layer' }),
      sg.layers.flatten(),
      sg.layers.dense(10),
    ],
  });
  const lines: string[] = [];
  m.summary((l) => lines.push(l));
  for (const l of m.layers) {
    const line = lines.find((x) => x.startsWith(`${l.name} (`)) as string;
    const shape = l.name.startsWith('a_very') ? '(None, 5, 5, 64)' : l.name.startsWith('flatten') ? '(None, 1600)' : undefined;
    expect(line).toMatch(new RegExp(`^${l.name} \\(${l.getClassName()}\\) +\\(None[^)]*\\) +[\\d,]+$`));
    if (shape) expect(line).toContain(` ${shape} `);
  }
  const widths = new Set(lines.filter((l) => /^[_=]+$/.test(l)).map((l) => l.length));
  expect(widths.size).toBe(1);
  m.dispose();
});
