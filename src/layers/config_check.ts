/**
 * Strict config objects: every layer, optimizer, callback and
 * compile/fit/evaluate/predict config goes through `checkConfig`, so a key the
 * library does not read (a Keras snake_case spelling, a typo) is an error that
 * names the key and the right spelling instead of being silently ignored.
 */

/** `return_sequences` → `returnSequences`, `beta_1` → `beta1` (Keras Python spelling to the tfjs one). */
export function snakeToCamel(key: string): string {
  return key.replace(/_+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/** Keras spellings that are not a plain snake_case → camelCase change. */
const KERAS_ALIASES: Readonly<Record<string, string>> = {
  lr: 'learningRate',
  input_dim: 'inputDim',
  output_dim: 'outputDim',
  kernel_size: 'kernelSize',
  pool_size: 'poolSize',
};

/** Levenshtein distance (configs have a handful of short keys). */
function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n];
}

/** The allowed key a user probably meant by `key`, or undefined. */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const alias = KERAS_ALIASES[key];
  if (alias !== undefined && alias !== key && allowed.includes(alias)) return alias;
  const camel = snakeToCamel(key);
  if (camel !== key && allowed.includes(camel)) return camel;
  const lower = key.toLowerCase().replace(/_/g, '');
  const ci = allowed.find((a) => a.toLowerCase() === lower);
  if (ci !== undefined) return ci;
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = editDistance(lower, a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(Math.min(key.length, best.length) / 4)) ? best : undefined;
}

/**
 * Throws unless every own key of `config` is in `allowed` (keys whose value is
 * `undefined` count too: a misspelt key is wrong whatever its value). `where`
 * names the layer/function, e.g. `"lstm_1 (LSTM)"` or `"fit"`; the message
 * gives the right spelling for a Keras snake_case key or a near typo.
 * `null`/`undefined` configs pass (nothing to check); a non-object throws.
 * @example checkConfig('fit', { batch_size: 32 }, ['epochs', 'batchSize']);
 * // Error: fit: unknown option 'batch_size' (did you mean 'batchSize'?)
 */
export function checkConfig(where: string, config: object, allowed: readonly string[]): void {
  if (config === null || config === undefined) return;
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new Error(`${where}: expected a config object, got ${Array.isArray(config) ? 'an array' : typeof config === 'string' ? `the string '${config}'` : String(config)}`);
  }
  for (const key of Object.keys(config)) {
    if (allowed.includes(key)) continue;
    const hint = suggestKey(key, allowed);
    const known = [...allowed].sort().join(', ');
    throw new Error(`${where}: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; known options: ${known}`);
  }
}

/**
 * The keys of a config interface, listed once as `{ key: true, … }`: the
 * `Record<keyof T, true>` type makes the compiler reject a missing or an extra
 * key, so the allowed list cannot drift from the interface.
 * @example const FIT_KEYS = keysOf<FitArgs>({ epochs: true, batchSize: true, ... });
 */
export function keysOf<T>(keys: Record<keyof T, true>): readonly string[] {
  return Object.keys(keys);
}

/** The union of key objects, as `{ ...a, ...b, ...c }`, but as a call that bundlers drop when its result is unused. */
export function joinKeys<const A extends object, const B extends object, const C extends object = object>(a: A, b: B, c?: C): A & B & C {
  return Object.assign({}, a, b, c);
}

/** A `{...}` literal (not an array, tensor, layer or other class instance). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A config from Keras's positional form: with `names` `['units']`,
 * `fn(64, { activation })` gives `{ units: 64, activation }`; a config object
 * alone is returned as is. The config object is checked with `checkConfig`.
 */
export function positional<T extends object>(where: string, args: readonly unknown[], names: readonly string[], allowed: readonly string[]): T {
  let k = 0;
  while (k < args.length && args[k] !== undefined && !isPlainObject(args[k])) k++;
  if (k > names.length) {
    if (names.length === 0) checkConfig(where, args[0] as object, allowed);
    throw new Error(`${where}: takes at most ${names.length} positional value(s) (${names.join(', ')}) before the config object, got ${k}`);
  }
  if (args.length > k + 1) throw new Error(`${where}: the config object must be the last argument, got ${args.length} arguments`);
  const cfg = (args[k] ?? {}) as Record<string, unknown>;
  checkConfig(where, cfg, allowed);
  const out: Record<string, unknown> = { ...cfg };
  for (let i = 0; i < k; i++) {
    if (names[i] in cfg) throw new Error(`${where}: '${names[i]}' given both positionally and in the config object`);
    out[names[i]] = args[i];
  }
  return out as T;
}
