/**
 * Shared plumbing of the examples: options (full run or CI-sized smoke run),
 * backend choice, timing, and the result each example reports (its metric
 * next to a naive baseline), written to examples/out/<name>.json for the
 * README table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as sg from '../src/index.js';
import type { Flag, ParsedFlags } from '../scripts/cli_flags.js';
import { cliFlags, flagUsage, parseFlags } from '../scripts/cli_flags.js';

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
  /** Seed for sg.setSeed (default DEFAULT_SEED). */
  seed?: number;
}

/** The seed examples pass to sg.setSeed unless --seed says otherwise. */
export const DEFAULT_SEED = 42;

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

/** The flags every example (and the demo) takes, for --help and for rejecting unknown ones (`--help` is added by the parser). */
const FLAGS = [
  { name: 'smoke', kind: 'switch', help: 'a quick CI-sized run (few epochs, small subset)' },
  { name: 'epochs', kind: 'int', value: 'N', help: 'number of epochs (default: the example\'s full run)' },
  { name: 'backend', kind: 'text', value: 'NAME', help: "'cpu' or 'webgpu' (default: sg.ready()'s choice)" },
  { name: 'seed', kind: 'int', value: 'N', help: `random seed passed to sg.setSeed (default ${DEFAULT_SEED})` },
  { name: 'save', kind: 'text', value: 'URL', help: 'save the trained model, e.g. file://my-model' },
  { name: 'quiet', kind: 'switch', help: 'no progress output' },
] as const satisfies readonly Flag[];

/** The usage text of `script`. */
export function usage(script: string): string {
  return flagUsage(script, FLAGS);
}

/** Example options from parsed flags. */
function toOptions(f: ParsedFlags<typeof FLAGS>): ExampleOptions & { help?: boolean } {
  const out: ExampleOptions & { help?: boolean } = { verbose: f.quiet ? 0 : 1 };
  if (f.smoke) out.smoke = true;
  if (f.help) out.help = true;
  if (f.epochs !== undefined) out.epochs = f.epochs;
  if (f.seed !== undefined) out.seed = f.seed;
  if (f.backend !== undefined) out.backend = f.backend;
  if (f.save !== undefined) out.saveTo = f.save;
  return out;
}

/**
 * Parses the command line (scripts/cli_flags.ts): `--epochs=3` or `--epochs 3`; an
 * unknown flag, a missing or bad value, or a stray argument throws naming it.
 * `--help` gives `{ help: true }`.
 */
export function parseArgs(argv: readonly string[]): ExampleOptions & { help?: boolean } {
  return toOptions(parseFlags(FLAGS, argv));
}

/** Options from the command line; prints usage and exits on --help (0) or a bad flag (2). */
export function cliOptions(script: string, argv = process.argv.slice(2)): ExampleOptions {
  return toOptions(cliFlags(script, FLAGS, argv));
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

/** A number for the console: integers as integers, else 3–4 significant decimals. */
export function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
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
  if (process.env.SG_EXAMPLE === entry) await run(cliOptions(`examples/${entry}.ts`));
}
