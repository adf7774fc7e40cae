/**
 * Model save/load through IndexedDB and localStorage in headless Chromium:
 * shadergrad ↔ TensorFlow.js in the same page share tfjs's stores, so a
 * model saved by either loads in the other with equal predictions.
 * Skipped, with a note, when Chromium is not installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Session } from './chromium.js';
import { hasChromium, openPage } from './chromium.js';

let s: Session | null = null;

describe.skipIf(!hasChromium)('model save/load in headless Chromium', () => {
  beforeAll(async () => {
    s = await openPage('tests/browser/page_entry.ts');
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  for (const scheme of ['indexeddb', 'localstorage']) {
    test(`${scheme}:// round trip sg → sg, sg → tfjs and tfjs → sg`, async () => {
      const res = (await s!.page.evaluate(async (scheme: string) => {
        const w = window as any;
        const sg = w.sg;
        const tf = w.tf;
        await tf.setBackend('cpu');
        const x = [0.1, -0.4, 0.7, 0.2, 0.9, -0.3, 0.5, 0.05];
        const m = sg.sequential({ layers: [sg.layers.dense({ units: 5, inputShape: [4], activation: 'relu' }), sg.layers.dense({ units: 2 })] });
        const pred = (mm: any, lib: any) => {
          const t = lib.tensor(x, [2, 4]);
          const y = mm.predict(t);
          const v = Array.from(y.dataSync() as Float32Array);
          y.dispose();
          t.dispose();
          return v;
        };
        await m.save(`${scheme}://sg-model`);
        const back = await sg.loadLayersModel(`${scheme}://sg-model`);
        const tm = await tf.loadLayersModel(`${scheme}://sg-model`);
        const tfm = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'tanh' })] });
        await tfm.save(`${scheme}://tf-model`);
        const fromTf = await sg.loadLayersModel(`${scheme}://tf-model`);
        return { orig: pred(m, sg), back: pred(back, sg), tfLoaded: pred(tm, tf), tfOrig: pred(tfm, tf), sgFromTf: pred(fromTf, sg) };
      }, scheme)) as Record<string, number[]>;
      const close = (a: number[], b: number[]) => {
        expect(a.length).toBe(b.length);
        a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5 + 1e-4 * Math.abs(b[i])));
      };
      close(res.back, res.orig);
      close(res.tfLoaded, res.orig);
      close(res.sgFromTf, res.tfOrig);
    }, 60_000);
  }
});
