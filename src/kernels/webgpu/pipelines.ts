/**
 * Shader layouts and pipelines: each shader's bind group layout is built from
 * the build-time reflection table on first use, compute pipelines are cached
 * per shader and override constants, and launch params are packed into the
 * shader's uniform at the reflected offsets.
 */
import type { DeviceErrors } from './errors.js';
import type { ShaderDef } from './program.js';
import type { ShaderLayout } from './layout.js';
import { shaderLayout } from './layout.js';

/** A shader's reflected layout with its GPU bind group and pipeline layouts (and module, once compiled). */
export interface ShaderInfo extends ShaderLayout {
  layout: GPUBindGroupLayout;
  pipelineLayout: GPUPipelineLayout;
  module?: GPUShaderModule;
}

/** Caches the layouts and compute pipelines of one device's shaders. */
export class PipelineCache {
  private readonly shaders = new Map<string, ShaderInfo>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  /** `errors` keeps a compile error found after the pipeline was created. */
  constructor(
    private readonly device: GPUDevice,
    private readonly errors: DeviceErrors,
  ) {}

  /** A shader's layout (from the build-time reflection table) with its GPU bind group layout, built on first use. */
  shaderInfo(def: ShaderDef): ShaderInfo {
    let s = this.shaders.get(def.name);
    if (s) return s;
    const r = shaderLayout(def);
    const layout = this.device.createBindGroupLayout({
      label: def.name,
      entries: r.bindings.map((b) => ({ binding: b.binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: b.kind } })),
    });
    s = { ...r, layout, pipelineLayout: this.device.createPipelineLayout({ label: def.name, bindGroupLayouts: [layout] }) };
    this.shaders.set(def.name, s);
    return s;
  }

  /** The compute pipeline of `def` with `overrides`, created (and cached) on first use. */
  pipeline(def: ShaderDef, info: ShaderInfo, overrides?: Readonly<Record<string, number>>): GPUComputePipeline {
    const key = overrides ? `${def.name}|${JSON.stringify(Object.entries(overrides).sort())}` : def.name;
    let p = this.pipelines.get(key);
    if (p) return p;
    this.device.pushErrorScope('validation');
    if (!info.module) info.module = this.device.createShaderModule({ label: def.name, code: def.source });
    p = this.device.createComputePipeline({
      label: key,
      layout: info.pipelineLayout,
      compute: { module: info.module, entryPoint: def.entryPoint ?? 'main', constants: overrides as Record<string, number> | undefined },
    });
    void this.device.popErrorScope().then((err) => {
      if (err) this.errors.asyncError ??= new Error(`webgpu: shader '${def.name}' failed to compile: ${err.message}`);
    });
    this.pipelines.set(key, p);
    return p;
  }

  /** Compiles a shader now and rejects with its errors (tests, warm-up). */
  async compile(def: ShaderDef, overrides?: Readonly<Record<string, number>>): Promise<void> {
    const info = this.shaderInfo(def);
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ label: def.name, code: def.source });
    const ci = await module.getCompilationInfo();
    const msgs = ci.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    this.device.createComputePipeline({ layout: info.pipelineLayout, compute: { module, entryPoint: def.entryPoint ?? 'main', constants: overrides as Record<string, number> | undefined } });
    const err = await this.device.popErrorScope();
    if (msgs.length || err) throw new Error(`webgpu: shader '${def.name}' failed to compile: ${msgs.join('; ')} ${err?.message ?? ''}`);
  }
}

/**
 * Packs launch params into the bytes of the shader's params uniform at its
 * reflected offsets; null when the shader has none. Throws on a missing,
 * unknown or too long param.
 */
export function packParams(def: ShaderDef, info: ShaderInfo, params: Readonly<Record<string, number | readonly number[]>> = {}): ArrayBuffer | null {
  const u = info.uniform;
  if (!u) {
    if (Object.keys(params).length) throw new Error(`webgpu: shader '${def.name}' has no params uniform but the launch passed ${Object.keys(params).join(', ')}`);
    return null;
  }
  const ab = new ArrayBuffer(u.size);
  const dv = new DataView(ab);
  for (const k of Object.keys(params)) {
    if (!u.members.has(k)) throw new Error(`webgpu: shader '${def.name}' has no params.${k}`);
  }
  for (const [name, slots] of u.members) {
    const v = params[name];
    if (v === undefined) throw new Error(`webgpu: launch of '${def.name}' is missing params.${name}`);
    const vals = typeof v === 'number' ? [v] : v;
    if (vals.length > slots.length) throw new Error(`webgpu: params.${name} of '${def.name}' takes at most ${slots.length} values, got ${vals.length}`);
    for (let i = 0; i < slots.length; i++) {
      const x = vals[i] ?? 0;
      const s = slots[i];
      if (s.type === 'f32') dv.setFloat32(s.offset, x, true);
      else if (s.type === 'i32') dv.setInt32(s.offset, x, true);
      else dv.setUint32(s.offset, x >>> 0, true);
    }
  }
  return ab;
}
