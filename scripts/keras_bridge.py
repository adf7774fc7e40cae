#!/usr/bin/env python3
"""Move a Keras-style model between shadergrad / TensorFlow.js and Keras 3.

shadergrad saves models in the TensorFlow.js layers format (model.json +
weights.bin). Keras 3 reads neither that JSON (its loader wants `module` and
`registered_name` on every object and reads `batch_input_shape` the legacy
way) nor the weights file, and the tfjs converter is not a Keras 3 tool. This
script needs only `keras` and `numpy` (with any Keras backend: jax, tensorflow
or torch; set KERAS_BACKEND):

  python3 scripts/keras_bridge.py to-keras   DIR/model.json  OUT.keras
  python3 scripts/keras_bridge.py from-keras IN.keras         OUTDIR

`to-keras` rebuilds the model from the layers JSON (Sequential or functional)
and copies every weight by layer name, in Keras order; `from-keras` writes
OUTDIR/model.json + OUTDIR/weights.bin that shadergrad's and tfjs's
`loadLayersModel` read. Weight layouts are the same in both libraries (LSTM
gates i, f, c, o; GRU z, r, h), so no weight is transposed or reordered.

Only what both formats express is carried: architecture, weights and layer
options. The optimizer state and training config are not.
"""
import json
import os
import sys

import numpy as np

# Keys that Keras 3 writes but TensorFlow.js layers (and shadergrad's strict
# configs) do not know; they carry no information for inference.
KERAS3_ONLY_KEYS = {
    "quantization_config", "lora_rank", "lora_alpha", "build_config", "compile_config",
    "synchronized", "optional", "ragged", "seed_generator", "gradient_checkpointing",
    "input_axes", "output_axes",
}


def _fail(msg):
    sys.stderr.write(f"keras_bridge: {msg}\n")
    sys.exit(2)


# ---------------------------------------------------------------- tfjs -> Keras 3

def _to_keras_object(obj, module):
    """A tfjs `{class_name, config}` object (initializer, regularizer, ...) as Keras 3 serializes it."""
    if isinstance(obj, dict) and "class_name" in obj and "config" in obj:
        return {"module": module, "class_name": obj["class_name"], "config": obj["config"], "registered_name": None}
    return obj


_OBJECT_MODULES = {
    "_initializer": "keras.initializers",
    "_regularizer": "keras.regularizers",
    "_constraint": "keras.constraints",
}


def _to_keras_layer_config(cfg):
    out = {}
    for k, v in cfg.items():
        if k == "layer" and isinstance(v, dict):  # Bidirectional / TimeDistributed wrap a layer
            out[k] = _to_keras_layer(v)
            continue
        for suffix, module in _OBJECT_MODULES.items():
            if k.endswith(suffix):
                v = _to_keras_object(v, module)
        out[k] = v
    return out


def _to_keras_layer(layer):
    cfg = _to_keras_layer_config(layer["config"])
    out = {"module": "keras.layers", "class_name": layer["class_name"], "config": cfg, "registered_name": None}
    if "name" in layer:
        out["name"] = layer["name"]
    if "inbound_nodes" in layer:
        out["inbound_nodes"] = layer["inbound_nodes"]
    return out


def _tfjs_topology_to_keras(topology):
    cls = topology.get("class_name")
    cfg = topology.get("config")
    if cls not in ("Sequential", "Model", "Functional"):
        _fail(f"to-keras: modelTopology.class_name must be Sequential or Model, got {cls!r}")
    if cls == "Sequential":
        layers = cfg["layers"] if isinstance(cfg, dict) else cfg
        out_layers = []
        first = layers[0]["config"] if layers else {}
        shape = first.get("batch_input_shape")
        if layers and layers[0]["class_name"] != "InputLayer":
            if shape is None:
                _fail("to-keras: the first layer of a Sequential model has no batch_input_shape")
            out_layers.append({"module": "keras.layers", "class_name": "InputLayer",
                               "config": {"batch_shape": shape, "dtype": first.get("dtype", "float32"),
                                          "name": "input_layer"}, "registered_name": None})
        for layer in layers:
            l = _to_keras_layer(layer)
            l["config"].pop("batch_input_shape", None)
            out_layers.append(l)
        return {"module": "keras", "class_name": "Sequential", "registered_name": None,
                "config": {"name": cfg.get("name", "sequential") if isinstance(cfg, dict) else "sequential",
                           "layers": out_layers}}
    return {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
            "config": {"name": cfg.get("name", "functional"),
                       "layers": [_to_keras_layer(l) for l in cfg["layers"]],
                       "input_layers": cfg["input_layers"], "output_layers": cfg["output_layers"]}}


