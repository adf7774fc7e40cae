/**
 * A tiny first demo: fits y = 3x − 2 + noise with a one-hidden-layer MLP
 * written directly with tensors, variables and autograd on the CPU backend,
 * printing the loss as it falls.
 */
import * as sg from '../src/index.js';

await sg.setBackend('cpu');
const n = 256;
const x = sg.randomUniform([n, 1], -1, 1, 'float32', 1);
const y = sg.tidy(() => x.mul(3).sub(2).add(sg.randomNormal([n, 1], 0, 0.05, 'float32', 2)));

const w1 = sg.variable(sg.randomNormal([1, 16], 0, 0.5, 'float32', 3), true, 'w1');
const b1 = sg.variable(sg.zeros([16]), true, 'b1');
const w2 = sg.variable(sg.randomNormal([16, 1], 0, 0.5, 'float32', 4), true, 'w2');
const b2 = sg.variable(sg.zeros([1]), true, 'b2');
const params = [w1, b1, w2, b2];
const lr = 0.1;

const started = performance.now();
for (let step = 0; step <= 300; step++) {
  const loss = sg.tidy(() => {
    const { value, grads } = sg.variableGrads(() => {
      const h = sg.tanh(sg.matMul(x, w1).add(b1));
      return sg.mean(sg.square(sg.matMul(h, w2).add(b2).sub(y)));
    });
    for (const p of params) p.assign(p.sub(grads[p.name].mul(lr)));
    return value;
  });
  if (step % 50 === 0) console.log(`step ${String(step).padStart(3)}  loss ${(await loss.data())[0].toFixed(5)}`);
  loss.dispose();
}
console.log(`trained in ${((performance.now() - started) / 1000).toFixed(2)} s on ${sg.getBackend()}; live tensors: ${sg.memory().numTensors}`);
