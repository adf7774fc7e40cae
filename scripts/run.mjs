// Runs a TypeScript entry (an example, the demo, a bench) by bundling it with esbuild first.
// Usage: node scripts/run.mjs examples/demo.ts [args...]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run.mjs <file.ts> [args...]');
  process.exit(2);
}
const outdir = resolve('node_modules/.cache/shadergrad-run');
mkdirSync(outdir, { recursive: true });
// node_modules is often a symlink shared by several checkouts: the bundle's name carries a short hash
// of the entry's absolute path, so entries with the same basename (here or in another checkout) do not
// overwrite each other's bundle while one of them runs.
const tag = createHash('sha256').update(resolve(entry)).digest('hex').slice(0, 12);
const outfile = resolve(outdir, `${basename(entry).replace(/\.ts$/, '')}-${tag}.mjs`);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'es2022',
  sourcemap: 'inline',
  // Packages stay external (tfjs, webgpu…), except wgsl_reflect, which ships a CommonJS
  // `main` in an ESM package that Node cannot load: bundle its ESM build instead.
  mainFields: ['module', 'main'],
  plugins: [
    {
      name: 'externals',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path === 'wgsl_reflect' ? undefined : { path: args.path, external: true }));
      },
    },
  ],
  outfile,
  logLevel: 'warning',
});
process.argv = [process.argv[0], entry, ...process.argv.slice(3)];
// Examples run their main() only when they are the entry (tests import them without running).
process.env.SG_EXAMPLE = basename(entry).replace(/\.ts$/, '');
await import(pathToFileURL(outfile).href);