def _read_weights(model_json_path, manifest):
    """[(name, array)] in manifest order, checked against the files' sizes."""
    base = os.path.dirname(model_json_path)
    out = []
    for group in manifest:
        data = b"".join(open(os.path.join(base, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            if w.get("dtype", "float32") != "float32":
                _fail(f"to-keras: weight {w['name']} has dtype {w['dtype']}; only float32 weights are supported")
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            if off + 4 * n > len(data):
                _fail(f"to-keras: weights file is too short for {w['name']} {w['shape']}")
            out.append((w["name"], np.frombuffer(data, dtype="<f4", count=n, offset=off).reshape(w["shape"])))
            off += 4 * n
        if off != len(data):
            _fail(f"to-keras: weights file has {len(data) - off} bytes beyond the manifest")
    return out


def to_keras(model_json_path, out_path):
    import keras

    with open(model_json_path) as f:
        j = json.load(f)
    topology = j.get("modelTopology")
    if topology is None:
        _fail("to-keras: model.json has no modelTopology")
    if "model_config" in topology:  # tfjs nests it when a training config is present
        topology = topology["model_config"]
    model = keras.saving.deserialize_keras_object(_tfjs_topology_to_keras(topology))
    weights = _read_weights(model_json_path, j.get("weightsManifest", []))
    by_layer = {}
    for name, arr in weights:
        by_layer.setdefault(name.split("/")[0], []).append(arr)
    for layer in model.layers:
        want = layer.get_weights()
        got = by_layer.pop(layer.name, [])
        if len(want) != len(got):
            _fail(f"to-keras: layer {layer.name} has {len(want)} weights in Keras but {len(got)} in the file")
        for w, g in zip(want, got):
            if tuple(w.shape) != tuple(g.shape):
                _fail(f"to-keras: layer {layer.name}: weight shape {list(g.shape)} in the file, {list(w.shape)} in Keras")
        if got:
            layer.set_weights(got)
    if by_layer:
        _fail(f"to-keras: weights for unknown layers: {sorted(by_layer)}")
    model.save(out_path)
    return model


# ---------------------------------------------------------------- Keras 3 -> tfjs

def _to_tfjs_value(k, v):
    if isinstance(v, dict) and "class_name" in v and "config" in v:
        if v["class_name"] in ("DTypePolicy", "FloatDTypePolicy"):
            return v["config"]["name"]
        return {"class_name": v["class_name"],
                "config": {kk: _to_tfjs_value(kk, vv) for kk, vv in v["config"].items() if kk not in KERAS3_ONLY_KEYS}}
    return v


def _keras_node_to_legacy(node):
    """A Keras 3 inbound node ({args, kwargs} with __keras_tensor__ entries) in the legacy list form tfjs reads."""
    if isinstance(node, list):
        return node
    refs = []

    def walk(x):
        if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
            refs.append(list(x["config"]["keras_history"]) + [{}])
        elif isinstance(x, (list, tuple)):
            for e in x:
                walk(e)
    walk(node.get("args", []))
    return refs


def _to_tfjs_layer(layer, inbound=True):
    cfg = {k: _to_tfjs_value(k, v) for k, v in layer["config"].items() if k not in KERAS3_ONLY_KEYS}
    if "layer" in cfg and isinstance(cfg["layer"], dict):
        cfg["layer"] = _to_tfjs_layer(cfg["layer"], inbound=False)
    if layer["class_name"] == "InputLayer":
        cfg = {"batch_input_shape": cfg.get("batch_shape", cfg.get("batch_input_shape")),
               "dtype": cfg.get("dtype", "float32"), "sparse": bool(cfg.get("sparse", False)), "name": cfg["name"]}
    out = {"class_name": layer["class_name"], "config": cfg}
    if inbound and "inbound_nodes" in layer:
        out["name"] = cfg["name"]
        out["inbound_nodes"] = [_keras_node_to_legacy(n) for n in layer["inbound_nodes"]]
    return out


def _keras_topology_to_tfjs(model):
    cfg = model.get_config()
    if model.__class__.__name__ == "Sequential":
        layers = [_to_tfjs_layer(l, inbound=False) for l in cfg["layers"]]
        if layers and layers[0]["class_name"] == "InputLayer":
            shape = layers.pop(0)["config"]["batch_input_shape"]
            if layers:
                layers[0]["config"]["batch_input_shape"] = shape
        return {"class_name": "Sequential", "config": {"name": cfg.get("name", "sequential"), "layers": layers},
                "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"}

    def refs(x):
        # input_layers / output_layers: one [name, node, tensor] or a list of them.
        if isinstance(x, list) and x and isinstance(x[0], str):
            return [x]
        return [list(r) for r in x]
    return {"class_name": "Model",
            "config": {"name": cfg.get("name", "functional"),
                       "layers": [_to_tfjs_layer(l) for l in cfg["layers"]],
                       "input_layers": refs(cfg["input_layers"]), "output_layers": refs(cfg["output_layers"])},
            "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"}


def from_keras(in_path, out_dir):
    import keras

    model = keras.saving.load_model(in_path, compile=False)
    topology = _keras_topology_to_tfjs(model)
    specs, blobs = [], []
    for layer in model.layers:
        for var, value in zip(layer.weights, layer.get_weights()):
            arr = np.ascontiguousarray(value, dtype="<f4")
            specs.append({"name": f"{layer.name}/{var.name}", "shape": list(arr.shape), "dtype": "float32"})
            blobs.append(arr.tobytes())
    os.makedirs(out_dir, exist_ok=True)
    model_json = {"modelTopology": topology, "format": "layers-model",
                  "generatedBy": f"keras {keras.__version__} via shadergrad keras_bridge.py", "convertedBy": None,
                  "weightsManifest": [{"paths": ["weights.bin"], "weights": specs}]}
    # Weights first, then model.json, each through a rename: a crash never leaves a model.json
    # that points at missing or partial weights.
    for name, data, mode in (("weights.bin", b"".join(blobs), "wb"), ("model.json", json.dumps(model_json), "w")):
        tmp = os.path.join(out_dir, name + ".tmp")
        with open(tmp, mode) as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(out_dir, name))
    return model


def main(argv):
    if len(argv) != 3 or argv[0] not in ("to-keras", "from-keras") or argv[0] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    cmd, src, dst = argv
    if cmd == "to-keras":
        to_keras(src, dst)
    else:
        from_keras(src, dst)
    print(f"keras_bridge: {cmd} {src} -> {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
