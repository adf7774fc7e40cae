// Builds dist/: readable ESM bundles for Node and browsers (unminified, names kept, with
// sourcemaps) and .d.ts types. Not minified on purpose: an uncaught error then prints one
// readable source line instead of a 30 KB minified line, and apps minify their own bundles.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';

// Shader layouts are reflected here, at build time (wgsl_reflect stays out of the bundles).
execFileSync(process.execPath, ['scripts/gen_reflection.mjs'], { stdio: 'inherit' });
rmSync('dist', { recursive: true, force: true });
const common = {
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  minify: false,
  keepNames: true,
  sourcemap: true,
  target: 'es2022',
  // The optional Node WebGPU peer is loaded at run time only when asked for.
  external: ['webgpu', 'node:*'],
  // Prefer packages' ES module builds on every platform.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};
await build({ ...common, platform: 'node', outfile: 'dist/shadergrad.node.js' });
await build({ ...common, platform: 'browser', outfile: 'dist/shadergrad.browser.js' });
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
for (const f of ['dist/shadergrad.node.js', 'dist/shadergrad.browser.js']) {
  console.log(`${f}: ${(statSync(f).size / 1024).toFixed(1)} KiB`);
}
