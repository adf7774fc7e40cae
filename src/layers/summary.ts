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

/** One table line: each field padded to its column's width (fields never cut). */
function row(fields: string[], widths: number[]): string {
  return fields.map((f, i) => f.padEnd(widths[i])).join('').trimEnd();
}

/**
 * The summary's lines for `model`. Columns start at Keras's default widths and
 * grow to fit the longest entry plus a space, so a long layer name
 * (`max_pooling2d_1 (MaxPooling2D)`) never runs into the next column.
 */
export function summaryLines(model: LayersModel): string[] {
  const sequential = model.getClassName() === 'Sequential';
  const baseLength = sequential ? 65 : 98;
  const positions = (sequential ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1]).map((p) => Math.floor(p * baseLength));
  const header = sequential ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const layers = model.layers;
  const nodes = model.graphNodes;
  // Each layer's rows (several for a functional layer with several inbound tensors).
  const blocks: string[][][] = layers.map((l: Layer) => {
    const lnodes = nodes.filter((n) => n.layer === l);
    const outShape = lnodes.length === 0 ? '?' : shapeStr(lnodes[0].outputs.length === 1 ? lnodes[0].outputs[0].shape : lnodes[0].outputs.map((o) => o.shape));
    const name = `${l.name} (${l.getClassName()})`;
    const params = thousands(l.countParams());
    if (sequential) return [[name, outShape, params]];
    const conns = lnodes.flatMap((n) => n.inputs.map((x) => `${x.sourceLayer.name}[${x.nodeIndex}][${x.tensorIndex}]`));
    return [[name, outShape, params, conns[0] ?? ''], ...conns.slice(1).map((c) => ['', '', '', c])];
  });
  const widths = positions.map((p, i) => {
    const base = p - (i === 0 ? 0 : positions[i - 1]);
    const longest = Math.max(header[i].length, ...blocks.flat().map((r) => r[i].length));
    return i === positions.length - 1 ? Math.max(base, longest) : Math.max(base, longest + 1);
  });
  const lineLength = widths.reduce((a, b) => a + b, 0);
  const out: string[] = [`Model: "${model.name}"`, '_'.repeat(lineLength), row(header, widths), '='.repeat(lineLength)];
  blocks.forEach((rows, i) => {
    for (const r of rows) out.push(row(r, widths));
    out.push(i === layers.length - 1 ? '='.repeat(lineLength) : '_'.repeat(lineLength));
  });
  if (layers.length === 0) out.push('='.repeat(lineLength));
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  out.push(`Total params: ${thousands(total)}`, `Trainable params: ${thousands(trainable)}`, `Non-trainable params: ${thousands(total - trainable)}`, '_'.repeat(lineLength));
  return out;
}
