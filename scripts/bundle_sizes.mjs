// Bundle sizes as a consumer sees them: a script importing only part of the published browser
// bundle (dist/shadergrad.browser.js), bundled by esbuild for the browser with minify, gzipped.
//   node scripts/bundle_sizes.mjs   prints the sizes (npm run build prints them too)
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = resolve(ROOT, 'dist/shadergrad.browser.js');

/** Consumer scripts: the core alone (tensors, autograd, backends), the layers API, and everything. */
export const CONSUMERS = {
  core: `import { tensor, matMul } from ${JSON.stringify(DIST)};\nconsole.log(matMul(tensor([[1, 2]]), tensor([[3], [4]])).toString());`,
  layers: `import { sequential, layers } from ${JSON.stringify(DIST)};\nconst m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });\nm.compile({ optimizer: 'adam', loss: 'mse' });\nconsole.log(m);`,
  all: `import * as sg from ${JSON.stringify(DIST)};\nconsole.log(sg);`,
};

/** Bundles one consumer script (esbuild, browser platform, minified, nothing external); returns its code and gzipped size. */
export async function consumerBundle(name) {
  const r = await build({
    stdin: { contents: CONSUMERS[name], resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = r.outputFiles[0].contents;
  return { code: r.outputFiles[0].text, bytes: code.length, gzBytes: gzipSync(code).length };
}

/** Gzipped size of a file as published. */
export function gzSize(file) {
  return gzipSync(readFileSync(resolve(ROOT, file))).length;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** One line per bundle: the published files and the consumer bundles. */
export async function report() {
  const lines = [];
  for (const f of ['dist/shadergrad.node.js', 'dist/shadergrad.browser.js']) lines.push(`${f}: ${kib(readFileSync(resolve(ROOT, f)).length)}, ${kib(gzSize(f))} gz (unminified)`);
  for (const name of Object.keys(CONSUMERS)) {
    const b = await consumerBundle(name);
    lines.push(`consumer '${name}' (esbuild --minify from the browser bundle): ${kib(b.bytes)}, ${kib(b.gzBytes)} gz`);
  }
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) for (const l of await report()) console.log(l);
