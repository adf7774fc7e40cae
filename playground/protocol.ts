/** Messages between the page (main thread) and the training worker. */
import type { CheckReport, LeakReport, Ledger, StepTrace } from '../src/debug/index.js';
import type { BindingCheck, TuneOptions, TuneResult } from '../src/debug/kernel_lab.js';
import type { DataName } from './data.js';
import type { ModelConfig } from './models.js';

/** Everything the page lets a student choose. */
export interface TrainConfig {
  data: DataName;
  model: ModelConfig;
  optimizer: 'sgd' | 'adam' | 'rmsprop';
  learningRate: number;
  batchSize: number;
}

export type ToWorker =
  | { type: 'init'; backend: string }
  | { type: 'configure'; config: TrainConfig }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step'; n: number }
  | { type: 'reset' }
  | { type: 'inspect' }
  | { type: 'twin' }
  | { type: 'ledger'; stacks: boolean }
  | { type: 'leakCheck' }
  | { type: 'lab'; opts: TuneOptions }
  | { type: 'labShaders'; op: string };

/** One progress report: the newest step's numbers, and pictures every few steps. */
export interface Progress {
  type: 'progress';
  step: number;
  loss: number;
  metric: number;
  valLoss?: number;
  valMetric?: number;
  /** Class-1 probability on a BOUNDARY_RES² grid over [-1.5, 1.5]² (toy sets). */
  boundary?: Float32Array;
  /** First conv layer's filters [3, 3, 1, F] and one digit's feature maps [H, W, F] (CNN). */
  filters?: { values: Float32Array; count: number };
  featureMaps?: { values: Float32Array; h: number; w: number; count: number; digit: Float32Array };
  /** First LSTM layer's gates on one validation window: [T, 4 (i, f, c, o), units]. */
  gates?: { values: Float32Array; steps: number; units: number };
  running: boolean;
}

export type FromWorker =
  | { type: 'ready'; backend: string; info: Record<string, unknown>; backends: string[] }
  | { type: 'configured'; summary: string; params: number; points?: { x: Float32Array; y: Float32Array }; metricName: string }
  | Progress
  | { type: 'state'; running: boolean; step: number }
  | { type: 'trace'; trace: StepTrace; sources: Record<string, string>; bindings: Record<string, { binding: number; name: string; kind: string }[]>; fallbackSources: Record<string, string>; cpuSources: Record<string, string>; wasmSources: Record<string, string> }
  | { type: 'twin'; report: CheckReport }
  | { type: 'ledger'; ledger: Ledger; memory: { numTensors: number; numBytes: number; numBuffers: number; pooledBytes: number } }
  | { type: 'leaks'; report: LeakReport }
  | { type: 'lab'; result?: TuneResult; bindings: BindingCheck; error?: string }
  | { type: 'labShaders'; op: string; shaders: { name: string; source: string }[] }
  | { type: 'error'; message: string; during: string };

/** Resolution of the decision-boundary grid. */
export const BOUNDARY_RES = 48;
export const BOUNDARY_EXTENT = 1.5;
