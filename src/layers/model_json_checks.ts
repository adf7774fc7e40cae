/**
 * Type checks of a model.json `modelTopology` before any layer is built: the
 * model's class and layer list, functional graph references, and the config
 * fields every layer reads (numbers, booleans, shapes, nested initializer
 * objects). A corrupted file then fails with `loadLayersModel:` and the field's
 * path instead of an internal TypeError deep inside a layer constructor.
 */

type Check = [what: string, ok: (v: unknown) => boolean];

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const posInt = (v: unknown): boolean => isInt(v) && v > 0 && v <= 2 ** 31 - 1;
const isBool = (v: unknown): boolean => typeof v === 'boolean';
const isStr = (v: unknown): boolean => typeof v === 'string';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const orNull = (f: (v: unknown) => boolean) => (v: unknown) => v === null || v === undefined || f(v);
const intOrList = (f: (v: unknown) => boolean) => (v: unknown) => f(v) || (Array.isArray(v) && v.length >= 1 && v.length <= 3 && v.every(f));
const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const fraction = (v: unknown): boolean => finite(v) && (v as number) >= 0 && (v as number) <= 1;
const classObj = (v: unknown): boolean => isObj(v) && typeof v.class_name === 'string' && (v.config === undefined || v.config === null || isObj(v.config));
const shapeDims = (v: unknown): boolean => Array.isArray(v) && v.length >= 1 && v.length <= 8 && v.every((d) => d === null || posInt(d));

const POS_INT: Check = ['a positive integer', posInt];
const BOOL: Check = ['a boolean', isBool];
const STR: Check = ['a string', isStr];
const SIZES: Check = ['a positive integer or a list of 1 to 3 of them', /* @__PURE__ */ intOrList(posInt)];
const FRACTION: Check = ['a number in [0, 1]', fraction];
const CLASS_OBJ: Check = ['null or an object with a string class_name', /* @__PURE__ */ orNull(classObj)];

/** The config keys layers read, with the type each must have. Keys not listed are left to the layer. */
const KEYS: Record<string, Check> = {
  name: ['a non-empty string', (v) => isStr(v) && v !== ''],
  trainable: BOOL,
  dtype: ['a dtype string', /* @__PURE__ */ orNull(isStr)],
  units: POS_INT,
  filters: POS_INT,
  input_dim: POS_INT,
  output_dim: POS_INT,
  input_length: ['null or a positive integer', /* @__PURE__ */ orNull(posInt)],
  activation: ['an activation name', /* @__PURE__ */ orNull(isStr)],
  recurrent_activation: ['an activation name', /* @__PURE__ */ orNull(isStr)],
  use_bias: BOOL,
  return_sequences: BOOL,
  return_state: BOOL,
  go_backwards: BOOL,
  stateful: BOOL,
  unroll: BOOL,
  center: BOOL,
  scale: BOOL,
  reset_after: BOOL,
  mask_zero: BOOL,
  kernel_size: SIZES,
  strides: ['null, a positive integer or a list of 1 to 3 of them', /* @__PURE__ */ orNull(/* @__PURE__ */ intOrList(posInt))],
  pool_size: SIZES,
  dilation_rate: SIZES,
  padding: STR,
  data_format: ['null or a string', /* @__PURE__ */ orNull(isStr)],
  merge_mode: ['null or a string', /* @__PURE__ */ orNull(isStr)],
  rate: FRACTION,
  dropout: FRACTION,
  recurrent_dropout: FRACTION,
  momentum: ['a finite number', finite],
  epsilon: ['a finite number', finite],
  axis: ['an integer or a list of integers', (v) => isInt(v) || (Array.isArray(v) && v.every(isInt))],
  batch_input_shape: ['a list of 1 to 8 dimensions (null or positive integers)', shapeDims],
  target_shape: ['a list of integers (-1 for one inferred dimension)', (v) => Array.isArray(v) && v.length >= 1 && v.every((d) => isInt(d) && d >= -1)],
  dims: ['a list of positive integers', (v) => Array.isArray(v) && v.every(posInt)],
};

