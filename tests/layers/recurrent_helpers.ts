/**
 * Shared harness for the recurrent-layer tests: builds the same stack of
 * layers in shadergrad and TensorFlow.js, copies tfjs's (randomised) weights
 * into ours with setWeights, and compares outputs, output shapes and the
 * gradients of sum(Σ output_i · w_i) with respect to the input and every weight.
 */
import * as sg from '../../src/index.js';
import * as rec from '../../src/layers/recurrent/index.js';
import type { Layer } from '../../src/layers/layer.js';
import type { Tf } from '../helpers/tf.js';
import { FORWARD_TOL, GRAD_TOL, expectClose } from '../helpers/compare.js';

type TfTensor = ReturnType<Tf['tensor']>;
type TfLayer = ReturnType<Tf['layers']['lstm']>;
export type Kind = 'simpleRNN' | 'lstm' | 'gru';

/** One layer of a stack: a recurrent layer, or a bidirectional wrapper around one. */
export interface LayerSpec {
  kind: Kind;
  opts: Record<string, unknown>;
  bidi?: { mergeMode: 'concat' | 'sum' | 'ave' | 'mul' | null };
}

export function makeSg(s: LayerSpec): Layer {
  const inner = rec[s.kind](s.opts as never) as rec.RNN;
  return s.bidi ? rec.bidirectional({ layer: inner, mergeMode: s.bidi.mergeMode }) : inner;
}

export function makeTf(tf: Tf, s: LayerSpec): TfLayer {
  const inner = tf.layers[s.kind](s.opts as never);
  return s.bidi ? (tf.layers.bidirectional({ layer: inner as never, mergeMode: s.bidi.mergeMode as never }) as never) : inner;
}

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** A deterministic pseudo-random array in [-a, a]. */
export function rand(n: number, seed: number, a = 1): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(Math.fround(((s / 2 ** 32) * 2 - 1) * a));
  }
  return out;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, c) => p * c, 1);

/**
 * Builds `specs` in both libraries on input [batch, T, F], randomises tfjs's
 * weights, copies them into ours, and checks output shapes, outputs and
 * gradients. Disposes everything it made.
 */
