/**
 * WebGPU runtime checks (skipped when no adapter): shader reflection and
 * compilation, launch validation, readSync error, buffer pool reuse and no
 * growth under training-like load, 2-D folded dispatch, size limits, device loss.
 * Shader reflection runs without a GPU too.
 */
import { describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { WebGpuBackend } from '../../src/kernels/webgpu/backend.js';
import { createWebGpuBackend } from '../../src/kernels/webgpu/backend.js';
import { reflectShader } from '../../src/kernels/webgpu/reflect_wgsl.js';
import { castShader, elementwiseShaders, whereShader } from '../../src/kernels/elementwise/webgpu.js';
import { movementShaders } from '../../src/kernels/movement/webgpu.js';
import { reduceShaders } from '../../src/kernels/reduce/webgpu.js';
import { fusedMatMulShaders, matMulShaders } from '../../src/kernels/matmul/webgpu.js';
import { convShaders } from '../../src/kernels/conv/webgpu.js';
import { poolShaders } from '../../src/kernels/pool/webgpu.js';
import { optimizerShaders } from '../../src/kernels/optimizer/webgpu.js';
import { recurrentShaders } from '../../src/kernels/recurrent/webgpu.js';
import type { OpName } from '../../src/kernels/op_names.js';
import { opInputs, outputNames } from '../../src/kernels/op_names.js';
import type { ShaderDef } from '../../src/kernels/webgpu/program.js';
import { onBackend } from '../helpers/backends.js';

const hasGpu = Boolean((globalThis as { __SG_WEBGPU__?: boolean }).__SG_WEBGPU__);
const shaders: ShaderDef[] = [
  ...elementwiseShaders.values(),
  castShader,
  whereShader,
  ...Object.values(movementShaders),
  ...Object.values(reduceShaders),
  ...Object.values(matMulShaders).flatMap((v) => Object.values(v)),
  ...Object.values(fusedMatMulShaders),
  ...Object.values(convShaders).flatMap((v) => Object.values(v)),
  ...Object.values(poolShaders),
  ...Object.values(recurrentShaders),
  ...Object.values(optimizerShaders),
];

/** Shaders of one op: their inputs are the op's spec inputs (`filter` is spelled `filt`, a WGSL reserved word). */
const OP_OF: Record<string, string> = {
  mat_mul: 'matMul',
  fused_mat_mul: 'fusedMatMul',
  conv2d: 'conv2d',
  fused_conv2d: 'fusedConv2d',
  conv2d_backprop_input: 'conv2dBackpropInput',
  conv2d_backprop_filter: 'conv2dBackpropFilter',
  max_pool: 'maxPool',
  avg_pool: 'avgPool',
  max_pool_grad: 'maxPoolGrad',
  avg_pool_grad: 'avgPoolGrad',
  lstm_cell: 'lstmCell',
  lstm_cell_grad: 'lstmCellGrad',
  gru_cell: 'gruCell',
  gru_cell_grad: 'gruCellGrad',
  adam_update: 'adamUpdate',
};

/** Expected binding names (spec order: inputs, outputs, params) of each shader family. */
function expectedNames(name: string): string[] {
  // Variants share their op's bindings: binary_add_f32_vec4, mat_mul_vec4_f32, conv2d_direct_vec4 …
  const base = name.replace(/(_(vec4|f32|i32|direct|disjoint))+$/, '');
  const op = OP_OF[base] as OpName | undefined;
  // WGSL identifiers are snake_case: cPrev → c_prev.
  const snake = (n: string): string => (n === 'filter' ? 'filt' : n.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  if (op) return [...(opInputs[op] as readonly string[]).map(snake), ...outputNames(op).map(snake), 'params'];
  if (name.startsWith('unary_')) return ['x', 'out', 'params'];
  if (name.startsWith('binary_')) return ['a', 'b', 'out', 'params'];
  if (name === 'where') return ['condition', 'a', 'b', 'out', 'params'];
  if (name === 'gather') return ['x', 'indices', 'out', 'params'];
  if (name.startsWith('scatter_add')) return ['dy', 'indices', 'out', 'params'];
  if (name === 'one_hot') return ['indices', 'out', 'params'];
  if (name === 'index_check') return ['indices', 'flags', 'params'];
  return ['x', 'out', 'params'];
}

test('every shader reflects with spec-named bindings in order', () => {
  expect(shaders.length).toBeGreaterThan(60);
  for (const s of shaders) {
    const r = reflectShader(s);
    expect(r.bindings.map((b) => b.name), s.name).toEqual(expectedNames(s.name));
    expect(r.bindings.map((b) => b.binding), s.name).toEqual(r.bindings.map((_, i) => i));
    expect(r.uniform, s.name).toBeTruthy();
  }
});

async function withGpu<T>(fn: (rt: WebGpuBackend) => T | Promise<T>): Promise<T> {
  return onBackend('webgpu', () => fn(sg.ENGINE.backend as unknown as WebGpuBackend));
}

describe.skipIf(!hasGpu)('webgpu runtime', () => {
  test('every shader compiles on the device', async () => {
    await withGpu(async (rt) => {
      for (const s of shaders) await rt.compile(s);
    });
  });

  test('info() reports the adapter, software detection and limits', async () => {
    await withGpu((rt) => {
      const info = sg.backendInfo();
      expect(info.name).toBe('webgpu');
      expect((info.limits as Record<string, number>).maxStorageBufferBindingSize).toBe(rt.limits.maxStorageBufferBindingSize);
      if (info.architecture === 'swiftshader') expect(info.software).toBe(true);
      expect(Array.isArray(info.features)).toBe(true);
    });
  });

  test('a launch that does not match the reflected bindings names the shader', async () => {
    await withGpu((rt) => {
      const a = sg.tensor([1, 2]);
      expect(() => rt.launch({ shader: castShader, inputs: [a, a], outputs: [{ shape: [2], dtype: 'float32' }], params: { size: 2, mode: 0 }, workgroups: [1] })).toThrow(
        /shader 'cast' binds 2 inputs and 1 outputs, but the shader declares 1 read-only and 1 read_write/,
      );
      expect(() => rt.launch({ shader: castShader, inputs: [a], outputs: [{ shape: [2], dtype: 'float32' }], params: { size: 2 }, workgroups: [1] })).toThrow(/'cast' is missing params.mode/);
      a.dispose();
    });
  });

  test('dataSync() explains that GPU memory cannot be read synchronously', async () => {
    await withGpu(() => {
      const a = sg.tensor([1, 2, 3]);
      expect(() => a.dataSync()).toThrow('webgpu: dataSync()/arraySync() cannot read GPU memory synchronously; use await t.data()');
      a.dispose();
    });
  });

  test('bool round-trips as one u32 per element', async () => {
    await withGpu(async () => {
      const a = sg.tensor([1, 0, 1], [3], 'bool');
      const b = sg.logicalNot(a);
      expect(Array.from(await b.data())).toEqual([0, 1, 0]);
      sg.dispose([a, b]);
    });
  });

  test('freed buffers are reused from the pool', async () => {
    await withGpu(async (rt) => {
      const a = sg.tensor(new Float32Array(1000).fill(1), [1000]);
      await a.data();
      a.dispose();
      const created = rt.memory().numBuffersCreated!;
      expect(rt.memory().pooledBytes).toBeGreaterThanOrEqual(4000);
      const b = sg.tensor(new Float32Array(1000).fill(2), [1000]);
      expect(Array.from((await b.data()).slice(0, 3))).toEqual([2, 2, 2]);
      expect(rt.memory().numBuffersCreated).toBe(created);
      b.dispose();
    });
  });

  test('no buffer growth over 100 forward+backward steps', async () => {
    await withGpu(async (rt) => {
      const x = sg.randomNormal([16, 8], 0, 1, 'float32', 1);
      const t = sg.randomUniform([16, 8], 0, 1, 'float32', 2);
      const w = sg.variable(sg.randomNormal([1, 8], 0, 0.5, 'float32', 3));
      const bias = sg.variable(sg.zeros([8]));
      const step = () =>
        sg.tidy(() => {
          const loss = () => {
            const h = sg.relu(sg.add(sg.mul(x, w), bias));
            const p = sg.softmax(h);
            return sg.mean(sg.square(sg.sub(p, t)));
          };
          const { value, grads } = sg.variableGrads(loss);
          for (const [k, v] of [[w, grads[w.name]], [bias, grads[bias.name]]] as const) k.assign(sg.sub(k, sg.mul(v, sg.scalar(0.1))));
          return sg.keep(value);
        });
      let first = 0;
      let last = 0;
      for (let i = 0; i < 10; i++) {
        const l = step();
        const v = (await l.data())[0];
        if (i === 0) first = v;
        l.dispose();
      }
      const base = rt.memory();
      for (let i = 0; i < 100; i++) {
        const l = step();
        last = (await l.data())[0];
        l.dispose();
      }
      const after = rt.memory();
      expect(after.numBuffers).toBe(base.numBuffers);
      expect(after.numBuffersCreated).toBe(base.numBuffersCreated);
      expect(last).toBeLessThan(first);
      sg.dispose([x, t, w, bias]);
    });
  });

  test('dispatches over 65,535 workgroups fold into 2-D and stay correct', async () => {
    await withGpu(async (rt) => {
      const n = 65_536 * 64 + 37;
      const v = new Float32Array(n);
      for (let i = 0; i < n; i++) v[i] = i % 1000;
      const a = sg.tensor(v, [n]);
      const b = sg.add(a, sg.scalar(1));
      const out = await b.data();
      let bad = 0;
      for (let i = 0; i < n; i++) if (out[i] !== (i % 1000) + 1) bad++;
      expect(bad).toBe(0);
      expect(Math.ceil(n / 64)).toBeGreaterThan(rt.limits.maxComputeWorkgroupsPerDimension);
      sg.dispose([a, b]);
    });
  });

  test('long reductions (two passes) match float64 sums', async () => {
    await withGpu(async () => {
      const n = 3 * 50_001;
      const v = new Float32Array(n);
      for (let i = 0; i < n; i++) v[i] = Math.sin(i) + (i === 77_777 ? 5 : 0);
      const x = sg.tensor(v, [3, 50_001]);
      const total = sg.sum(x);
      const rows = sg.sum(x, 1);
      const mx = sg.max(x, 1);
      const am = sg.argMax(sg.reshape(x, [n]), 0);
      let ref = 0;
      const refRows = [0, 0, 0];
      const refMax = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < n; i++) {
        const r = Math.floor(i / 50_001);
        ref += v[i];
        refRows[r] += v[i];
        refMax[r] = Math.max(refMax[r], v[i]);
      }
      expect((await total.data())[0]).toBeCloseTo(ref, 2);
      const got = Array.from(await rows.data());
      for (let r = 0; r < 3; r++) expect(got[r]).toBeCloseTo(refRows[r], 2);
      expect(Array.from(await mx.data())).toEqual(refMax.map((m) => Math.fround(m)));
      expect((await am.data())[0]).toBe(77_777);
      sg.dispose([x, total, rows, mx, am]);
    });
  });

  test('column, middle-axis and split-axis reductions (one and two passes) match the CPU', async () => {
    // [N·H·W, C] → [C] (a conv bias gradient), a middle axis, a long row, and non-adjacent axes (the workgroup tree,
    // two passes): sum close to the CPU's, max/min (NaN and ±Inf included) and any/all exactly.
    // (a kept run of 8 or 4 elements: four columns per thread)
    const cases: [number[], number[]][] = [[[40, 26, 26, 3], [0, 1, 2]], [[30, 26, 26, 8], [0, 1, 2]], [[5, 3001, 7], [1]], [[3, 700, 4], [1]], [[2, 9000], [1]], [[64, 3, 200], [0, 2]], [[6, 10], [1]]];
    for (const [shape, axes] of cases) {
      const n = shape.reduce((p, q) => p * q, 1);
      const v = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + (i % 9973 === 5 ? 100 : 0));
      const special = Float32Array.from(v, (e, i) => (i % 7919 === 11 ? NaN : i % 5003 === 3 ? Infinity : i % 4001 === 2 ? -Infinity : e));
      const run = (b: string) =>
        onBackend(b, async () => {
          const x = sg.tensor(v, shape);
          const xs = sg.tensor(special, shape);
          const bools = sg.greater(x, sg.scalar(0.9));
          const ys = [sg.sum(x, axes), sg.max(xs, axes), sg.min(xs, axes), sg.any(bools, axes), sg.all(bools, axes), sg.sum(sg.cast(bools, 'int32'), axes)];
          const out = await Promise.all(ys.map(async (y) => Array.from(await y.data())));
          sg.dispose([x, xs, bools, ...ys]);
          return out;
        });
      const [cpu, gpu] = [await run('cpu'), await withGpu(() => run('webgpu'))];
      const what = `[${shape}] axes [${axes}]`;
      cpu[0].forEach((e, i) => expect(gpu[0][i], `sum ${what}`).toBeCloseTo(e, 2));
      for (let k = 1; k < cpu.length; k++) expect(gpu[k].map(String), `${['', 'max', 'min', 'any', 'all', 'sum int32'][k]} ${what}`).toEqual(cpu[k].map(String));
    }
  });

  test('a tensor over maxStorageBufferBindingSize gives a clear error', async () => {
    sg.registerBackend('webgpu-default-limits', () => createWebGpuBackend({ requiredLimits: 'default' }), -200);
    await onBackend('webgpu-default-limits', async () => {
      const rt = sg.ENGINE.backend as unknown as WebGpuBackend;
      expect(rt.limits.maxStorageBufferBindingSize).toBe(128 * 1024 * 1024);
      const a = sg.tensor([1, 2]);
      expect(() => sg.tile(a, [16 * 1024 * 1024 + 1])).toThrow(/webgpu: tile output of shape \[33554434\] needs 134217736 bytes, over the device's maxStorageBufferBindingSize \(134217728 bytes\)/);
      a.dispose();
      // At and just over the 128 MiB binding limit for an elementwise op, matMul and conv2d: at the
      // limit the result is right up to its last element (never zeros), one row over gives the clear
      // error and allocates nothing. (Just under is the common case every other test covers.)
      const LIMIT = 128 * 1024 * 1024;
      const corners = async (t: sg.Tensor): Promise<number[]> => {
        const ends = sg.tidy(() => {
          const flat = sg.reshape(t, [-1]);
          return sg.concat([sg.slice(flat, [0], [1]), sg.slice(flat, [flat.size - 1], [1])]);
        });
        const v = Array.from(await ends.data());
        sg.dispose([t, ends]);
        return v;
      };
      const cases: { name: string; make: (rows: number) => sg.Tensor; rowsAt: number; value: number }[] = [
        { name: 'add', make: (r) => sg.tidy(() => sg.add(sg.ones([r, 1]), sg.ones([1, 4096]))), rowsAt: 8192, value: 2 },
        { name: 'matMul', make: (r) => sg.tidy(() => sg.matMul(sg.ones([r, 1]), sg.fill([1, 4096], 3))), rowsAt: 8192, value: 3 },
        { name: 'conv2d', make: (r) => sg.tidy(() => sg.conv2d(sg.fill([1, r, 4096, 1], 2), sg.fill([1, 1, 1, 4], 0.5), 1, 'valid')), rowsAt: 2048, value: 1 },
      ];
      for (const c of cases) {
        const before = sg.memory().numTensors;
        const at = c.make(c.rowsAt);
        expect(at.size * 4, c.name).toBe(LIMIT);
        expect(await corners(at), `${c.name} at the limit`).toEqual([c.value, c.value]);
        expect(sg.memory().numTensors).toBe(before);
        expect(() => c.make(c.rowsAt + 1), c.name).toThrow(new RegExp(`webgpu: ${c.name} output of shape \\[[0-9,]+\\] needs [0-9]+ bytes, over the device's maxStorageBufferBindingSize \\(${LIMIT} bytes\\)`));
        expect(sg.memory().numTensors).toBe(before);
      }
    });
  });

  test('a lost device gives a clear error on next use', async () => {
    const rt = await createWebGpuBackend();
    rt.device.destroy();
    await rt.device.lost;
    expect(() => rt.write(new Float32Array([1]), 'float32')).toThrow(/webgpu: the GPU device was lost \(destroyed/);
  });

  test('GPU errors become JavaScript errors; debug mode names the op, shader and shapes', async () => {
    // The shader reads a 256-byte struct; binding a 16-byte buffer to it is a validation error
    // that WebGPU reports only when the commands are submitted, not where they are recorded.
    const probe: ShaderDef = {
      name: 'debug_probe',
      source: `struct Big { v: array<vec4<f32>, 16> }
struct Params { size: u32 }
@group(0) @binding(0) var<storage, read> x: Big;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
@compute @workgroup_size(1) fn main() { out[0] = x.v[params.size].x; }`,
    };
    // A shader outside the build-time table carries its layout (as kernel-lab variants do).
    Object.assign(probe, { layout: reflectShader(probe) });
    for (const debug of [true, false]) {
      const rt = await createWebGpuBackend({ debug });
      const x = { dataId: rt.write(new Float32Array([1, 2, 3, 4]), 'float32'), shape: [4], dtype: 'float32' as const };
      const [out] = rt.launch({ shader: probe, inputs: [x], outputs: [{ shape: [1], dtype: 'float32' }], params: { size: 0 }, workgroups: [1] });
      const want = debug ? /webgpu: launch \(shader 'debug_probe', \[4\]\) failed \(validation error\): / : /webgpu: GPU error \(GPUValidationError\): /;
      await expect(rt.read(out)).rejects.toThrow(want);
      rt.dispose();
    }
  });

  test('sg.enableDebugMode() switches the webgpu backend into debug mode and back', async () => {
    await withGpu(async (rt) => {
      sg.enableDebugMode();
      try {
        expect(rt.debug).toBe(true);
        const y = sg.tidy(() => sg.add(sg.tensor([1, 2, 3]), 1));
        expect(Array.from(await y.data())).toEqual([2, 3, 4]);
        y.dispose();
      } finally {
        sg.enableDebugMode(false);
      }
      expect(rt.debug).toBe(false);
    });
  });

  test('a shader that fails to compile names the shader', async () => {
    await withGpu(async (rt) => {
      const bad: ShaderDef = {
        name: 'broken_test',
        source: '@group(0) @binding(0) var<storage, read_write> out: array<f32>;\n@compute @workgroup_size(1) fn main() { out[0] = undefined_fn(); }',
        layout: { name: 'broken_test', bindings: [{ binding: 0, name: 'out', kind: 'storage' }], numInputs: 0, numOutputs: 1 },
      };
      await expect(rt.compile(bad)).rejects.toThrow(/shader 'broken_test' failed to compile/);
    });
  });
});
