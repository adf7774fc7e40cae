/**
 * Times cases (each run awaits its read-back, so GPU work is finished)
 * and formats the side-by-side table: ms per run, GFLOP/s, and the time
 * ratio shadergrad/tfjs (below 1 means shadergrad is faster).
 */
import BenchmarkBase from 'benchmark';
import lodash from 'lodash';
import type { BenchCase } from './cases.js';

export interface Row {
  backend: string;
  name: string;
  sgMs: number;
  tfMs: number;
  sgRme: number;
  tfRme: number;
  flops: number;
  /** Samples per run (fit cases): throughput is shown as samples/s. */
  samples?: number;
  /** Why the row has no timing (e.g. shadergrad has no webgpu kernel for an op yet). */
  error?: string;
}

/**
 * benchmark.js bound to lodash explicitly: its own lookup (`require('lodash')`
 * or a global `_`) finds nothing inside an esbuild browser bundle, where it
 * then fails with "Cannot read properties of undefined (reading 'isPlainObject')".
 */
const Bench = BenchmarkBase.runInContext({ _: lodash });

/**
 * Times `fn` with benchmark.js as a deferred benchmark (each run awaits its
 * read-back, so the GPU work is finished): its mean and relative margin of
 * error (95%). At least `minSamples` samples, more until about `maxTime`
 * seconds have passed.
 */
function time(fn: () => Promise<void>, maxTime: number, minSamples = 3): Promise<{ ms: number; rme: number }> {
  return new Promise((resolve, reject) => {
    let failure: unknown = null;
    const b = new Bench({
      defer: true,
      minSamples,
      maxTime,
      // Runs of these cases take milliseconds to seconds: one call per sample, no calibration cycles.
      initCount: 1,
      fn: (deferred) => {
        fn().then(
          () => deferred.resolve(),
          (e: unknown) => {
            failure = e;
            b.abort();
            deferred.resolve();
          },
        );
      },
      onComplete: () => (failure ? reject(failure) : resolve({ ms: b.stats.mean * 1000, rme: b.stats.rme })),
    });
    b.run({ async: true });
  });
}

/** Runs every case for both libraries, warming each up once first. */
export async function measure(backend: string, cases: BenchCase[], maxTime = 2, log: (s: string) => void = () => {}): Promise<Row[]> {
  const rows: Row[] = [];
  const nan = { ms: NaN, rme: NaN };
  for (const c of cases) {
    // One library failing a case (a missing kernel) still times the other.
    let error: string | undefined;
    const timed = async (lib: string, fn: () => Promise<void>): Promise<{ ms: number; rme: number }> => {
      try {
        await fn();
        if (c.samples) {
          // fit cases are long (tfjs-cpu takes ~a minute per CNN batch): one timed run after the warm-up.
          const t0 = performance.now();
          await fn();
          return { ms: performance.now() - t0, rme: 0 };
        }
        return await time(fn, maxTime);
      } catch (e) {
        error = `${error ? `${error}; ` : ''}${lib}: ${(e as Error)?.message ?? e}`;
        return nan;
      }
    };
    const s = await timed('shadergrad', c.sg);
    const t = await timed('tfjs', c.tf);
    rows.push({ backend, name: c.name, sgMs: s.ms, tfMs: t.ms, sgRme: s.rme, tfRme: t.rme, flops: c.flops, samples: c.samples, error });
    log(`${backend} ${c.name}: shadergrad ${s.ms.toFixed(2)} ms, tfjs ${t.ms.toFixed(2)} ms${error ? ` (${error})` : ''}`);
    try {
      c.dispose();
    } catch {
      // A failed case may leave nothing to dispose.
    }
  }
  return rows;
}

/** A Markdown table of the rows. */
export function table(rows: Row[]): string {
  const ok = (ms: number): boolean => Number.isFinite(ms);
  const g = (r: Row, ms: number): string => {
    if (!ok(ms)) return '–';
    if (r.samples) return `${((r.samples * 1000) / ms).toFixed(1)} samples/s`;
    return r.flops ? (r.flops / ms / 1e6).toFixed(2) : '–';
  };
  const t = (ms: number, rme: number): string => (ok(ms) ? `${ms.toFixed(2)} ±${rme.toFixed(0)}%` : 'failed');
  const out = [
    // The peer is TensorFlow.js unless the backend column names another (e.g. "wasm (Node) vs jax-js").
    '| backend | case | shadergrad ms | peer ms | shadergrad GFLOP/s or samples/s | peer GFLOP/s or samples/s | time ratio sg/peer |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  const notes: string[] = [];
  for (const r of rows) {
    out.push(`| ${r.backend} | ${r.name} | ${t(r.sgMs, r.sgRme)} | ${t(r.tfMs, r.tfRme)} | ${g(r, r.sgMs)} | ${g(r, r.tfMs)} | ${ok(r.sgMs) && ok(r.tfMs) ? (r.sgMs / r.tfMs).toFixed(2) : '–'} |`);
    if (r.error) notes.push(`- ${r.backend} ${r.name}: ${r.error}`);
  }
  if (notes.length) out.push('', 'Failed:', ...notes);
  return out.join('\n');
}
