/**
 * No import cycles among the modules of src (issue #11): a cycle makes module
 * evaluation order matter, so a value read at load time can be undefined.
 *
 * Only imports that exist at run time count: `import ... from`, `export ... from`
 * and side-effect `import './x.js'`. `import type` / `export type`, and named
 * imports whose every name is `type`, are erased by TypeScript and esbuild, so
 * they cannot form a run-time cycle and are ignored. Dynamic `import()` runs
 * after loading and is ignored too.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const SRC = resolve('src');

/**
 * Cycles allowed: each the full, sorted set of modules of one strongly connected
 * component, so a module joining it fails the test too. Empty, and meant to stay
 * so: the last one, the tensor core (tensor.ts ↔ ops ↔ engine.ts), was broken by
 * having tensor.ts register the Tensor class with the engine, which with the ops
 * uses `Tensor` as a type only (see the comment at the top of src/tensor/tensor.ts).
 */
const ALLOWED: string[][] = [];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The src modules `file` imports at run time (relative specifiers resolved to .ts paths). */
function runtimeImports(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*(?:from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(re)) {
    const [, kw, typeOnly, clause, spec] = m;
    if (typeOnly) continue;
    if (kw === 'export' && !/\bfrom\s*$|^\*|^\{/.test(clause.trim()) && clause.trim() !== '') continue;
    // `import { type A, type B } from` is erased whole; `import { type A, b } from` is not.
    const named = /^\{([^}]*)\}$/.exec(clause.trim());
    if (named) {
      const names = named[1].split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    }
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of files(SRC)) {
    const deps = runtimeImports(readFileSync(f, 'utf8')).map((s) => {
      const p = resolve(dirname(f), s).replace(/\.js$/, '.ts');
      return relative(SRC, statSync(p, { throwIfNoEntry: false })?.isDirectory() ? join(p, 'index.ts') : p);
    });
    g.set(relative(SRC, f), deps);
  }
  return g;
}

/** The strongly connected components of `g` that hold a cycle (Tarjan's algorithm), each sorted. */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const sccs: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (g.get(v) ?? []).includes(v)) sccs.push(c.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return sccs;
}

/** The shortest cycle through the first module of component `c` (breadth-first), for the failure message. */
function cycleThrough(g: Map<string, string[]>, c: string[]): string {
  const inC = new Set(c);
  const start = c[0];
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of g.get(v) ?? []) {
      if (!inC.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0])!);
        return [...path, start].join(' → ');
      }
      if (!prev.has(w)) prev.set(w, v), queue.push(w);
    }
  }
  return start;
}

test('the parser keeps run-time imports and drops type-only ones', () => {
  const text = [
    "import type { A } from './a.js';",
    "import { type B, type C } from './b.js';",
    "import { type D, e } from './d.js';",
    "import * as f from './f.js';",
    "export { g } from './g.js';",
    "export type { H } from './h.js';",
    "export * from './i.js';",
    "import './j.js';",
    "// import { k } from './k.js';",
    "import { l } from 'pkg';",
  ].join('\n');
  expect(runtimeImports(text)).toEqual(['./d.js', './f.js', './g.js', './i.js', './j.js']);
});

test('no run-time import cycles among the modules of src', () => {
  const g = graph();
  expect(g.size).toBeGreaterThan(50);
  for (const [f, deps] of g) for (const d of deps) expect(g.has(d), `${f} imports missing ${d}`).toBe(true);
  const found = cycles(g);
  const key = (c: string[]): string => c.join(', ');
  const allowed = ALLOWED.map(key);
  const bad = found.filter((c) => !allowed.includes(key(c))).map((c) => `cycle among {${key(c)}}, e.g. ${cycleThrough(g, c)}`);
  expect(bad).toEqual([]);
  // An allowed cycle that is gone (or changed) must leave the list.
  expect(allowed.filter((k) => !found.some((c) => key(c) === k))).toEqual([]);
});
