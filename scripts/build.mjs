// Builds dist/: readable ESM bundles for Node and browsers (unminified, so names are kept, with
// sourcemaps) and .d.ts types. No `keepNames`: its `__name(fn, "fn")` statements are calls a
// consumer's bundler must keep, which would keep every function of the bundle alive. Not minified on purpose: an uncaught error then prints one
// readable source line instead of a 30 KB minified line, and apps minify their own bundles.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { report } from './bundle_sizes.mjs';

// Shader layouts are reflected here, at build time (wgsl_reflect stays out of the bundles).
execFileSync(process.execPath, ['scripts/gen_reflection.mjs'], { stdio: 'inherit' });
rmSync('dist', { recursive: true, force: true });
const common = {
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  minify: false,
  sourcemap: true,
  target: 'es2022',
  // The optional Node WebGPU peer is loaded at run time only when asked for.
  external: ['webgpu', 'node:*'],
  // Prefer packages' ES module builds on every platform.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};
// esbuild writes each `export * as ns` namespace as `var ns_exports = {}; __export(ns_exports, {…})`.
// A consumer's bundler must keep that call (it cannot know it only fills the object), and with
// it every module the namespace lists (layers, io, data, tuner…) even when `ns` is never used.
// Rewritten as one declaration with a pure initializer, `var ns_exports = /* @__PURE__ */
// __export({}, {…})` (the helper now returns its target), the namespace and all it holds go
// when unused and stay whole when used. esbuild, Rollup and terser honour the annotation.
const pureNamespaces = {
  name: 'pure-namespaces',
  setup(b) {
    b.onEnd(async (r) => {
      if (r.errors.length) return;
      // Every output of the build: the entry, its lazily loaded chunks and the chunk they share
      // (where esbuild puts the helper); the namespace objects are in the entry.
      const files = Object.keys(r.metafile.outputs).filter((f) => f.endsWith('.js'));
      const helper = /^var __export = \((\w+), (\w+)\) => \{\n  for \(var (\w+) in \2\)\n    __defProp\(\1, \3, \{ get: \2\[\3\], enumerable: true \}\);\n\};/m;
      let helpers = 0;
      let total = 0;
      for (const file of files) {
        let code = readFileSync(file, 'utf8');
        const calls = code.match(/^__export\(/gm)?.length ?? 0;
        total += calls;
        if (helper.test(code)) {
          helpers++;
          code = code.replace(helper, (m, t) => m.replace(/\n\};$/, `\n  return ${t};\n};`));
        }
        let n = 0;
        code = code.replace(/^var (\w+) = \{\};\n__export\(\1, \{/gm, (_, v) => (n++, `var ${v} = /* @__PURE__ */ __export({}, {`));
        if (n !== calls) throw new Error(`build: ${calls - n} of ${calls} namespace objects in ${file} have an unexpected shape; update pure-namespaces in scripts/build.mjs`);
        writeFileSync(file, code);
      }
      if (total === 0 || helpers !== 1) throw new Error(`build: esbuild's namespace helper changed (${helpers} helpers, ${total} namespace objects in ${files.join(', ')}); update pure-namespaces in scripts/build.mjs`);
    });
  },
};
// Code splitting: what is loaded with `import()` (the wasm backend) becomes a chunk of its own in
// dist/chunks/, so an app's bundler keeps it apart too and fetches it only when it is used.
const split = (platform) => ({ splitting: true, outdir: 'dist', chunkNames: `chunks/${platform}-[name]-[hash]`, metafile: true });
await build({ ...common, ...split('node'), platform: 'node', entryNames: 'shadergrad.node', plugins: [pureNamespaces] });
// The browser bundle references no `node:` module: the Node-only paths (file:// io, worker
// threads, the GPU probe) load them with dynamic imports that only run under Node; here each
// resolves to a module that throws, so browser bundlers (webpack 5 included) find nothing to resolve.
const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'node-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (a) => ({
      contents: `throw new Error(${JSON.stringify(`shadergrad: '${a.path}' is Node-only; this is the browser build`)});`,
      loader: 'js',
    }));
  },
};
await build({ ...common, ...split('browser'), external: ['webgpu'], platform: 'browser', entryNames: 'shadergrad.browser', plugins: [noNodeBuiltins, pureNamespaces] });
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
for (const line of await report()) console.log(line);
