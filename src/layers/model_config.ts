/**
 * A model's configuration as Keras and tfjs write it in model.json:
 * Sequential → `{ name, layers: [{class_name, config}] }` (the first layer
 * carrying `batch_input_shape`); functional → `{ name, layers: [{ name,
 * class_name, config, inbound_nodes }], input_layers, output_layers }` with
 * nodes as `[layer, nodeIndex, tensorIndex, {}]`. Both `model.getConfig()`
 * and `model.save()` use it.
 */
import type { Layer } from './layer.js';
import type { LayersModel } from './model.js';
import type { SymbolicTensor } from './symbolic.js';

type Entry = { class_name: string; config: Record<string, unknown> };

const KERAS_VERSION = 'tfjs-layers 4.22.0';

function layerEntry(layer: Layer): Entry {
  return { class_name: layer.getClassName(), config: layer.getConfig() };
}

/** The `config` of a built model (see the file comment). */
export function modelConfig(model: LayersModel): Record<string, unknown> {
  if (model.outputs.length === 0) throw new Error(`${model.name}.getConfig: the model is not built yet; give the first layer an inputShape, or call fit/predict first`);
  if (model.getClassName() === 'Sequential') {
    const layers = model.layers.map(layerEntry);
    if (layers.length > 0 && !('batch_input_shape' in layers[0].config)) {
      layers[0].config = { ...layers[0].config, batch_input_shape: [...model.inputs[0].shape] };
    }
    return { name: model.name, layers };
  }
  const nodeKey = (l: Layer, i: number): string => `${l.name}#${i}`;
  const inModel = new Set(model.graphNodes.map((n) => nodeKey(n.layer, n.index)));
  const ref = (s: SymbolicTensor): [string, number, number] => [s.sourceLayer.name, s.nodeIndex, s.tensorIndex];
  const layers = [...new Set(model.layers)].map((l) => {
    const inbound = l.inboundNodes
      .filter((n) => inModel.has(nodeKey(l, n.index)) && n.inputs.length > 0)
      .map((n) => n.inputs.map((s) => [...ref(s), {}]));
    return { name: l.name, class_name: l.getClassName(), config: l.getConfig(), inbound_nodes: inbound };
  });
  return { name: model.name, layers, input_layers: model.inputs.map(ref), output_layers: model.outputs.map(ref) };
}

/** `modelTopology` as tfjs writes it: `{ class_name: 'Sequential' | 'Model', config, keras_version, backend }`. */
export function modelTopologyOf(model: LayersModel): Record<string, unknown> {
  const config = modelConfig(model);
  return { class_name: model.getClassName() === 'Sequential' ? 'Sequential' : 'Model', config, keras_version: KERAS_VERSION, backend: 'tensor_flow.js' };
}
