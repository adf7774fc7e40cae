/**
 * Times cases (each run awaits its read-back, so GPU work is finished)
 * and formats the side-by-side table: ms per run, GFLOP/s, and the time
 * ratio shadergrad/tfjs (below 1 means shadergrad is faster). Per-op cases
 * are benchmark.js suites (mean ± margin of error); fit cases, seconds-long,
 * are timed in alternating runs of the two libraries (median and min).
 */
import BenchmarkBase from 'benchmark';
import lodash from 'lodash';
import type { BenchCase } from './cases.js';

export interface Row {
  backend: string;
  name: string;
  /** ms per run: benchmark.js's mean, or the median of `runs` alternating runs. */
  sgMs: number;
  tfMs: number;
  sgRme: number;
  tfRme: number;
  flops: number;
  /** Samples per run (fit cases): throughput is shown as samples/s. */
  samples?: number;
  /** Timed runs per library (alternating runs, fit cases); sgMs/tfMs are then medians. */
  runs?: number;
  /** Fastest of the alternating runs (fit cases). */
  sgMin?: number;
  tfMin?: number;
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

/** The median of `xs` (the mean of the middle two for an even count); NaN when empty. */
export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Timed runs per library of a fit case: at least this many by default (`npm run bench -- --fit-runs N`)… */
export const MIN_RUNS = 3;
/** …and more while the runs stay within the case's time budget, up to this many (or the minimum, if more). */
export const MAX_RUNS = 15;

/**
 * Times a long case (a `fit`) in alternating runs of the two libraries,
 * sg, peer, sg, peer, … after one warm-up run each, so load that comes and
 * goes falls on both: at least `minRuns` rounds, more while the rounds so far
 * took less than `maxTime` seconds per library on average (up to MAX_RUNS).
 * A library that throws is out from then on; the other keeps its runs.
 */
async function alternate(
  fns: Array<() => Promise<void>>,
  maxTime: number,
  minRuns: number,
  fail: (i: number, e: unknown) => void,
): Promise<number[][]> {
  const ms: number[][] = fns.map(() => []);
  const ok = fns.map(() => true);
  const run = async (i: number): Promise<number> => {
    const t0 = performance.now();
    try {
      await fns[i]();
    } catch (e) {
      ok[i] = false;
      fail(i, e);
    }
    return performance.now() - t0;
  };
  for (let i = 0; i < fns.length; i++) await run(i);
  let spent = 0;
  for (let round = 0; round < Math.max(MAX_RUNS, minRuns) && ok.some(Boolean); round++) {
    if (round >= minRuns && spent >= maxTime * 1000 * ok.filter(Boolean).length) break;
    for (let i = 0; i < fns.length; i++) {
      if (!ok[i]) continue;
      const t = await run(i);
      spent += t;
      if (ok[i]) ms[i].push(t);
    }
  }
  return ms.map((m, i) => (ok[i] ? m : []));
}

/**
 * Runs every case for both libraries. Per-op cases: one warm-up run, then a
 * benchmark.js suite per library (mean, rme). Cases with `samples` (fit):
 * alternating runs (see `alternate`; at least `fitRuns` each), reported as
 * median and min per library.
 */
export async function measure(
  backend: string,
  cases: BenchCase[],
  maxTime = 2,
  log: (s: string) => void = () => {},
  fitRuns = MIN_RUNS,
): Promise<Row[]> {
  const rows: Row[] = [];
  const nan = { ms: NaN, rme: NaN };
  const libs = ['shadergrad', 'tfjs'];
  for (const c of cases) {
    // One library failing a case (a missing kernel) still times the other.
    let error: string | undefined;
    const fail = (lib: string, e: unknown): void => {
      error = `${error ? `${error}; ` : ''}${lib}: ${(e as Error)?.message ?? e}`;
    };
    let row: Row;
    if (c.samples) {
      const [s, t] = await alternate([c.sg, c.tf], maxTime, Math.max(1, fitRuns), (i, e) => fail(libs[i], e));
      const runs = Math.max(s.length, t.length);
      const min = (xs: number[]): number => (xs.length ? Math.min(...xs) : NaN);
      row = { backend, name: c.name, sgMs: median(s), tfMs: median(t), sgRme: NaN, tfRme: NaN, flops: c.flops, samples: c.samples, runs, sgMin: min(s), tfMin: min(t), error };
    } else {
      const timed = async (lib: string, fn: () => Promise<void>): Promise<{ ms: number; rme: number }> => {
        try {
          await fn();
          return await time(fn, maxTime);
        } catch (e) {
          fail(lib, e);
          return nan;
        }
      };
      const s = await timed(libs[0], c.sg);
      const t = await timed(libs[1], c.tf);
      row = { backend, name: c.name, sgMs: s.ms, tfMs: t.ms, sgRme: s.rme, tfRme: t.rme, flops: c.flops, samples: c.samples, error };
    }
    rows.push(row);
    const stat = row.runs ? ` (median of ${row.runs} alternating runs)` : '';
    log(`${backend} ${c.name}: shadergrad ${row.sgMs.toFixed(2)} ms, tfjs ${row.tfMs.toFixed(2)} ms${stat}${error ? ` (${error})` : ''}`);
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
  const t = (r: Row, ms: number, rme: number, min?: number): string => {
    if (!ok(ms)) return 'failed';
    return r.runs ? `${ms.toFixed(2)} (min ${min!.toFixed(2)}, ${r.runs} runs)` : `${ms.toFixed(2)} ±${rme.toFixed(0)}%`;
  };
  const out = [
    'ms per run: benchmark.js mean ± its relative margin of error (95%); fit rows: median of alternating runs',
    '(shadergrad, peer, shadergrad, … after one warm-up each), min and run count in brackets, ratio from the medians.',
    '',
    // The peer is TensorFlow.js unless the backend column names another (e.g. "wasm (Node) vs jax-js").
    '| backend | case | shadergrad ms (mean or median) | peer ms (mean or median) | shadergrad GFLOP/s or samples/s | peer GFLOP/s or samples/s | time ratio sg/peer |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  const notes: string[] = [];
  for (const r of rows) {
    out.push(`| ${r.backend} | ${r.name} | ${t(r, r.sgMs, r.sgRme, r.sgMin)} | ${t(r, r.tfMs, r.tfRme, r.tfMin)} | ${g(r, r.sgMs)} | ${g(r, r.tfMs)} | ${ok(r.sgMs) && ok(r.tfMs) ? (r.sgMs / r.tfMs).toFixed(2) : '–'} |`);
    if (r.error) notes.push(`- ${r.backend} ${r.name}: ${r.error}`);
  }
  if (notes.length) out.push('', 'Failed:', ...notes);
  return out.join('\n');
}
