/**
 * The page side of the embedding example: no framework, no shadergrad import
 * on this thread; it only talks to worker.js.
 */
export type EmbedMessage =
  | { type: 'epoch'; epoch: number; loss: number; accuracy: number }
  | { type: 'saved'; url: string; backend: string }
  | { type: 'predicted'; points: number[][]; probs: number[]; accuracy: number }
  | { type: 'error'; message: string };

const log = document.getElementById('log')!;
const say = (s: string): void => void (log.textContent += `${s}\n`);
const result: { messages: EmbedMessage[]; done: boolean } = { messages: [], done: false };
(window as unknown as { __embed: typeof result }).__embed = result;

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<EmbedMessage>) => {
  const m = e.data;
  result.messages.push(m);
  if (m.type === 'epoch') say(`epoch ${m.epoch}: loss ${m.loss.toFixed(4)}, accuracy ${m.accuracy.toFixed(3)}`);
  else if (m.type === 'saved') {
    say(`trained on ${m.backend}; saved to ${m.url}; reloading it to predict…`);
    worker.postMessage({ type: 'predict' });
  } else if (m.type === 'predicted') {
    m.points.forEach((p, i) => say(`p(class 1 | x = ${p.map((v) => v.toFixed(2)).join(', ')}) = ${m.probs[i].toFixed(3)}`));
    say(`reloaded model's accuracy on fresh points: ${m.accuracy.toFixed(3)}`);
    result.done = true;
  } else {
    say(`error: ${m.message}`);
    result.done = true;
  }
};
document.getElementById('train')!.onclick = () => {
  log.textContent = '';
  result.done = false;
  worker.postMessage({ type: 'train', epochs: Number(new URLSearchParams(location.search).get('epochs') ?? 30) });
};
