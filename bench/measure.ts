/**
 * Times cases with benchmark.js (deferred, so async reads are waited for)
 * and formats the side-by-side table: ms per run, GFLOP/s, and the time
 * ratio shadergrad/tfjs (below 1 means shadergrad is faster).
 */
import Benchmark from 'benchmark';
import type { BenchCase } from './cases.js';

export interface Row {
  backend: string;
  name: string;
  sgMs: number;
  tfMs: number;
  sgRme: number;
  tfRme: number;
  flops: number;
}

function time(fn: () => Promise<void>, maxTime: number): Promise<{ ms: number; rme: number }> {
  return new Promise((resolve, reject) => {
    const b = new Benchmark({
      defer: true,
      minSamples: 3,
      maxTime,
      initCount: 1,
      fn: (d: { resolve(): void }) => {
        fn().then(() => d.resolve(), reject);
      },
      onComplete: () => resolve({ ms: b.stats.mean * 1000, rme: b.stats.rme }),
      onError: (e: unknown) => reject(e),
    });
    b.run({ async: true });
  });
}

/** Runs every case for both libraries, warming each up once first. */
export async function measure(backend: string, cases: BenchCase[], maxTime = 2, log: (s: string) => void = () => {}): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of cases) {
    await c.sg();
    await c.tf();
    const s = await time(c.sg, maxTime);
    const t = await time(c.tf, maxTime);
    rows.push({ backend, name: c.name, sgMs: s.ms, tfMs: t.ms, sgRme: s.rme, tfRme: t.rme, flops: c.flops });
    log(`${backend} ${c.name}: shadergrad ${s.ms.toFixed(2)} ms, tfjs ${t.ms.toFixed(2)} ms`);
    c.dispose();
  }
  return rows;
}

/** A Markdown table of the rows. */
export function table(rows: Row[]): string {
  const g = (flops: number, ms: number): string => (flops ? (flops / ms / 1e6).toFixed(2) : '–');
  const out = [
    '| backend | case | shadergrad ms | tfjs ms | shadergrad GFLOP/s | tfjs GFLOP/s | time ratio sg/tfjs |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    out.push(`| ${r.backend} | ${r.name} | ${r.sgMs.toFixed(2)} ±${r.sgRme.toFixed(0)}% | ${r.tfMs.toFixed(2)} ±${r.tfRme.toFixed(0)}% | ${g(r.flops, r.sgMs)} | ${g(r.flops, r.tfMs)} | ${(r.sgMs / r.tfMs).toFixed(2)} |`);
  }
  return out.join('\n');
}
