/**
 * The functional API's graph: `SymbolicTensor` (a placeholder with a shape,
 * `[null, ...]` for the batch) and `Node` (one application of a layer).
 * A layer applied twice (shared weights) has two nodes.
 */
import type { Layer, Shape } from './layer.js';

let symbolicIds = 0;

/** A tensor of the model graph: shape known, values not (batch dim null). */
export class SymbolicTensor {
  readonly id = symbolicIds++;
  readonly shape: Shape;
  /** Keras-style name: `${layer.name}/${nodeIndex}/${tensorIndex}`… shortened like tfjs. */
  readonly name: string;
  readonly dtype = 'float32';

  constructor(shape: Shape, readonly sourceLayer: Layer, readonly nodeIndex: number, readonly tensorIndex: number) {
    this.shape = [...shape];
    this.name = `${sourceLayer.name}/${nodeIndex}/${tensorIndex}`;
  }

  get rank(): number {
    return this.shape.length;
  }
}

/** One call of `layer` on symbolic inputs. */
export class Node {
  outputs: SymbolicTensor[] = [];

  constructor(readonly layer: Layer, readonly index: number, readonly inputs: SymbolicTensor[], readonly inputIsList: boolean) {}

  /** The nodes that produced this node's inputs. */
  get inboundNodes(): Node[] {
    return this.inputs.map((x) => x.sourceLayer.inboundNodes[x.nodeIndex]);
  }
}