export async function compareStack(tf: Tf, specs: LayerSpec[], inShape: [number, number, number], seed = 1): Promise<void> {
  const xVals = rand(sizeOf(inShape), seed);
  const tfx = tf.tensor(xVals, inShape);
  const tfLayers = specs.map((s) => makeTf(tf, s));
  const sgLayers = specs.map((s) => makeSg(s));
  try {
    // Build tfjs by running it once; then replace every weight with random values.
    tf.tidy(() => {
      let h: TfTensor = tfx;
      for (const l of tfLayers) h = asList(l.apply(h) as TfTensor | TfTensor[])[0];
    });
    let k = 0;
    for (const l of tfLayers) {
      const ws = l.getWeights();
      const fresh = ws.map((w) => tf.tensor(rand(w.size, seed * 1000 + ++k, 0.6), w.shape));
      l.setWeights(fresh);
      // tfjs's getWeights returns the variables' own tensors: free only ours.
      tf.dispose(fresh);
    }
    // Output shapes: computeOutputShape per layer, against tfjs's.
    let shape: (number | null)[] = [null, inShape[1], inShape[2]];
    for (let i = 0; i < specs.length; i++) {
      const mine = sgLayers[i].computeOutputShape(shape);
      const theirs = tfLayers[i].computeOutputShape(shape);
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) throw new Error(`layer ${i}: computeOutputShape ${JSON.stringify(mine)} != tfjs ${JSON.stringify(theirs)}`);
      shape = (Array.isArray(mine[0]) ? mine[0] : mine) as (number | null)[];
      sgLayers[i].build(i === 0 ? [null, inShape[1], inShape[2]] : (sgLayers[i - 1].computeOutputShape([null, inShape[1], inShape[2]]) as (number | null)[]));
    }
    // Copy weights tfjs → shadergrad (same Keras layout, unchanged).
    for (let i = 0; i < specs.length; i++) {
      const ws = tfLayers[i].getWeights();
      const mine = await Promise.all(ws.map(async (w) => sg.tensor(await w.data(), w.shape)));
      sgLayers[i].setWeights(mine);
      sg.dispose(mine);
    }
    const x = sg.tensor(xVals, inShape);
    const runSg = (xx: sg.Tensor): sg.Tensor[] => {
      let h: sg.Tensor[] = [xx];
      for (const l of sgLayers) h = asList(l.call(h[0], { training: false }));
      return h;
    };
    const runTf = (xx: TfTensor): TfTensor[] => {
      let h: TfTensor[] = [xx];
      for (const l of tfLayers) h = asList(l.apply(h[0]) as TfTensor | TfTensor[]);
      return h;
    };
    // Forward.
    const yTf = runTf(tfx);
    const ySg = sg.tidy(() => runSg(x));
    try {
      if (ySg.length !== yTf.length) throw new Error(`${ySg.length} outputs, tfjs has ${yTf.length}`);
      const finalShape = sgLayers[sgLayers.length - 1].computeOutputShape([inShape[0], inShape[1], inShape[2]]);
      const finalShapes = (Array.isArray(finalShape[0]) ? finalShape : [finalShape]) as number[][];
      for (let i = 0; i < ySg.length; i++) {
        if (JSON.stringify(ySg[i].shape) !== JSON.stringify(yTf[i].shape)) throw new Error(`output ${i}: shape [${ySg[i].shape}] != tfjs [${yTf[i].shape}]`);
        if (JSON.stringify(ySg[i].shape) !== JSON.stringify(finalShapes[i])) throw new Error(`output ${i}: shape [${ySg[i].shape}] != computeOutputShape [${finalShapes[i]}]`);
        expectClose(await ySg[i].data(), await yTf[i].data(), FORWARD_TOL, `output ${i}`);
      }
    } finally {
      sg.dispose(ySg);
      tf.dispose(yTf);
    }
    // Gradients of sum(Σ y_i · w_i) w.r.t. x and every weight.
    const outShapes = yTf.map((t) => t.shape);
    const wVals = outShapes.map((s, i) => rand(sizeOf(s), seed * 7 + i));
    const tfW = outShapes.map((s, i) => tf.tensor(wVals[i], s));
    const sgW = outShapes.map((s, i) => sg.tensor(wVals[i], s));
    const tfVars = tfLayers.flatMap((l) => l.trainableWeights.map((w) => w.read()));
    const sgVars = sgLayers.flatMap((l) => l.trainableWeights);
    const tfLoss = (xx: TfTensor): TfTensor => tf.addN(runTf(xx).map((y, i) => tf.sum(tf.mul(y, tfW[i]))));
    const sgLoss = (xx: sg.Tensor): sg.Tensor => runSg(xx).map((y, i) => sg.sum(sg.mul(y, sgW[i]))).reduce((a, b) => sg.add(a, b));
    const gTf = tf.grads((xx: TfTensor) => tfLoss(xx))([tfx, ...tfVars] as never);
    const gSg = sg.grads((xx: sg.Tensor) => sgLoss(xx))([x, ...sgVars]);
    try {
      const names = ['input', ...sgLayers.flatMap((l) => l.weights.map((v) => v.name))];
      for (let i = 0; i < gTf.length; i++) expectClose(await gSg[i].data(), await gTf[i].data(), GRAD_TOL, `gradient w.r.t. ${names[i]}`);
    } finally {
      sg.dispose([...gSg, x, ...sgW]);
      tf.dispose([...gTf, ...tfW]);
    }
  } finally {
    tfx.dispose();
    for (const l of sgLayers) l.dispose();
    for (const l of tfLayers) l.dispose();
  }
}
