/** Model presets of the playground (MLP, the MNIST CNN, a stacked LSTM), built from an editable config. */
import * as sg from '../src/index.js';
import type { DataSet } from './data.js';

export type ModelKind = 'mlp' | 'cnn' | 'lstm';

/** What the page lets a student edit. */
export interface ModelConfig {
  kind: ModelKind;
  /** Hidden sizes: dense units (MLP), conv filters then dense units (CNN), LSTM units per layer (LSTM). */
  units: number[];
  activation: 'relu' | 'tanh' | 'sigmoid' | 'linear' | 'elu';
  dropout: number;
}

/** The preset for a model kind. */
export function preset(kind: ModelKind): ModelConfig {
  if (kind === 'cnn') return { kind, units: [8, 32], activation: 'relu', dropout: 0.1 };
  if (kind === 'lstm') return { kind, units: [16, 16], activation: 'tanh', dropout: 0 };
  return { kind, units: [8, 8], activation: 'tanh', dropout: 0 };
}

/** The model kinds that fit a data set. */
export function kindsFor(data: DataSet['kind']): ModelKind[] {
  return data === 'image' ? ['cnn', 'mlp'] : data === 'series' ? ['lstm', 'mlp'] : ['mlp'];
}

/** Builds the model for `cfg` on data `d` (classification heads end in softmax, regression in one linear unit). */
export function buildModel(cfg: ModelConfig, d: DataSet): sg.Sequential {
  const L = sg.layers;
  const layers: sg.Layer[] = [];
  const head = d.numClasses > 0 ? L.dense({ units: d.numClasses, activation: 'softmax' }) : L.dense({ units: 1 });
  const drop = (): void => {
    if (cfg.dropout > 0) layers.push(L.dropout({ rate: cfg.dropout }));
  };
  if (cfg.kind === 'cnn') {
    if (d.kind !== 'image') throw new Error('the CNN preset needs image data (MNIST)');
    const [filters = 8, dense = 32] = cfg.units;
    layers.push(L.conv2d({ filters, kernelSize: 3, activation: cfg.activation, inputShape: d.inputShape }));
    layers.push(L.maxPooling2d({ poolSize: 2 }));
    layers.push(L.flatten());
    drop();
    layers.push(L.dense({ units: dense, activation: cfg.activation }));
  } else if (cfg.kind === 'lstm') {
    if (d.kind !== 'series') throw new Error('the LSTM preset needs a time series (CO2)');
    cfg.units.forEach((u, i) => {
      layers.push(L.lstm({ units: u, returnSequences: i < cfg.units.length - 1, activation: cfg.activation === 'linear' ? 'tanh' : cfg.activation, dropout: cfg.dropout, ...(i === 0 ? { inputShape: d.inputShape } : {}) }));
    });
  } else {
    if (d.inputShape.length > 1) layers.push(L.flatten({ inputShape: d.inputShape }));
    cfg.units.forEach((u, i) => {
      layers.push(L.dense({ units: u, activation: cfg.activation, ...(i === 0 && d.inputShape.length === 1 ? { inputShape: d.inputShape } : {}) }));
      drop();
    });
  }
  layers.push(head);
  return sg.sequential({ layers });
}
