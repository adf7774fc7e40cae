// Bundle sizes as a consumer sees them: a script importing only part of the published browser
// bundle (dist/shadergrad.browser.js), bundled by esbuild for the browser with minify, gzipped.
//   node scripts/bundle_sizes.mjs             prints the sizes (npm run build prints them too)
//   node scripts/bundle_sizes.mjs --webpack   adds the webpack 5 consumers (slower: terser)
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = resolve(ROOT, 'dist/shadergrad.browser.js');

/**
 * The core's gzip budget (issue #11's 60 KB): what a page importing only `tensor` and `matMul`
 * loads at start, whichever bundler built it (tests/bundle.test.ts, tests/bundle_webpack.test.ts).
 */
export const CORE_BUDGET_GZ = 60_000;

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

/**
 * Bundles a consumer script with webpack 5 as an app does: Node API, production mode (terser,
 * tree shaking, scope hoisting), `target: 'web'`, and `shadergrad` installed, not aliased: a copy
 * of what npm installs (package.json and dist/) in a temporary node_modules, so webpack goes
 * through package.json `exports` with its `browser` condition, and the optional `webgpu` peer is
 * absent as in most browser apps. `source` imports from 'shadergrad'. Returns webpack's errors and
 * warnings (size hints off: the budgets are checked here), the files it read, and the emitted
 * chunks: those the page loads at start (the entry's) and those loaded later by `import()`, with
 * their gzipped sizes. The temporary folder is removed before it returns. `minimize: false` skips
 * terser (a quicker build, for a run rather than a size).
 */
export async function webpackConsumerBundle(source, { minimize = true } = {}) {
  const { default: webpack } = await import('webpack');
  const dir = mkdtempSync(join(tmpdir(), 'sg-webpack-'));
  try {
    const pkg = join(dir, 'node_modules', 'shadergrad');
    mkdirSync(pkg, { recursive: true });
    cpSync(resolve(ROOT, 'package.json'), join(pkg, 'package.json'));
    cpSync(resolve(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.map') });
    writeFileSync(join(dir, 'entry.js'), source);
    const out = join(dir, 'out');
    const compiler = webpack({
      mode: 'production',
      target: 'web',
      context: dir,
      entry: { main: './entry.js' },
      output: { path: out, filename: '[name].js', chunkFilename: 'chunk-[name]-[contenthash].js' },
      devtool: false,
      performance: { hints: false },
      optimization: { minimize },
      infrastructureLogging: { level: 'error' },
    });
    const stats = await new Promise((res, rej) => compiler.run((err, s) => (err ? rej(err) : res(s))));
    await new Promise((res) => compiler.close(res));
    const j = stats.toJson({ all: false, errors: true, warnings: true, entrypoints: true, assets: true });
    const file = (name) => ({ name, code: readFileSync(join(out, name), 'utf8') });
    // Emitted scripts only (a failed build lists assets it did not write).
    const emitted = (names) => names.filter((n) => typeof n === 'string' && n.endsWith('.js') && existsSync(join(out, n)));
    const initialNames = new Set(emitted((j.entrypoints?.main?.assets ?? []).map((a) => a.name)));
    const js = emitted((j.assets ?? []).map((a) => a.name));
    const initial = [...initialNames].map(file);
    const lazy = js.filter((n) => !initialNames.has(n)).map(file);
    const gz = (files) => files.reduce((n, f) => n + gzipSync(f.code).length, 0);
    return {
      errors: j.errors.map((e) => `${e.moduleName ?? ''}: ${e.message}`),
      warnings: j.warnings.map((w) => `${w.moduleName ?? ''}: ${w.message}`),
      // Files webpack read, relative to the consumer's folder (which build of shadergrad it chose).
      inputs: [...stats.compilation.fileDependencies].filter((f) => f.startsWith(dir)).map((f) => f.slice(dir.length + 1).replaceAll('\\', '/')),
      initial,
      lazy,
      bytes: initial.reduce((n, f) => n + Buffer.byteLength(f.code), 0),
      gzBytes: gz(initial),
      lazyGzBytes: gz(lazy),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Gzipped size of a file as published. */
export function gzSize(file) {
  return gzipSync(readFileSync(resolve(ROOT, file))).length;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** One line per bundle: the published files and the consumer bundles (`webpack`: webpack's too). */
export async function report(options = {}) {
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
  if (options.webpack) {
    for (const name of ['core', 'all']) {
      const b = await webpackConsumerBundle(CONSUMERS[name].replace(JSON.stringify(DIST), "'shadergrad'"));
      if (b.errors.length) throw new Error(`webpack consumer '${name}': ${b.errors.join('\n')}`);
      lines.push(`consumer '${name}' (webpack 5, production, target web): ${kib(b.bytes)}, ${kib(b.gzBytes)} gz at start; ${kib(b.lazyGzBytes)} gz in ${b.lazy.length} chunks loaded on demand`);
    }
  }
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) for (const l of await report({ webpack: process.argv.includes('--webpack') })) console.log(l);
