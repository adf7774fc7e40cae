/** The benchmark page: shadergrad webgpu vs tfjs webgpu in one page. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import * as sg from '../src/index.js';
import { makeCases } from './cases.js';
import { measure } from './measure.js';

const w = window as unknown as Record<string, unknown>;
w.__bench = async (only: string[] | null, maxTime: number, fitRuns: number) => {
  try {
    await sg.setBackend('webgpu');
  } catch (e) {
    return `shadergrad webgpu backend unavailable: ${(e as Error).message}`;
  }
  await tf.setBackend('webgpu');
  await tf.ready();
  return measure('webgpu (Chromium)', makeCases(sg, tf, { only: only ?? undefined }), maxTime, undefined, fitRuns);
};
w.__ready = true;
