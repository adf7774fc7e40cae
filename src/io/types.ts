/**
 * The TensorFlow.js model-artifacts format: `model.json` (topology + weights
 * manifest) and a binary of concatenated little-endian weights. Matching it
 * lets a model saved by either library load in the other.
 */

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

/** model.json for artifacts whose weights are in `paths` (tfjs's getModelJSONForModelArtifacts). */
export function modelJSONFor(a: ModelArtifacts, paths: string[]): ModelJSON {
  const j: ModelJSON = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths, weights: a.weightSpecs ?? [] }],
  };
  if (a.trainingConfig) j.trainingConfig = a.trainingConfig;
  if (a.userDefinedMetadata) j.userDefinedMetadata = a.userDefinedMetadata;
  return j;
}

/** Validates a parsed model.json, naming the file and field on error. */
export function checkModelJSON(j: unknown, where: string): ModelJSON {
  if (!j || typeof j !== 'object') throw new Error(`${where}: model.json must be a JSON object`);
  const m = j as ModelJSON;
  if (!m.modelTopology || typeof m.modelTopology !== 'object') throw new Error(`${where}: model.json has no 'modelTopology'`);
  if (!Array.isArray(m.weightsManifest)) throw new Error(`${where}: model.json has no 'weightsManifest' list`);
  m.weightsManifest.forEach((g, i) => {
    if (!Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new Error(`${where}: weightsManifest[${i}] needs 'paths' and 'weights' lists`);
  });
  return m;
}
