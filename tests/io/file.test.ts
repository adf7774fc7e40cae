/**
 * The file:// handler and weight (de)serialisation: the tfjs-node layout,
 * atomic saves, and clear errors for corrupted or mismatched files.
 */
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { decodeWeights, encodeWeights, getHandler } from '../../src/io/index.js';
import type { ModelArtifacts } from '../../src/io/index.js';

const root = mkdtempSync(join(tmpdir(), 'sg-io-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function artifacts(): ModelArtifacts {
  const { data, specs } = encodeWeights([
    { name: 'dense/kernel', shape: [2, 3], dtype: 'float32', values: Float32Array.from([1, 2, 3, 4, 5, 6]) },
    { name: 'dense/bias', shape: [3], dtype: 'float32', values: Float32Array.from([0.5, -0.5, 0]) },
    { name: 'step', shape: [], dtype: 'int32', values: Int32Array.from([7]) },
  ]);
  return { modelTopology: { class_name: 'Sequential', config: { layers: [] } }, format: 'layers-model', generatedBy: 'test', convertedBy: null, weightSpecs: specs, weightData: data };
}

describe('file:// handler', () => {
  test('writes dir/model.json + dir/weights.bin as tfjs-node does, and reads them back', async () => {
    const dir = join(root, 'm1');
    await getHandler(`file://${dir}`, 'save').save!(artifacts());
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: artifacts().weightSpecs }]);
    expect(json.format).toBe('layers-model');
    expect(readFileSync(join(dir, 'weights.bin')).length).toBe(40);
    const back = await getHandler(`file://${dir}/model.json`, 'loadLayersModel').load!();
    const ws = decodeWeights(back.weightData!, back.weightSpecs!, 'test');
    expect(Array.from(ws[0].values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ws[2].values).toBeInstanceOf(Int32Array);
    expect(Array.from(ws[2].values)).toEqual([7]);
    // the directory form loads too
    expect((await getHandler(`file://${dir}`, 'loadLayersModel').load!()).weightSpecs).toEqual(back.weightSpecs);
  });

  test('a failed save leaves the previous model intact and no temporary files', async () => {
    const dir = join(root, 'm2');
    await getHandler(`file://${dir}`, 'save').save!(artifacts());
    const before = readFileSync(join(dir, 'model.json'), 'utf8');
    // Make the final rename of model.json impossible: a directory now stands in its way.
    rmSync(join(dir, 'model.json'));
    mkdirSync(join(dir, 'model.json'));
    writeFileSync(join(dir, 'model.json', 'keep'), 'x');
    const a = artifacts();
    a.generatedBy = 'second';
    await expect(getHandler(`file://${dir}`, 'save').save!(a)).rejects.toThrow(/save: could not write .*model.json/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    rmSync(join(dir, 'model.json'), { recursive: true });
    writeFileSync(join(dir, 'model.json'), before);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).generatedBy).toBe('test');
  });

  test('corrupted files: truncated weights, bad JSON, missing manifest, missing weights file, unknown scheme', async () => {
    const dir = join(root, 'm3');
    await getHandler(`file://${dir}`, 'save').save!(artifacts());
    const full = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), full.subarray(0, 30));
    const a = await getHandler(`file://${dir}`, 'loadLayersModel').load!();
    expect(() => decodeWeights(a.weightData!, a.weightSpecs!, 'loadLayersModel')).toThrow(/30 bytes but the manifest describes 40 bytes \(3 weights\): the weights file is truncated/);
    writeFileSync(join(dir, 'model.json'), '{"modelTopology": {');
    await expect(getHandler(`file://${dir}`, 'loadLayersModel').load!()).rejects.toThrow(/cannot read model.json/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: {} }));
    await expect(getHandler(`file://${dir}`, 'loadLayersModel').load!()).rejects.toThrow(/no 'weightsManifest' list/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['gone.bin'], weights: [] }] }));
    await expect(getHandler(`file://${dir}`, 'loadLayersModel').load!()).rejects.toThrow(/cannot read weights file .*gone.bin/);
    await expect(getHandler(`file://${join(root, 'nope')}`, 'loadLayersModel').load!()).rejects.toThrow(/does not exist/);
    expect(() => getHandler('http://x/model.json', 'loadLayersModel')).toThrow(/unsupported scheme 'http:\/\/'/);
    expect(() => decodeWeights(new ArrayBuffer(4), [{ name: 'q', shape: [1], dtype: 'float16' as never }], 'w')).toThrow(/unsupported dtype 'float16'/);
  });
});
