"""The Keras 3 half of tests/keras/bridge.test.ts.

Usage: python3 keras_side.py WORKDIR
WORKDIR/inputs.json maps each seed model's name to its input arrays.
1. shadergrad -> Keras: each WORKDIR/sg_<name>/model.json (saved by shadergrad) is
   converted with keras_bridge.py to-keras, loaded back from the .keras file by
   Keras, and run on the inputs.
2. Keras -> shadergrad: the same seed models are built in Keras (Keras 3
   defaults, seeded), their biases randomised, saved as .keras, converted with
   from-keras to WORKDIR/keras_<name>/, and run on the inputs.
Both sets of predictions go to WORKDIR/keras_out.json.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
import keras  # noqa: E402
import keras_bridge  # noqa: E402

work = sys.argv[1]
inputs = json.load(open(os.path.join(work, "inputs.json")))


def arrays(name):
    return [np.asarray(a, dtype="float32") for a in inputs[name]]


def predict(model, name):
    xs = arrays(name)
    y = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    return np.asarray(y, dtype="float64").ravel().tolist()


def build(name):
    keras.utils.set_random_seed(7)
    L = keras.layers
    if name == "mnist_cnn":
        m = keras.Sequential([
            keras.Input((28, 28, 1)),
            L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
            L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2),
            L.Conv2D(64, 3, activation="relu"), L.Flatten(),
            L.Dense(64, activation="relu"), L.Dropout(0.5), L.Dense(10, activation="softmax"),
        ])
    elif name == "stacked_lstm":
        m = keras.Sequential([
            keras.Input((12, 3)),
            L.LSTM(16, return_sequences=True), L.LSTM(8), L.Dense(1),
        ])
    elif name == "two_input":
        a = keras.Input((5,), name="engine")
        b = keras.Input((3,), name="origin")
        h = L.Concatenate()([L.Dense(16, activation="relu")(a), L.Dense(4, activation="relu")(b)])
        m = keras.Model([a, b], L.Dense(1)(L.Dense(8, activation="relu")(h)))
    else:
        raise ValueError(name)
    rng = np.random.default_rng(11)
    m.set_weights([w if w.ndim > 1 else rng.normal(0, 0.1, w.shape).astype("float32") for w in m.get_weights()])
    return m


out = {"to_keras": {}, "from_keras": {}}
for name in inputs:
    keras_path = os.path.join(work, f"sg_{name}.keras")
    keras_bridge.to_keras(os.path.join(work, f"sg_{name}", "model.json"), keras_path)
    out["to_keras"][name] = predict(keras.saving.load_model(keras_path, compile=False), name)

    m = build(name)
    src = os.path.join(work, f"k_{name}.keras")
    m.save(src)
    keras_bridge.from_keras(src, os.path.join(work, f"keras_{name}"))
    out["from_keras"][name] = predict(m, name)

json.dump(out, open(os.path.join(work, "keras_out.json"), "w"))
print("keras_side: ok", keras.__version__, keras.backend.backend())
