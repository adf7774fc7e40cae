/**
 * `file://` in Node, laid out as tfjs-node does: `save('file://dir')` writes
 * `dir/model.json` and `dir/weights.bin`; `load('file://dir/model.json')`
 * (or the directory) reads them. Saving writes temporary files and renames
 * them into place, so a crash never leaves a half-written model.
 */
import type { IOHandler, ModelArtifacts, SaveResult } from './types.js';
import { artifactsInfo, checkModelJSON, modelJSONFor } from './types.js';
import { concatBuffers } from './weights.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

async function node(): Promise<{ fs: Fs; path: Path }> {
  if (typeof process === 'undefined' || !process.versions?.node) throw new Error('file:// handlers need Node.js; in a browser use indexeddb://, localstorage:// or downloads://');
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

export class FileHandler implements IOHandler {
  constructor(readonly location: string) {}

  async save(a: ModelArtifacts): Promise<SaveResult> {
    const { fs, path } = await node();
    const dir = this.location.endsWith('.json') ? path.dirname(this.location) : this.location;
    await fs.mkdir(dir, { recursive: true });
    const tag = `.tmp-${process.pid}-${Date.now()}`;
    const weights = path.join(dir, 'weights.bin');
    const json = path.join(dir, 'model.json');
    const files = [
      [weights + tag, weights, new Uint8Array(a.weightData ?? new ArrayBuffer(0))],
      [json + tag, json, JSON.stringify(modelJSONFor(a, ['weights.bin']))],
    ] as const;
    try {
      for (const [tmp, , data] of files) await fs.writeFile(tmp, data);
      // The weights go first: model.json only ever points at complete weights.
      for (const [tmp, final] of files) await fs.rename(tmp, final);
    } catch (e) {
      await Promise.all(files.map(([tmp]) => fs.rm(tmp, { force: true })));
      throw new Error(`save: could not write ${json}: ${(e as Error).message}`);
    }
    return { modelArtifactsInfo: artifactsInfo(a) };
  }

  async load(): Promise<ModelArtifacts> {
    const { fs, path } = await node();
    let file = this.location;
    const st = await fs.stat(file).catch(() => null);
    if (!st) throw new Error(`loadLayersModel: file://${file} does not exist`);
    if (st.isDirectory()) file = path.join(file, 'model.json');
    const where = `loadLayersModel(file://${file})`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (e) {
      throw new Error(`${where}: cannot read model.json: ${(e as Error).message}`);
    }
    const j = checkModelJSON(parsed, where);
    const dir = path.dirname(file);
    const buffers: ArrayBuffer[] = [];
    for (const g of j.weightsManifest) {
      for (const p of g.paths) {
        const full = path.join(dir, p);
        const b = await fs.readFile(full).catch((e: Error) => {
          throw new Error(`${where}: cannot read weights file ${full}: ${e.message}`);
        });
        buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
      }
    }
    return {
      modelTopology: j.modelTopology,
      format: j.format,
      generatedBy: j.generatedBy,
      convertedBy: j.convertedBy,
      weightSpecs: j.weightsManifest.flatMap((g) => g.weights),
      weightData: concatBuffers(buffers),
      trainingConfig: j.trainingConfig,
      userDefinedMetadata: j.userDefinedMetadata,
    };
  }
}
