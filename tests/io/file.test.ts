/**
 * The file:// handler and weight (de)serialisation: the tfjs-node layout,
 * atomic saves, and clear errors for corrupted or mismatched files.
 */
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeFileAtomic } from '../../src/io/file.js';
import { crc32, decodeWeights, encodeWeights, getHandler } from '../../src/io/index.js';
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
  test('writes dir/model.json + dir/weights.bin (tfjs-node layout), and reads them back', async () => {
    const dir = join(root, 'm1');
    await getHandler(`file://${dir}`, 'save').save!(artifacts());
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const [weights] = json.weightsManifest[0].paths;
    expect(weights).toBe('weights.bin');
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    expect(json.weightsManifest).toEqual([{ paths: [weights], weights: artifacts().weightSpecs }]);
    expect(json.format).toBe('layers-model');
    expect(json.weightsChecksum).toBe(`crc32:${crc32(readFileSync(join(dir, weights)))}`);
    expect(readFileSync(join(dir, weights)).length).toBe(40);
    const back = await getHandler(`file://${dir}/model.json`, 'loadLayersModel').load!();
    const ws = decodeWeights(back.weightData!, back.weightSpecs!, 'test');
    expect(Array.from(ws[0].values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ws[2].values).toBeInstanceOf(Int32Array);
    expect(Array.from(ws[2].values)).toEqual([7]);
    // the directory form loads too
    expect((await getHandler(`file://${dir}`, 'loadLayersModel').load!()).weightSpecs).toEqual(back.weightSpecs);
    // a second save replaces the weights file and removes the old one
    await getHandler(`file://${dir}`, 'save').save!(artifacts());
    const again = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
    expect(again).toBe("weights.bin");
    expect(readdirSync(dir).sort()).toEqual(['model.json', again].sort());
  });

  test('a failed commit leaves the previous model loadable and unchanged, and no new files', async () => {
    const dir = join(root, 'm2');
    await getHandler(`file://${dir}`, 'save').save!(artifacts());
    const files = readdirSync(dir).sort();
    const before = readFileSync(join(dir, 'model.json'), 'utf8');
    const oldWeights = readFileSync(join(dir, JSON.parse(before).weightsManifest[0].paths[0]));
    // Make the commit rename of model.json impossible: a directory now stands in its way.
    rmSync(join(dir, 'model.json'));
    mkdirSync(join(dir, 'model.json'));
    writeFileSync(join(dir, 'model.json', 'keep'), 'x');
    const a = artifacts();
    a.generatedBy = 'second';
    new Float32Array(a.weightData!)[0] = 99;
    await expect(getHandler(`file://${dir}`, 'save').save!(a)).rejects.toThrow(/^save: could not write .*model.json/);
    expect(readdirSync(dir).sort()).toEqual(files);
    rmSync(join(dir, 'model.json'), { recursive: true });
    writeFileSync(join(dir, 'model.json'), before);
    const back = await getHandler(`file://${dir}`, 'loadLayersModel').load!();
    expect(back.generatedBy).toBe('test');
    expect(Buffer.from(back.weightData!).equals(oldWeights)).toBe(true);
  });

  test('stale files: temp files of dead processes and orphaned weights are removed by the next save; live ones are kept', async () => {
    const dir = join(root, 'm5');
    await getHandler(`file://${dir}`, 'save').save!(artifacts());
    const dead = 2 ** 22 + 12345; // above Linux's default pid_max of 2^22: no such process
    writeFileSync(join(dir, `model.json.sg-tmp-${dead}-0`), 'partial');
    writeFileSync(join(dir, `weights.0000000000abp${dead.toString(36)}.bin`), 'orphan of a crashed save');
    writeFileSync(join(dir, `weights.0000000000acp${process.ppid.toString(36)}.bin`), 'being written by a live process');
    writeFileSync(join(dir, `model.json.sg-tmp-${process.ppid}-3`), 'a live save in another process');
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    await getHandler(`file://${dir}`, 'save').save!(artifacts());
    const w = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
    expect(readdirSync(dir).sort()).toEqual(['model.json', `model.json.sg-tmp-${process.ppid}-3`, `weights.0000000000acp${process.ppid.toString(36)}.bin`, 'notes.txt', w].sort());
  });

  test('a tfjs-node layout (model.json + weights.bin) is replaced by a save that leaves the same layout', async () => {
    const dir = join(root, 'm6');
    mkdirSync(dir);
    const a = artifacts();
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(a.weightData!));
    expect((await getHandler(`file://${dir}`, 'loadLayersModel').load!()).weightData!.byteLength).toBe(40);
    await getHandler(`file://${dir}`, 'save').save!(a);
    const w = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
    expect(w).toBe('weights.bin');
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  test('save errors start with save: a parent path that is a file, artifacts that disagree with their specs', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    await expect(getHandler(`file://${file}/sub/model`, 'save').save!(artifacts())).rejects.toThrow(new RegExp(`^save: cannot save into .*: ${file} is a file, not a directory`));
    await expect(getHandler(`file://${file}`, 'save').save!(artifacts())).rejects.toThrow(/^save: cannot save into .*plain-file is a file/);
    const a = artifacts();
    a.weightData = a.weightData!.slice(0, 36);
    const dir = join(root, 'm7');
    await expect(getHandler(`file://${dir}`, 'save').save!(a)).rejects.toThrow(/^save: the weight data has 36 bytes but the weight specs describe 40 bytes/);
    await expect(getHandler(`file://${dir}`, 'save').save!({ ...artifacts(), weightSpecs: [{ name: 'x', shape: [-1], dtype: 'float32' }] })).rejects.toThrow(/^save: weight 'x' has an invalid shape/);
    expect(existsSync(dir)).toBe(false);
  });

  test('writeFileAtomic replaces a file in one step', async () => {
    const f = join(root, 'atomic', 'state.json');
    await writeFileAtomic(f, '{"epoch":1}');
    await writeFileAtomic(f, '{"epoch":2}');
    expect(readFileSync(f, 'utf8')).toBe('{"epoch":2}');
    expect(readdirSync(join(root, 'atomic'))).toEqual(['state.json']);
  });

  test('corrupted files: truncated weights, bad JSON, missing manifest, missing weights file, unknown scheme', async () => {
    const dir = join(root, 'm3');
    await getHandler(`file://${dir}`, 'save').save!(artifacts());
    const wfile = join(dir, JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths[0]);
    const full = readFileSync(wfile);
    writeFileSync(wfile, full.subarray(0, 30));
    await expect(getHandler(`file://${dir}`, 'loadLayersModel').load!()).rejects.toThrow(/hold 30 bytes but the manifest describes 40 bytes \(3 weights\): a weights file is truncated/);
    expect(() => decodeWeights(full.buffer.slice(full.byteOffset, full.byteOffset + 30), artifacts().weightSpecs!, 'loadLayersModel')).toThrow(/30 bytes but the manifest describes 40 bytes \(3 weights\): the weights file is truncated/);
    const flipped = Buffer.from(full);
    flipped[5] ^= 0x10;
    writeFileSync(wfile, flipped);
    await expect(getHandler(`file://${dir}`, 'loadLayersModel').load!()).rejects.toThrow(/do not match model.json's weightsChecksum/);
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
