/**
 * `model.summary()`'s table, in Keras 2 / tfjs layout: layer name (type),
 * output shape with `None` for the batch, parameter count, and for
 * functional models the inbound layers ("Connected to", `name[node][tensor]`);
 * then total, trainable and non-trainable parameter counts.
 */
import type { Layer, Shape } from './layer.js';
import type { LayersModel } from './model.js';

const shapeStr = (s: Shape | Shape[]): string => {
  const one = (x: Shape): string => `(${x.map((d) => (d === null ? 'None' : String(d))).join(', ')}${x.length === 1 ? ',' : ''})`;
  return Array.isArray(s[0]) ? `[${(s as Shape[]).map(one).join(', ')}]` : one(s as Shape);
};

const thousands = (n: number): string => n.toLocaleString('en-US');

function row(fields: string[], positions: number[]): string {
  let line = '';
  fields.forEach((f, i) => {
    line += f;
    line = line.slice(0, positions[i]);
    line += ' '.repeat(Math.max(0, positions[i] - line.length));
  });
  return line.trimEnd();
}

/** The summary's lines for `model`. */
export function summaryLines(model: LayersModel): string[] {
  const sequential = model.getClassName() === 'Sequential';
  const lineLength = sequential ? 65 : 98;
  const positions = (sequential ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1]).map((p) => Math.floor(p * lineLength));
  const header = sequential ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const out: string[] = [`Model: "${model.name}"`, '_'.repeat(lineLength), row(header, positions), '='.repeat(lineLength)];
  const layers = model.layers;
  const nodes = model.graphNodes;
  layers.forEach((l: Layer, i) => {
    const lnodes = nodes.filter((n) => n.layer === l);
    const outShape = lnodes.length === 0 ? '?' : shapeStr(lnodes[0].outputs.length === 1 ? lnodes[0].outputs[0].shape : lnodes[0].outputs.map((o) => o.shape));
    const name = `${l.name} (${l.getClassName()})`;
    const params = thousands(l.countParams());
    if (sequential) out.push(row([name, outShape, params], positions));
    else {
      const conns = lnodes.flatMap((n) => n.inputs.map((x) => `${x.sourceLayer.name}[${x.nodeIndex}][${x.tensorIndex}]`));
      out.push(row([name, outShape, params, conns[0] ?? ''], positions));
      for (const c of conns.slice(1)) out.push(row(['', '', '', c], positions));
    }
    out.push(i === layers.length - 1 ? '='.repeat(lineLength) : '_'.repeat(lineLength));
  });
  if (layers.length === 0) out.push('='.repeat(lineLength));
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  out.push(`Total params: ${thousands(total)}`, `Trainable params: ${thousands(trainable)}`, `Non-trainable params: ${thousands(total - trainable)}`, '_'.repeat(lineLength));
  return out;
}
