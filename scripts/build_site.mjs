// Builds the playground into site/ (static files any host can serve): the page and its worker
// bundled by esbuild, uPlot's stylesheet, a MNIST subset from the `mnist` package, the CO2 series
// from `vega-datasets`, the gradient rules with their derivative comments (read from
// src/autograd/grads), and the embedding example under site/embed/.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'site');
const require = createRequire(import.meta.url);

/** MNIST digits bundled per class (the `mnist` package has about 1000 of each). */
export const MNIST_PER_DIGIT = 200;

/**
 * Each gradient rule's text with its derivative comment, from src/autograd/grads: the `// …` lines
 * directly above a `name: rule` entry (entries right below a commented one share its comment, as
 * floor/ceil/round do), plus the comment inside a helper the rule calls (`minMaxRule`).
 */
export function gradRules() {
  const dir = join(root, 'src/autograd/grads');
  const rules = {};
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const lines = text.split('\n');
    let group = null;
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s+)([A-Za-z0-9]+): /.exec(lines[i]);
      if (!m) {
        if (!/^\s*\/\//.test(lines[i])) group = group && /^\s/.test(lines[i]) ? group : null;
        continue;
      }
      const indent = m[1];
      const comments = [];
      for (let j = i - 1; j >= 0 && lines[j].startsWith(`${indent}//`); j--) comments.unshift(lines[j].trim());
      const body = [lines[i].slice(indent.length)];
      let j = i + 1;
      for (; j < lines.length && (lines[j].startsWith(`${indent} `) || lines[j].startsWith(`${indent}]`) || lines[j].startsWith(`${indent}}`)) && !/^\s*\/\//.test(lines[j].slice(indent.length)); j++) {
        body.push(lines[j].slice(indent.length));
        if (/^[}\]]/.test(lines[j].slice(indent.length))) break;
      }
      if (comments.length) group = { indent, comments, end: j };
      const own = comments.length ? comments : group && group.indent === indent && i <= group.end + 1 ? group.comments : [];
      if (group && !comments.length) group.end = j;
      const helper = /\b(\w+Rule)\(/.exec(body.join('\n'));
      const helperLines = [];
      if (helper) {
        const hm = new RegExp(`function ${helper[1]}\\([\\s\\S]*?\\n}`).exec(text);
        if (hm) helperLines.push(...hm[0].split('\n').filter((l) => /^\s*\/\//.test(l)).map((l) => l.trim()), hm[0]);
      }
      if ((!own.length && !helperLines.length) || /: 'nondiff'/.test(body[0])) continue;
      rules[m[2]] = `${[...own, ...helperLines.slice(0, -1)].join('\n')}\n${body.join('\n')}${helperLines.length ? `\n\n${helperLines[helperLines.length - 1]}` : ''}\n// from src/autograd/grads/${f}`;
    }
  }
  return rules;
}

/** The bundled MNIST subset: u32 count N, N labels (u8), N·784 pixels (u8), classes interleaved. */
export function mnistBin() {
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src/digits');
  const images = [];
  for (let d = 0; d < 10; d++) {
    const data = JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')).data;
    for (let k = 0; k < MNIST_PER_DIGIT; k++) images.push({ d, px: data.slice(k * 784, (k + 1) * 784) });
  }
  // Interleave classes with a fixed shuffle so the 80/20 train/validation split holds every digit.
  let s = 12345;
  for (let i = images.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [images[i], images[j]] = [images[j], images[i]];
  }
  const n = images.length;
  const buf = new Uint8Array(4 + n + n * 784);
  new DataView(buf.buffer).setUint32(0, n, true);
  images.forEach((im, i) => {
    buf[4 + i] = im.d;
    for (let p = 0; p < 784; p++) buf[4 + n + i * 784 + p] = Math.round(im.px[p] * 255);
  });
  return buf;
}

/** The monthly CO2 values (ppm) of vega-datasets' co2-concentration.csv. */
export function co2() {
  const csv = readFileSync(join(dirname(dirname(require.resolve('vega-datasets'))), 'data/co2-concentration.csv'), 'utf8');
  return csv.trim().split('\n').slice(1).map((l) => Number(l.split(',')[1])).filter(Number.isFinite);
}

export async function buildSite({ quiet = false } = {}) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'data'), { recursive: true });
  mkdirSync(join(out, 'embed'), { recursive: true });
  const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', sourcemap: true,
    // Not minified, names kept: the page is for reading, and the ledger's stacks then name real functions.
    minify: false, keepNames: true, external: ['webgpu', 'node:*'], mainFields: ['module', 'main'], logLevel: 'warning' };
  await build({ ...common, entryPoints: { main: 'playground/main.ts', worker: 'playground/worker.ts', 'embed/main': 'examples/embed/main.ts', 'embed/worker': 'examples/embed/worker.ts' }, outdir: out, absWorkingDir: root });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(root, 'playground', f), join(out, f));
  copyFileSync(join(root, 'examples/embed/index.html'), join(out, 'embed/index.html'));
  copyFileSync(require.resolve('uplot/dist/uPlot.min.css'), join(out, 'uPlot.min.css'));
  writeFileSync(join(out, 'data/mnist.bin'), mnistBin());
  writeFileSync(join(out, 'data/co2.json'), JSON.stringify(co2()));
  writeFileSync(join(out, 'data/grad_rules.json'), JSON.stringify(gradRules(), null, 1));
  if (!quiet) console.log(`site/ built: ${readdirSync(out).join(', ')}`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildSite();
