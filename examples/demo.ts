/**
 * `npm run demo`: the course's MNIST CNN on the best available backend, with
 * Keras-style progress; prints the summary, the test accuracy and the wall
 * time, and saves the trained model (TensorFlow.js layers format) to
 * ./mnist-cnn-model/ (model.json + weights.bin), loadable by
 * `sg.loadLayersModel('file://mnist-cnn-model/model.json')` or by tfjs.
 * Flags: --epochs N, --backend cpu|webgpu, --seed N, --smoke (a quick CI-sized run); --help lists them.
 */
import { cliOptions } from './common.js';
import { run } from './mnist_cnn.js';

const opts = cliOptions('examples/demo.ts');
const r = await run({ ...opts, saveTo: opts.saveTo ?? (opts.smoke ? undefined : 'file://mnist-cnn-model') });
console.log(`\nwall time ${r.seconds.toFixed(1)} s; test accuracy ${(r.value * 100).toFixed(2)}%${r.value >= 0.97 ? '' : ' (below the 97% target)'}`);
