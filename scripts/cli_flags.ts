/**
 * The command line of the entries that scripts/run.mjs runs (the examples, the demo, the bench):
 * one parser for all of them. Each entry declares its flags in a table; this gives it `--help`
 * (usage, one line per flag, exit 0), both value spellings (`--flag=value`, `--flag value`), and
 * exit 2 with a message naming the flag for an unknown flag, a missing or malformed value, or a
 * stray argument.
 */

/** How a flag's value is read: none (a switch), a non-negative integer, a positive number, a comma-separated list, or any text. */
export type FlagKind = 'switch' | 'int' | 'number' | 'list' | 'text';

/** One flag: its name without `--`, how its value is read, the placeholder usage shows for the value, and one line of help. */
export interface Flag {
  readonly name: string;
  readonly kind: FlagKind;
  readonly value?: string;
  readonly help: string;
}

type ValueOf<K extends FlagKind> = K extends 'switch' ? true : K extends 'int' | 'number' ? number : K extends 'list' ? string[] : string;

/** What `parseFlags` returns for a table `F`: each flag given, by name, with its value typed by its kind; `help` when asked for. */
export type ParsedFlags<F extends readonly Flag[]> = { [E in F[number] as E['name']]?: ValueOf<E['kind']> } & { help?: true };

/** Added to every table: `--help` (and `-h`). */
const HELP: Flag = { name: 'help', kind: 'switch', help: 'print this help and exit' };

/**
 * Parses `argv` against `flags`: `--name=value` or `--name value`; a switch takes no value; a
 * flag given twice keeps the last value. Throws an Error naming the argument for an unknown flag
 * (suggesting a near name), a missing or malformed value, or an argument that is not a flag.
 */
export function parseFlags<const F extends readonly Flag[]>(flags: F, argv: readonly string[]): ParsedFlags<F> {
  const table: readonly Flag[] = [...flags, HELP];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h') {
      out.help = true;
      continue;
    }
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(a);
    if (!m) throw new Error(`unexpected argument '${a}'`);
    const flag = table.find((f) => f.name === m[1]);
    if (!flag) {
      const near = nearest(m[1], table);
      throw new Error(`unknown flag '--${m[1]}'${near ? ` (did you mean '--${near.name}'?)` : ''}`);
    }
    let value = m[2];
    const placeholder = flag.value ?? flag.kind.toUpperCase();
    if (flag.kind === 'switch') {
      if (value !== undefined) throw new Error(`--${flag.name} takes no value, got '${value}'`);
      out[flag.name] = true;
      continue;
    }
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${flag.name} needs a value (${placeholder})`);
      i++;
    }
    out[flag.name] = readValue(flag, value);
  }
  return out as ParsedFlags<F>;
}

/** The flag `name` most likely meant: one it is a prefix of (or that is a prefix of it), else one within two edits; none if neither. */
function nearest(name: string, table: readonly Flag[]): Flag | undefined {
  const prefix = table.find((f) => f.name.startsWith(name) || name.startsWith(f.name));
  if (prefix) return prefix;
  let best: Flag | undefined;
  let bestD = 3;
  for (const f of table) {
    // Levenshtein distance, one row at a time.
    let row = Array.from({ length: f.name.length + 1 }, (_, j) => j);
    for (let i = 1; i <= name.length; i++) {
      const next = [i];
      for (let j = 1; j <= f.name.length; j++) next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (name[i - 1] === f.name[j - 1] ? 0 : 1)));
      row = next;
    }
    if (row[f.name.length] < bestD) (best = f), (bestD = row[f.name.length]);
  }
  return best;
}

/** `value` read as `flag`'s kind; throws naming the flag when it does not fit. */
function readValue(flag: Flag, value: string): unknown {
  const bad = (what: string): Error => new Error(`--${flag.name} must be ${what}, got '${value}'`);
  switch (flag.kind) {
    case 'int': {
      const v = Number(value);
      if (value.trim() === '' || !Number.isInteger(v) || v < 0) throw bad('a non-negative integer');
      return v;
    }
    case 'number': {
      const v = Number(value);
      if (value.trim() === '' || !Number.isFinite(v) || v <= 0) throw bad('a positive number');
      return v;
    }
    case 'list': {
      const items = value.split(',').map((s) => s.trim());
      if (items.some((s) => s === '')) throw bad('a comma-separated list of names');
      return items;
    }
    default:
      if (value === '') throw bad('non-empty');
      return value;
  }
}

/** The usage text of `script` (run as `node scripts/run.mjs <script>`): an optional summary, then one line per flag. */
export function flagUsage(script: string, flags: readonly Flag[], summary?: string): string {
  const rows = [...flags, HELP].map((f) => {
    const head = `  --${f.name}${f.kind === 'switch' ? '' : ` ${f.value ?? f.kind.toUpperCase()}`}`;
    return `${head.padEnd(22)}${head.length >= 22 ? ' ' : ''}${f.help}`;
  });
  return [`usage: node scripts/run.mjs ${script} [options]`, ...(summary ? ['', summary] : []), '', 'options (--flag=value or --flag value):', ...rows].join('\n');
}

/**
 * The flags of `script` from the command line. On `--help` prints the usage to stdout and exits 0;
 * on a bad argument prints `<script>: <message>` and the usage to stderr and exits 2.
 */
export function cliFlags<const F extends readonly Flag[]>(script: string, flags: F, argv: readonly string[] = process.argv.slice(2), summary?: string): ParsedFlags<F> {
  let parsed: ParsedFlags<F>;
  try {
    parsed = parseFlags(flags, argv);
  } catch (e) {
    console.error(`${script}: ${(e as Error).message}\n\n${flagUsage(script, flags, summary)}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(flagUsage(script, flags, summary));
    process.exit(0);
  }
  return parsed;
}
