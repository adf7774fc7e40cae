/**
 * Strict option checking: factories reject keys they do not know, and a Keras
 * snake_case spelling gets the camelCase name in the message
 * (`return_sequences` → `returnSequences`).
 */

const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Throws `${where}: unknown option 'k'` for the first key of `config` not in `allowed` (with a camelCase hint for snake_case keys). */
export function checkConfig(where: string, config: object, allowed: readonly string[]): void {
  if (config === null || typeof config !== 'object') return;
  for (const k of Object.keys(config)) {
    if (allowed.includes(k)) continue;
    const c = camel(k);
    const hint = c !== k && allowed.includes(c) ? ` (did you mean '${c}'? options are camelCase)` : `; known options: ${allowed.join(', ')}`;
    throw new Error(`${where}: unknown option '${k}'${hint}`);
  }
}
