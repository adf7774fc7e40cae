/**
 * Layer classes by Keras class name, and config helpers. Every layer class
 * registers itself with `registerLayer(className, fromConfig)`; a loader
 * builds a layer from a model.json entry with
 * `deserializeLayer({ class_name, config })`. Configs use Keras snake_case
 * keys (`use_bias`, `kernel_initializer: {class_name, config}`); `fromConfig`
 * takes the camelCase args the factories take, which `configToArgs` derives.
 */
import type { Initializer } from './initializers.js';
import type { Layer } from './layer.js';

type FromConfig = (args: Record<string, unknown>) => Layer;
const registry = new Map<string, FromConfig>();

/** Registers a layer class under its Keras class name. */
export function registerLayer(className: string, fromConfig: FromConfig): void {
  registry.set(className, fromConfig);
}

/** Registered class names. */
export function registeredLayers(): string[] {
  return [...registry.keys()];
}

const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Keras snake_case config → camelCase factory args: keys camelCased, nested
 * `{class_name, config}` → `{className, config}` (what getInitializer and
 * getRegularizer accept), nulls dropped.
 */
export function configToArgs(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null || v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && 'class_name' in v) {
      const o = v as { class_name: string; config?: Record<string, unknown> };
      out[camel(k)] = { className: o.class_name, config: o.config ?? {} };
    } else out[camel(k)] = v;
  }
  return out;
}

/** A layer from its model.json entry `{class_name, config}`. */
export function deserializeLayer(entry: { class_name: string; config: Record<string, unknown> }): Layer {
  const f = registry.get(entry.class_name);
  if (!f) throw new Error(`unknown layer class '${entry.class_name}'; registered: ${[...registry.keys()].join(', ')}`);
  return f(configToArgs(entry.config));
}

/** `{class_name, config}` of an initializer. */
export function initializerConfig(init: Initializer): Record<string, unknown> {
  return { class_name: init.className, config: { ...init.config } };
}