function checkConfig(where: string, config: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(config)) {
    const rule = KEYS[k] ?? (/_(initializer|regularizer|constraint)$/.test(k) ? CLASS_OBJ : undefined);
    // A null is "use the default": configToArgs drops nulls.
    if (!rule || v === undefined || v === null) continue;
    if (!rule[1](v)) throw new Error(`loadLayersModel: ${where}: config.${k} must be ${rule[0]}, got ${short(v)}`);
  }
  if (config.layer !== undefined) checkEntry(`${where} (wrapped layer)`, config.layer);
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? typeof v : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function checkEntry(where: string, e: unknown): void {
  if (!isObj(e) || typeof e.class_name !== 'string' || !isObj(e.config)) throw new Error(`loadLayersModel: ${where} needs a string class_name and a config object, got ${short(e)}`);
  checkConfig(`${where} '${typeof e.config.name === 'string' ? e.config.name : '?'}' (${e.class_name})`, e.config);
}

const nodeRef = (r: unknown): boolean => Array.isArray(r) && r.length >= 3 && typeof r[0] === 'string' && isInt(r[1]) && r[1] >= 0 && isInt(r[2]) && r[2] >= 0 && (r[3] === undefined || isObj(r[3]));

/** Checks a model.json topology's structure and layer config types; throws `loadLayersModel: …` naming the layer and field. */
export function checkTopology(topology: unknown): void {
  if (!isObj(topology)) throw new Error(`loadLayersModel: modelTopology must be an object, got ${short(topology)}`);
  const top = topology.model_config === undefined ? topology : topology.model_config;
  if (!isObj(top)) throw new Error(`loadLayersModel: modelTopology.model_config must be an object, got ${short(top)}`);
  if (typeof top.class_name !== 'string') throw new Error(`loadLayersModel: modelTopology.class_name must be a string, got ${short(top.class_name)}`);
  const config = top.config;
  if (top.class_name === 'Sequential') {
    const list = Array.isArray(config) ? config : isObj(config) ? config.layers : undefined;
    if (!Array.isArray(list)) throw new Error(`loadLayersModel: the Sequential config has no layers list`);
    if (isObj(config) && config.name !== undefined && config.name !== null && typeof config.name !== 'string') throw new Error(`loadLayersModel: the model name must be a string, got ${short(config.name)}`);
    list.forEach((e, i) => checkEntry(`layer ${i}`, e));
    return;
  }
  if (top.class_name !== 'Model' && top.class_name !== 'Functional') return; // buildModel names the unsupported class
  if (!isObj(config) || !Array.isArray(config.layers)) throw new Error(`loadLayersModel: the ${top.class_name} config has no layers list`);
  if (config.name !== undefined && config.name !== null && typeof config.name !== 'string') throw new Error(`loadLayersModel: the model name must be a string, got ${short(config.name)}`);
  const names = new Set<string>();
  config.layers.forEach((e: unknown, i) => {
    checkEntry(`layer ${i}`, e);
    const entry = e as Record<string, unknown> & { config: Record<string, unknown> };
    const name = entry.name ?? entry.config.name;
    if (typeof name !== 'string' || name === '') throw new Error(`loadLayersModel: layer ${i} has no name`);
    if (names.has(name)) throw new Error(`loadLayersModel: two layers are named '${name}'`);
    names.add(name);
    const inbound = entry.inbound_nodes ?? [];
    if (!Array.isArray(inbound) || !inbound.every((n) => Array.isArray(n) && n.every(nodeRef))) {
      throw new Error(`loadLayersModel: layer '${name}' has inbound_nodes in an unsupported format (expected [[layer, node, tensor, kwargs], ...] lists), got ${short(inbound)}`);
    }
  });
  for (const k of ['input_layers', 'output_layers'] as const) {
    const refs = config[k];
    if (!Array.isArray(refs) || refs.length === 0 || !refs.every(nodeRef)) throw new Error(`loadLayersModel: the ${top.class_name} config's ${k} must be a non-empty list of [layer, node, tensor], got ${short(refs)}`);
  }
}
