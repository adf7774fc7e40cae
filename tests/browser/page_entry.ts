/** The browser test page: shadergrad from source, TensorFlow.js with its webgpu backend, the op suite and the training check. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import * as sg from '../../src/index.js';
import { runOpSuite, PAGE_CASES } from './op_suite.js';
import { trainKind, trainMlp } from './train_suite.js';

const w = window as unknown as Record<string, unknown>;
w.sg = sg;
w.tf = tf;
w.__suite = { runOpSuite, trainMlp, trainKind, cases: PAGE_CASES.map((c) => c.name) };
w.__ready = true;
