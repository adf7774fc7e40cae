/** TensorFlow.js (pure JS, CPU backend) as the reference, loaded once. */
import * as tf from '@tensorflow/tfjs';

let ready: Promise<typeof tf> | null = null;

export function getTf(): Promise<typeof tf> {
  if (!ready) {
    ready = (async () => {
      await tf.setBackend('cpu');
      await tf.ready();
      return tf;
    })();
  }
  return ready;
}

export type Tf = typeof tf;
