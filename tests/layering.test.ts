/**
 * Enforces the layering rule of STYLE.md §1: layers → (io, data) → autograd →
 * tensor → kernels. A module may import from its own folder or from folders to its
 * right, never to its left; kernels import nothing outside src/kernels except
 * wgsl_reflect (and the optional `webgpu` peer, dynamically).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

// data and io sit beside layers: they use tensors but never layers or each other.
const ORDER = ['tuner', 'layers', 'io', 'data', 'autograd', 'debug', 'tensor', 'kernels'];
const SRC = resolve('src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function layerOf(file: string): string | null {
  const top = relative(SRC, file).split('/')[0];
  return ORDER.includes(top) ? top : null;
}

test('no module imports from a layer to its left', () => {
  const bad: string[] = [];
  for (const f of files(SRC)) {
    const from = layerOf(f);
    const text = readFileSync(f, 'utf8');
    const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
    for (const s of specs) {
      if (!s.startsWith('.')) {
        // Node built-ins are not dependencies; only io (file://) and the wasm backend's threads
        // (worker_threads, os) and ready()'s silent WebGPU probe (child_process) may load them, at run time.
        if (s.startsWith('node:') && (from === 'io' || relative(SRC, f) === 'kernels/wasm/threads.ts' || relative(SRC, f) === 'backends.ts')) continue;
        if (from === 'kernels' && !['wgsl_reflect', 'webgpu'].includes(s)) bad.push(`${relative(SRC, f)} imports package '${s}'`);
        else if (from && from !== 'kernels' && s !== 'webgpu') bad.push(`${relative(SRC, f)} imports package '${s}' (the library has no runtime dependencies)`);
        continue;
      }
      const target = resolve(dirname(f), s.replace(/\.js$/, '.ts'));
      const to = layerOf(target);
      if (!from) continue;
      if (!to) {
        bad.push(`${relative(SRC, f)} (${from}) imports ${relative(SRC, target)} outside the layer folders`);
        continue;
      }
      if (ORDER.indexOf(to) < ORDER.indexOf(from)) bad.push(`${relative(SRC, f)} (${from}) imports ${relative(SRC, target)} (${to})`);
    }
  }
  expect(bad).toEqual([]);
});
