/** Model artifacts in the TensorFlow.js layers format and the handlers that store them. */
export * from './types.js';
export { encodeWeights, decodeWeights, concatBuffers, checkWeightSpecs, crc32 } from './weights.js';
export type { NamedValues } from './weights.js';
export { getHandler } from './router.js';
export { FileHandler } from './file.js';
export { IndexedDbHandler, LocalStorageHandler, DownloadsHandler } from './browser.js';

import type { IOHandler, ModelArtifacts, SaveResult } from './types.js';
import { artifactsInfo } from './types.js';

/** A handler that keeps artifacts in memory (tfjs's io.fromMemory / withSaveHandler in one). */
export function memoryHandler(initial?: ModelArtifacts): IOHandler & { artifacts?: ModelArtifacts } {
  const h: IOHandler & { artifacts?: ModelArtifacts } = {
    artifacts: initial,
    async save(a: ModelArtifacts): Promise<SaveResult> {
      h.artifacts = a;
      return { modelArtifactsInfo: artifactsInfo(a) };
    },
    async load(): Promise<ModelArtifacts> {
      if (!h.artifacts) throw new Error('loadLayersModel: the memory handler holds no model');
      return h.artifacts;
    },
  };
  return h;
}
