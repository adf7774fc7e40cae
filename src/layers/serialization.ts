/**
 * Layer classes by Keras class name, and config helpers. The registry lives
 * here; layer_registry.ts fills it (the built-in classes on first lookup,
 * users' with `registerLayer(className, fromConfig)`) and builds a layer from
 * a model.json entry with `deserializeLayer({ class_name, config })`. Configs use Keras snake_case
 * keys (`use_bias`, `kernel_initializer: {class_name, config}`); `fromConfig`
 * takes the camelCase args the factories take, which `configToArgs` derives.
 */
import type { Initializer } from './initializers.js';
import type { Layer } from './layer.js';

/** Builds a layer from its camelCase config args. */
export type FromConfig = (args: Record<string, unknown>) => Layer;
const registry = new Map<string, FromConfig>();

/**
 * @internal A layer module's own registration at load, left only in conv.ts
 * (TODO(#11): delete its two calls and this function; layer_registry.ts's table
 * already registers Conv1D/Conv2D on first lookup). Marked free of side effects
 * so that bundlers drop those calls and the conv layers tree-shake; users call
 * layer_registry.ts's `registerLayer`.
 */
/* @__NO_SIDE_EFFECTS__ */
export function registerLayer(className: string, fromConfig: FromConfig): void {
  registry.set(className, fromConfig);
}

/**
 * @internal A layer from its model.json entry, from the classes registered so
 * far (layer_registry.ts's `deserializeLayer` registers the built-in ones first;
 * use that one).
 */
export function deserializeRegistered(entry: { class_name: string; config: Record<string, unknown> }): Layer {
  const f = registry.get(entry.class_name);
  if (!f) throw new Error(`unknown layer class '${entry.class_name}'; registered: ${[...registry.keys()].join(', ')}`);
  return f(configToArgs(entry.config));
}

/** @internal The factories registered so far (layer_registry.ts adds the built-in classes first). */
export function layerFactories(): Map<string, FromConfig> {
  return registry;
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

/** `{class_name, config}` of an initializer. */
export function initializerConfig(init: Initializer): Record<string, unknown> {
  return { class_name: init.className, config: { ...init.config } };
}
