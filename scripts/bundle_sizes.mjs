// Bundle sizes as a consumer sees them: a script importing only part of the published browser
// bundle (dist/shadergrad.browser.js), bundled by esbuild for the browser with minify, gzipped.
//   node scripts/bundle_sizes.mjs   prints the sizes (npm run build prints them too)
import { build } from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';
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

/**
 * Bundles one consumer script as an app bundler does (esbuild, browser platform, minified, code
 * splitting on as in Vite and webpack, nothing external). Returns what the page loads at start (the
 * entry and the chunks it imports statically: its code, bytes and gzipped size) and, apart, the
 * chunks loaded later by `import()` (the wasm backend, fetched when it is chosen).
 */
export async function consumerBundle(name) {
  const r = await build({
    stdin: { contents: CONSUMERS[name], resolveDir: ROOT, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    splitting: true,
    outdir: resolve(ROOT, 'consumer-out'),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const outs = r.metafile.outputs;
  const byPath = new Map(r.outputFiles.map((f) => [f.path, f]));
  const rel = (p) => resolve(ROOT, p);
  const entry = Object.keys(outs).find((k) => outs[k].entryPoint !== undefined);
  // The start-up set: the entry and everything it reaches by static imports.
  const start = new Set();
  const walk = (k) => {
    if (start.has(k)) return;
    start.add(k);
    for (const i of outs[k].imports) if (i.kind === 'import-statement' && outs[i.path]) walk(i.path);
  };
  walk(entry);
  const startFiles = [...start].map((k) => byPath.get(rel(k)));
  const code = startFiles.map((f) => f.text).join('\n');
  const bytes = startFiles.reduce((n, f) => n + f.contents.length, 0);
  const gzBytes = startFiles.reduce((n, f) => n + gzipSync(f.contents).length, 0);
  const lazy = Object.keys(outs).filter((k) => k.endsWith('.js') && !start.has(k)).map((k) => byPath.get(rel(k)));
  return { code, bytes, gzBytes, lazyCode: lazy.map((f) => f.text).join('\n'), lazyGzBytes: lazy.reduce((n, f) => n + gzipSync(f.contents).length, 0) };
}

/** Gzipped size of a file as published. */
export function gzSize(file) {
  return gzipSync(readFileSync(resolve(ROOT, file))).length;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** One line per bundle: the published files and the consumer bundles. */
export async function report() {
  const lines = [];
  for (const platform of ['node', 'browser']) {
    const f = `dist/shadergrad.${platform}.js`;
    const chunks = readdirSync(resolve(ROOT, 'dist/chunks')).filter((c) => c.startsWith(`${platform}-`) && c.endsWith('.js')).map((c) => `dist/chunks/${c}`);
    const chunkBytes = chunks.reduce((n, c) => n + readFileSync(resolve(ROOT, c)).length, 0);
    const chunkGz = chunks.reduce((n, c) => n + gzSize(c), 0);
    lines.push(`${f}: ${kib(readFileSync(resolve(ROOT, f)).length)}, ${kib(gzSize(f))} gz (unminified); its ${chunks.length} chunks in dist/chunks: ${kib(chunkBytes)}, ${kib(chunkGz)} gz`);
  }
  for (const name of Object.keys(CONSUMERS)) {
    const b = await consumerBundle(name);
    lines.push(`consumer '${name}' (esbuild --minify --splitting from the browser bundle): ${kib(b.bytes)}, ${kib(b.gzBytes)} gz at start; ${kib(b.lazyGzBytes)} gz loaded on demand (the wasm backend)`);
  }
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) for (const l of await report()) console.log(l);
