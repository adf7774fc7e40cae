/**
 * The TensorFlow.js model-artifacts format: `model.json` (topology + weights
 * manifest) and a binary of concatenated little-endian weights. Matching it
 * lets a model saved by either library load in the other.
 */
import { checkWeightSpecs, crc32, describeValue } from './weights.js';

/** One weight in the manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

/** One group of the manifest: weight files (shards, concatenated in order) and the weights they hold. */
export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** What a save handler receives and a load handler returns. */
export interface ModelArtifacts {
  modelTopology: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer;
  trainingConfig?: Record<string, unknown>;
  userDefinedMetadata?: Record<string, unknown>;
}

/** The parsed `model.json`. */
export interface ModelJSON {
  /** shadergrad's 'crc32:<hex>' of the concatenated weight files; TensorFlow.js ignores it. */
  weightsChecksum?: string;
  /** shadergrad's 'crc32:<hex>' of the model's description (see modelChecksum); TensorFlow.js ignores it. */
  modelChecksum?: string;
  modelTopology: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: WeightsManifestGroup[];
  trainingConfig?: Record<string, unknown>;
  userDefinedMetadata?: Record<string, unknown>;
}

export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON';
  modelTopologyBytes: number;
  weightSpecsBytes: number;
  weightDataBytes: number;
}

export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
}

/** An io handler, as in TensorFlow.js: either method may be absent. */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

/** UTF-8 length of a string. */
export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** The info block tfjs stores beside saved models. */
export function artifactsInfo(a: ModelArtifacts): ModelArtifactsInfo {
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: byteLength(JSON.stringify(a.modelTopology)),
    weightSpecsBytes: byteLength(JSON.stringify(a.weightSpecs ?? [])),
    weightDataBytes: a.weightData?.byteLength ?? 0,
  };
}

/** model.json for artifacts whose weights are in `paths` (tfjs's getModelJSONForModelArtifacts), with shadergrad's optional weights checksum. */
export function modelJSONFor(a: ModelArtifacts, paths: string[], weightsChecksum?: string): ModelJSON {
  const j: ModelJSON = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths, weights: a.weightSpecs ?? [] }],
  };
  if (a.trainingConfig) j.trainingConfig = a.trainingConfig;
  if (a.userDefinedMetadata) j.userDefinedMetadata = a.userDefinedMetadata;
  // Top-level fields TensorFlow.js does not read (getModelArtifactsForJSON copies named fields only).
  if (weightsChecksum) {
    j.weightsChecksum = weightsChecksum;
    j.modelChecksum = modelChecksum(j);
  }
  return j;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * 'crc32:<hex>' of what defines the model in a model.json: the topology, the
 * weights manifest and the training config (tfjs's `trainingConfig`, or
 * shadergrad's under `userDefinedMetadata.shadergradTrainingConfig` when
 * present), as JSON.stringify writes them (which is canonical for a file
 * JSON.stringify wrote: parsing and writing it again gives the same text).
 * Other user metadata and the generator fields are not covered.
 */
export function modelChecksum(j: Pick<ModelJSON, 'modelTopology' | 'weightsManifest' | 'trainingConfig' | 'userDefinedMetadata'>): string {
  const own = isObject(j.userDefinedMetadata) ? j.userDefinedMetadata.shadergradTrainingConfig : undefined;
  const parts = [j.modelTopology, j.weightsManifest, j.trainingConfig ?? null, ...(own === undefined ? [] : [own])];
  return `crc32:${crc32(new TextEncoder().encode(JSON.stringify(parts)))}`;
}

/** @internal True for a relative path that stays inside the model's directory (no absolute path, no '..', no empty segment). */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.includes('\\0') || p.startsWith('/') || p.includes('\\') || /^[a-zA-Z]:/.test(p)) return false;
  const parts = p.replace(/^\.\//, '').split('/');
  return parts.every((x) => x !== '' && x !== '..' && x !== '.');
}

/**
 * Validates a parsed model.json before anything is read or allocated: the
 * topology an object, every manifest group's paths safe relative file names,
 * every weight spec well-formed (see checkWeightSpecs), optional fields of
 * the right type. Names the file and field on error.
 */
export function checkModelJSON(j: unknown, where: string): ModelJSON {
  if (!isObject(j)) throw new Error(`${where}: model.json must be a JSON object, got ${describeValue(j)}`);
  if (!isObject(j.modelTopology)) throw new Error(`${where}: model.json has no 'modelTopology' object`);
  if (!Array.isArray(j.weightsManifest)) throw new Error(`${where}: model.json has no 'weightsManifest' list`);
  j.weightsManifest.forEach((g: unknown, i) => {
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new Error(`${where}: weightsManifest[${i}] needs 'paths' and 'weights' lists`);
    g.paths.forEach((p: unknown, k) => {
      if (typeof p !== 'string' || !isSafeRelativePath(p)) throw new Error(`${where}: weightsManifest[${i}].paths[${k}] must be a file name relative to model.json, got ${describeValue(p)}`);
    });
    if (g.paths.length === 0 && g.weights.length > 0) throw new Error(`${where}: weightsManifest[${i}] lists weights but no weight files`);
  });
  checkWeightSpecs((j.weightsManifest as WeightsManifestGroup[]).flatMap((g) => g.weights), where);
  for (const k of ['format', 'generatedBy'] as const) {
    if (j[k] !== undefined && j[k] !== null && typeof j[k] !== 'string') throw new Error(`${where}: model.json '${k}' must be a string, got ${describeValue(j[k])}`);
  }
  if (j.convertedBy !== undefined && j.convertedBy !== null && typeof j.convertedBy !== 'string') throw new Error(`${where}: model.json 'convertedBy' must be a string or null, got ${describeValue(j.convertedBy)}`);
  for (const k of ['trainingConfig', 'userDefinedMetadata'] as const) {
    if (j[k] !== undefined && j[k] !== null && !isObject(j[k])) throw new Error(`${where}: model.json '${k}' must be an object, got ${describeValue(j[k])}`);
  }
  for (const k of ['weightsChecksum', 'modelChecksum'] as const) {
    if (j[k] !== undefined && (typeof j[k] !== 'string' || !CHECKSUM.test(j[k] as string))) throw new Error(`${where}: model.json '${k}' must look like 'crc32:<8 hex digits>', got ${describeValue(j[k])}`);
  }
  if (j.modelChecksum !== undefined) {
    const got = modelChecksum(j as unknown as ModelJSON);
    if (got !== j.modelChecksum) throw new Error(`${where}: model.json was changed after it was saved: its topology, weights manifest or training config does not match its modelChecksum (${got}, expected ${j.modelChecksum}); if the edit was deliberate, delete the 'modelChecksum' field`);
  }
  return j as unknown as ModelJSON;
}

/** @internal The form of model.json's checksum fields. */
export const CHECKSUM = /^crc32:[0-9a-f]{8}$/;
