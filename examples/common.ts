/**
 * Shared plumbing of the examples: options (full run or CI-sized smoke run),
 * backend choice, timing, and the result each example reports (its metric
 * next to a naive baseline), written to examples/out/<name>.json for the
 * README table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as sg from '../src/index.js';

export interface ExampleOptions {
  /** A CI-sized run: few epochs on a small subset. */
  smoke?: boolean;
  /** Override the number of epochs. */
  epochs?: number;
  /** Keras-like progress (1) or silent (0). */
  verbose?: 0 | 1;
  /** Backend to use; default: the best available (sg.ready()). */
  backend?: string;
  log?: (line: string) => void;
  /** Where to save the trained model (file:// URL), if anywhere. */
  saveTo?: string;
}

export interface ExampleResult {
  name: string;
  data: string;
  backend: string;
  metric: string;
  value: number;
  baseline: string;
  baselineValue: number;
  /** True when lower is better for the metric. */
  lowerIsBetter: boolean;
  seconds: number;
  extra?: Record<string, number | string>;
}

/** Options from the command line: --smoke, --epochs=N, --backend=cpu, --quiet, --save=file://dir. */
export function cliOptions(argv = process.argv.slice(2)): ExampleOptions {
  const get = (k: string): string | undefined => argv.find((a) => a.startsWith(`--${k}=`))?.split('=').slice(1).join('=');
  return {
    smoke: argv.includes('--smoke'),
    epochs: get('epochs') ? Number(get('epochs')) : undefined,
    backend: get('backend'),
    verbose: argv.includes('--quiet') ? 0 : 1,
    saveTo: get('save'),
  };
}

/** Picks the backend and returns its name. */
export async function useBackend(opts: ExampleOptions): Promise<string> {
  if (opts.backend) await sg.setBackend(opts.backend);
  else await sg.ready();
  return sg.getBackend();
}

/** Prints the result and stores it for the README table (full runs only). */
export function report(r: ExampleResult, opts: ExampleOptions): ExampleResult {
  const log = opts.log ?? console.log;
  const better = r.lowerIsBetter ? r.value < r.baselineValue : r.value > r.baselineValue;
  log(`\n${r.name}: ${r.metric} ${fmt(r.value)} vs ${r.baseline} ${fmt(r.baselineValue)} (${better ? 'better than' : 'NOT better than'} the baseline) — ${r.seconds.toFixed(1)} s on ${r.backend}`);
  if (r.extra) for (const [k, v] of Object.entries(r.extra)) log(`  ${k}: ${typeof v === 'number' ? fmt(v) : v}`);
  if (!opts.smoke) {
    mkdirSync('examples/out', { recursive: true });
    writeFileSync(`examples/out/${r.name}.json`, JSON.stringify(r, null, 2));
  }
  return r;
}

export function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toFixed(4);
}

/** Mean absolute error between two host arrays. */
export function mae(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Seconds since `t0` (performance.now()). */
export function since(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** Runs `run` when this file is the entry of `node scripts/run.mjs`. */
export async function main(entry: string, run: (o: ExampleOptions) => Promise<unknown>): Promise<void> {
  if (process.env.SG_EXAMPLE === entry) await run(cliOptions());
}
