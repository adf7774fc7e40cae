/**
 * Topological order of a functional graph, as tfjs/Keras compute it: a DFS
 * from the outputs gives each node a depth (outputs 0, producers deeper);
 * layers are listed by decreasing depth, ties broken by discovery order. The
 * same order gives `model.layers` and thus the Keras weight order.
 */
import type { Layer } from './layer.js';
import type { Node, SymbolicTensor } from './symbolic.js';

export interface GraphOrder {
  /** Nodes in execution order (deepest first). */
  nodes: Node[];
  /** Layers in Keras order (deepest first, then discovery order). */
  layers: Layer[];
}

export function graphOrder(outputs: readonly SymbolicTensor[], modelName: string): GraphOrder {
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const decreasing: Node[] = [];
  const layerIndex = new Map<Layer, number>();
  const visit = (x: SymbolicTensor): void => {
    const node = x.sourceLayer.inboundNodes[x.nodeIndex];
    if (!node) throw new Error(`${modelName}: tensor ${x.name} was not made by a layer's apply()`);
    if (inProgress.has(node)) throw new Error(`${modelName}: the graph has a cycle at layer '${node.layer.name}'`);
    if (finished.has(node)) return;
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    inProgress.add(node);
    for (const i of node.inputs) visit(i);
    finished.add(node);
    inProgress.delete(node);
    decreasing.push(node);
  };
  for (const o of outputs) visit(o);

  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (const node of [...decreasing].reverse()) {
    let depth = nodeDepth.get(node) ?? 0;
    depth = Math.max(depth, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const prev of node.inboundNodes) nodeDepth.set(prev, Math.max(depth + 1, nodeDepth.get(prev) ?? 0));
  }
  const maxNode = Math.max(0, ...nodeDepth.values());
  const nodes: Node[] = [];
  for (let d = maxNode; d >= 0; d--) nodes.push(...decreasing.filter((n) => nodeDepth.get(n) === d));
  const maxLayer = Math.max(0, ...layerDepth.values());
  const layers: Layer[] = [];
  for (let d = maxLayer; d >= 0; d--) {
    const at = [...layerDepth.entries()].filter(([, v]) => v === d).map(([l]) => l);
    at.sort((a, b) => (layerIndex.get(a) as number) - (layerIndex.get(b) as number));
    layers.push(...at);
  }
  return { nodes, layers };
}
