/**
 * Browser storage in TensorFlow.js's own layouts, so models saved by either
 * library load in the other: `indexeddb://` (database 'tensorflowjs', stores
 * 'models_store' and 'model_info_store'), `localstorage://` (keys
 * 'tensorflowjs_models/<path>/…', weights in base64) and `downloads://`
 * (model.json + model.weights.bin as file downloads).
 */
import type { IOHandler, ModelArtifacts, SaveResult } from './types.js';
import { artifactsInfo, modelJSONFor } from './types.js';
import { crc32 } from './weights.js';

const DB = 'tensorflowjs';
const MODELS = 'models_store';
const INFO = 'model_info_store';

function openDb(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') throw new Error('indexeddb:// needs a browser with IndexedDB');
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore(MODELS, { keyPath: 'modelPath' });
      r.result.createObjectStore(INFO, { keyPath: 'modelPath' });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export class IndexedDbHandler implements IOHandler {
  constructor(readonly modelPath: string) {
    if (!modelPath) throw new Error('indexeddb://: the model path must not be empty');
  }

  async save(a: ModelArtifacts): Promise<SaveResult> {
    const db = await openDb().catch((e: Error) => {
      throw new Error(`save: indexeddb://${this.modelPath}: ${e?.message ?? e}`);
    });
    const info = artifactsInfo(a);
    try {
      // One transaction over both stores: both records land or neither does.
      const tx = db.transaction([INFO, MODELS], 'readwrite');
      tx.objectStore(INFO).put({ modelPath: this.modelPath, modelArtifactsInfo: info });
      tx.objectStore(MODELS).put({ modelPath: this.modelPath, modelArtifacts: a, modelArtifactsInfo: info });
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('the transaction was aborted'));
      });
    } catch (e) {
      throw new Error(`save: indexeddb://${this.modelPath} failed (${(e as Error)?.message ?? e}); nothing was written`);
    } finally {
      db.close();
    }
    return { modelArtifactsInfo: info };
  }

  async load(): Promise<ModelArtifacts> {
    const db = await openDb();
    try {
      const rec = await request(db.transaction(MODELS, 'readonly').objectStore(MODELS).get(this.modelPath));
      if (!rec) throw new Error(`loadLayersModel: no model at indexeddb://${this.modelPath}`);
      return (rec as { modelArtifacts: ModelArtifacts }).modelArtifacts;
    } finally {
      db.close();
    }
  }
}

function toBase64(buf: ArrayBuffer): string {
  const b = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): ArrayBuffer {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

export class LocalStorageHandler implements IOHandler {
  private readonly keys: Record<'info' | 'topology' | 'weightSpecs' | 'weightData' | 'modelMetadata', string>;

  constructor(readonly modelPath: string) {
    if (!modelPath) throw new Error('localstorage://: the model path must not be empty');
    const k = (suffix: string): string => ['tensorflowjs_models', modelPath, suffix].join('/');
    this.keys = { info: k('info'), topology: k('model_topology'), weightSpecs: k('weight_specs'), weightData: k('weight_data'), modelMetadata: k('model_metadata') };
  }

  private get ls(): Storage {
    if (typeof localStorage === 'undefined') throw new Error('localstorage:// needs a browser with localStorage');
    return localStorage;
  }

  async save(a: ModelArtifacts): Promise<SaveResult> {
    const info = artifactsInfo(a);
    const items: [string, string][] = [
      [this.keys.info, JSON.stringify(info)],
      [this.keys.topology, JSON.stringify(a.modelTopology)],
      [this.keys.weightSpecs, JSON.stringify(a.weightSpecs ?? [])],
      [this.keys.weightData, toBase64(a.weightData ?? new ArrayBuffer(0))],
      [this.keys.modelMetadata, JSON.stringify({ format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, trainingConfig: a.trainingConfig, userDefinedMetadata: a.userDefinedMetadata })],
    ];
    try {
      for (const [k, v] of items) this.ls.setItem(k, v);
    } catch (e) {
      // Quota exceeded part-way: remove what was written, as tfjs does.
      for (const [k] of items) this.ls.removeItem(k);
      throw new Error(`save: localstorage://${this.modelPath} failed (${(e as Error).message}); the model may be too large for localStorage, try indexeddb://`);
    }
    return { modelArtifactsInfo: info };
  }

  async load(): Promise<ModelArtifacts> {
    const get = (k: string): string => {
      const v = this.ls.getItem(k);
      if (v === null) throw new Error(`loadLayersModel: no model at localstorage://${this.modelPath} (missing ${k})`);
      return v;
    };
    const meta = JSON.parse(this.ls.getItem(this.keys.modelMetadata) ?? '{}') as Partial<ModelArtifacts>;
    return {
      ...meta,
      modelTopology: JSON.parse(get(this.keys.topology)),
      weightSpecs: JSON.parse(get(this.keys.weightSpecs)),
      weightData: fromBase64(get(this.keys.weightData)),
    };
  }
}

export class DownloadsHandler implements IOHandler {
  constructor(readonly prefix = 'model') {}

  async save(a: ModelArtifacts): Promise<SaveResult> {
    if (typeof document === 'undefined') throw new Error('save: downloads:// needs a browser document');
    const weightsName = `${this.prefix || 'model'}.weights.bin`;
    const bytes = new Uint8Array(a.weightData ?? new ArrayBuffer(0));
    const json = JSON.stringify(modelJSONFor(a, [`./${weightsName}`], `crc32:${crc32(bytes)}`));
    const files: [string, Blob][] = [
      [`${this.prefix || 'model'}.json`, new Blob([json], { type: 'application/json' })],
      [weightsName, new Blob([bytes], { type: 'application/octet-stream' })],
    ];
    for (const [name, blob] of files) {
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.download = name;
      link.href = url;
      link.dispatchEvent(new MouseEvent('click'));
      setTimeout(() => URL.revokeObjectURL(url), 0);
    }
    return { modelArtifactsInfo: artifactsInfo(a) };
  }
}
