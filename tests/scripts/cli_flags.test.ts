/** The one command-line parser of the examples, the demo and the bench (scripts/cli_flags.ts): each kind of value, and errors naming the argument. */
import { expect, test } from 'vitest';
import type { Flag } from '../../scripts/cli_flags.js';
import { flagUsage, parseFlags } from '../../scripts/cli_flags.js';

const FLAGS = [
  { name: 'only', kind: 'list', value: 'NAMES', help: 'names' },
  { name: 'max-time', kind: 'number', value: 'SECONDS', help: 'time' },
  { name: 'threads', kind: 'int', value: 'N', help: 'threads' },
  { name: 'skip-cpu', kind: 'switch', help: 'skip' },
  { name: 'backend', kind: 'text', value: 'NAME', help: 'backend' },
] as const satisfies readonly Flag[];

test('each kind reads its value, from --flag=value or --flag value; the last of a repeated flag wins', () => {
  const a = parseFlags(FLAGS, ['--only=matMul 128,conv2d', '--max-time', '0.5', '--threads=2', '--skip-cpu', '--backend', 'wasm', '--threads', '3']);
  expect(a).toEqual({ only: ['matMul 128', 'conv2d'], 'max-time': 0.5, threads: 3, 'skip-cpu': true, backend: 'wasm' });
  expect(parseFlags(FLAGS, [])).toEqual({});
  expect(parseFlags(FLAGS, ['-h']).help).toBe(true);
  expect(parseFlags(FLAGS, ['--help']).help).toBe(true);
});

test('malformed values, unknown flags and stray arguments throw naming them', () => {
  const bad: [string[], RegExp][] = [
    [['--max-time=0'], /^--max-time must be a positive number, got '0'$/],
    [['--max-time=fast'], /^--max-time must be a positive number, got 'fast'$/],
    [['--threads=-1'], /^--threads must be a non-negative integer, got '-1'$/],
    [['--threads='], /^--threads must be a non-negative integer, got ''$/],
    [['--only=a,,b'], /^--only must be a comma-separated list of names, got 'a,,b'$/],
    [['--only', '--skip-cpu'], /^--only needs a value \(NAMES\)$/],
    [['--skip-cpu=yes'], /^--skip-cpu takes no value, got 'yes'$/],
    [['--backend='], /^--backend must be non-empty, got ''$/],
    [['--skip-gpu'], /^unknown flag '--skip-gpu' \(did you mean '--skip-cpu'\?\)$/],
    [['--thread=2'], /^unknown flag '--thread' \(did you mean '--threads'\?\)$/],
    [['--verbose'], /^unknown flag '--verbose'$/],
    [['-x'], /^unexpected argument '-x'$/],
    [['matMul'], /^unexpected argument 'matMul'$/],
  ];
  for (const [argv, re] of bad) expect(() => parseFlags(FLAGS, argv), argv.join(' ')).toThrow(re);
});

test('usage gives one line per flag, --help included', () => {
  const lines = flagUsage('bench/run.ts', FLAGS, 'summary').split('\n');
  expect(lines[0]).toBe('usage: node scripts/run.mjs bench/run.ts [options]');
  for (const f of [...FLAGS, { name: 'help', help: 'print this help and exit' }]) expect(lines.filter((l) => l.startsWith(`  --${f.name} `) && l.endsWith(f.help)), f.name).toHaveLength(1);
});
