/**
 * sg.debug and the kernel lab in Node: the CPU-twin check (cpu vs cpu64; webgpu
 * vs cpu where the `webgpu` package finds an adapter), the memory ledger and
 * leak check, step traces, and sg.kernels.tune with a correct variant, a swept
 * one, a wrong one and one with mismatched bindings.
 */
import { afterEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { timeRuns } from '../../src/debug/timing.js';
import { wasmModuleBytes } from '../../src/kernels/wasm/backend.js';
import { JS_FALLBACK } from '../../src/kernels/wasm/fallbacks.js';
import { onBackend } from '../helpers/backends.js';

const hasGpu = Boolean((globalThis as { __SG_WEBGPU__?: boolean }).__SG_WEBGPU__);

/** A dense + conv training step by hand: forward, gradients, SGD update. */
function makeStep(seed = 1) {
  const w = sg.variable(sg.randomNormal([3, 3, 1, 4], 0, 0.5, 'float32', seed));
  const v = sg.variable(sg.randomNormal([4 * 4 * 4, 3], 0, 0.2, 'float32', seed + 1));
  const x = sg.randomUniform([2, 6, 6, 1], -1, 1, 'float32', seed + 2);
  const y = sg.randomUniform([2, 3], 0, 1, 'float32', seed + 3);
  const step = (mark: (p: string) => void = () => {}) =>
    sg.tidy(() => {
      mark('forward');
      const { value, grads } = sg.variableGrads(() => {
        const h = sg.relu(sg.conv2d(x, w, 1, 'valid'));
        const out = sg.matMul(sg.reshape(h, [2, 64]), v);
        const l = sg.mean(sg.square(sg.sub(out, y)));
        mark('backward');
        return l;
      }, [w, v]);
      mark('update');
      w.assign(w.sub(grads[w.name].mul(0.1)));
      v.assign(v.sub(grads[v.name].mul(0.1)));
      return value;
    });
  return { step, dispose: () => sg.dispose([w, v, x, y]) };
}

afterEach(() => sg.debug.disableLedger());

describe('compare', () => {
  test('ulpDistance counts float32 steps, from the bit patterns', () => {
    const bits = new Int32Array(1);
    const f = new Float32Array(bits.buffer);
    f[0] = 1.5;
    bits[0] += 3;
    expect(sg.debug.ulpDistance(1.5, f[0])).toBe(3);
    expect(sg.debug.ulpDistance(-0, 0)).toBe(0);
    f[0] = -(2 ** -149);
    expect(sg.debug.ulpDistance(f[0], 2 ** -149)).toBe(2);
    expect(sg.debug.ulpDistance(NaN, 1)).toBe(Infinity);
  });

  test('compareOutputs scales atol by the output magnitude and matches NaN only with NaN', () => {
    const tol = { rtol: 0, atol: 1e-3 };
    expect(sg.debug.compareOutputs([100, 0.05], [100, 0], false, tol).ok).toBe(true); // 0.05 <= 1e-3·100
    expect(sg.debug.compareOutputs([1, 0.05], [1, 0], false, tol).ok).toBe(false);
    expect(sg.debug.compareOutputs([NaN], [NaN], false, tol).ok).toBe(true);
    expect(sg.debug.compareOutputs([NaN], [1], false, tol).numBad).toBe(1);
    expect(sg.debug.compareOutputs([2], [3], true, tol).ok).toBe(false);
    // ULPs are counted only where the reference is not tiny: 1e-9 vs 0 is within atol and 0 ULP here.
    expect(sg.debug.compareOutputs([1e-9, 1], [0, 1], false, tol).maxUlp).toBe(0);
    expect(sg.debug.compareOutputs([1e-9, 1.0000001], [0, 1], false, tol).maxUlp).toBe(1);
  });
});

describe('checkKernels on cpu (twin: cpu64)', () => {
  test('a dense + conv step: every kernel within tolerance, one entry per kernel run', async () => {
    await onBackend('cpu', async () => {
      const s = makeStep();
      const prof = await sg.profile(() => s.step().dispose());
      const r = await sg.debug.checkKernels(() => s.step().dispose());
      s.dispose();
      expect(r.twin).toBe('cpu64');
      expect(r.ok, JSON.stringify(r.flagged.slice(0, 3))).toBe(true);
      expect(r.kernels.length).toBe(prof.kernels.reduce((n, k) => n + k.calls, 0));
      const ops = new Set(r.kernels.map((k) => k.op));
      for (const op of ['conv2d', 'conv2dBackpropFilter', 'matMul']) expect(ops).toContain(op);
      // float32 vs float64 kernels differ in the last bits somewhere.
      expect(Math.max(...r.kernels.map((k) => k.maxUlp))).toBeGreaterThan(0);
    });
  });

  test('flags kernels over a tolerance, releases what it held, and leaves memory as it was', async () => {
    await onBackend('cpu', async () => {
      const x = sg.randomUniform([64], -5, 5, 'float32', 3);
      const before = sg.memory();
      const r = await sg.debug.checkKernels(() => sg.tidy(() => sg.exp(x).sum()).dispose(), { tol: { rtol: 0, atol: 0 } });
      expect(sg.memory()).toEqual(before);
      expect(r.flagged.map((k) => k.op)).toContain('exp');
      expect(r.ok).toBe(false);
      x.dispose();
    });
  });

  test('rejects a negative tolerance before running fn', async () => {
    let ran = false;
    await expect(sg.debug.checkKernels(() => (ran = true), { tol: { rtol: -1 } })).rejects.toThrow(/checkKernels: tol/);
    expect(ran).toBe(false);
  });
});

describe('memory ledger', () => {
  test('lists live tensors with op, shape, bytes and backend; forgets disposed ones', async () => {
    await onBackend('cpu', () => {
      sg.debug.enableLedger();
      const a = sg.tensor([[1, 2], [3, 4]]);
      const b = sg.matMul(a, a);
      const v = sg.variable(b, true, 'ledger_v');
      const r = sg.reshape(b, [4]);
      const l = sg.debug.ledger();
      const byId = new Map(l.tensors.map((e) => [e.id, e]));
      expect(byId.get(a.id)).toMatchObject({ op: 'tensor', shape: [2, 2], bytes: 16, backend: 'cpu', dtype: 'float32' });
      expect(byId.get(b.id)).toMatchObject({ op: 'matMul', bytes: 16 });
      expect(byId.get(v.id)).toMatchObject({ op: 'variable', variable: 'ledger_v', sharesData: true });
      expect(byId.get(r.id)).toMatchObject({ op: 'reshape', sharesData: true });
      expect(l.numBytes).toBe(32);
      expect(l.untracked).toBe(sg.memory().numTensors - 4);
      sg.dispose([a, b, v, r]);
      expect(sg.debug.ledger().tensors).toEqual([]);
    });
  });

  test('leakCheck names the leaked tensors by op with a stack, and passes a clean function', async () => {
    await onBackend('cpu', async () => {
      const x = sg.tensor([1, 2, 3]);
      let kept: sg.Tensor | null = null;
      const bad = await sg.debug.leakCheck(() => {
        kept = sg.exp(x);
        return sg.tidy(() => sg.square(x).sum());
      });
      expect(bad.ok).toBe(false);
      expect(bad.leaked.map((e) => e.op)).toEqual(['exp']);
      expect(bad.byOp).toEqual([{ op: 'exp', count: 1, bytes: 12 }]);
      expect(bad.leaked[0].stack?.join('\n')).toMatch(/debug\.test\.ts/);
      const good = await sg.debug.leakCheck(() => sg.tidy(() => sg.square(x).sum()));
      expect(good).toEqual({ leaked: [], byOp: [], ok: true });
      expect(sg.debug.ledgerEnabled()).toBe(false);
      sg.dispose([x, kept!]);
    });
  });
});

describe('traceStep', () => {
  test('lists the kernels of a step by phase, with FLOPs and times (cpu)', async () => {
    await onBackend('cpu', async () => {
      const s = makeStep();
      const t = await sg.debug.traceStep((mark) => s.step(mark).dispose(), { time: true, reps: 1 });
      s.dispose();
      const phases = new Set(t.kernels.map((k) => k.phase));
      expect([...phases]).toEqual(['forward', 'backward', 'update']);
      const conv = t.kernels.find((k) => k.op === 'conv2d')!;
      expect(conv.phase).toBe('forward');
      expect(conv.flops).toBe(2 * 2 * 4 * 4 * 4 * 3 * 3 * 1);
      expect(t.kernels.find((k) => k.op === 'conv2dBackpropFilter')?.phase).toBe('backward');
      expect(t.kernels.every((k) => k.ms !== null && k.ms >= 0 && k.launches.length === 0 && k.timing === 'cpu')).toBe(true);
      expect(t.timing).toBe('cpu');
      // Graph links: the forward matMul reads relu's output through the reshape view.
      const relu = t.kernels.find((k) => k.op === 'relu' && k.phase === 'forward')!;
      const mm = t.kernels.find((k) => k.op === 'matMul' && k.phase === 'forward')!;
      expect(mm.from).toEqual([relu.index]);
      expect(relu.from).toEqual([conv.index]);
      expect(conv.from).toEqual([]); // x and the filter were made outside the step
      expect(t.kernels.every((k) => k.from.every((i) => i < k.index))).toBe(true);
      // Gradient attribution: backward kernels name the forward op whose rule ran them.
      const dW = t.kernels.find((k) => k.op === 'conv2dBackpropFilter')!;
      expect(dW.gradientOf).toEqual({ op: 'conv2d', forward: conv.index });
      expect(conv.gradientOf).toBeNull();
      expect(t.kernels.filter((k) => k.phase === 'forward' || k.phase === 'update').every((k) => k.gradientOf === null)).toBe(true);
      const reluGrad = t.kernels.filter((k) => k.gradientOf?.forward === relu.index);
      expect(reluGrad.length).toBeGreaterThan(0);
      expect(reluGrad.every((k) => k.phase === 'backward' && k.gradientOf!.op === 'relu')).toBe(true);
    });
  });
});

describe.skipIf(!hasGpu)('on webgpu (SwiftShader in Node)', () => {
  test('checkKernels: a dense + conv step agrees with the CPU twin', async () => {
    await onBackend('webgpu', async () => {
      const s = makeStep();
      const r = await sg.debug.checkKernels(() => s.step().dispose());
      s.dispose();
      expect(r.twin).toBe('cpu');
      expect(r.backend).toBe('webgpu');
      expect(r.ok, JSON.stringify(r.flagged.slice(0, 3))).toBe(true);
      expect(r.kernels.map((k) => k.op)).toEqual(expect.arrayContaining(['conv2d', 'conv2dBackpropFilter', 'matMul']));
    });
  });

  test('traceStep records the WGSL shaders each kernel dispatched', async () => {
    await onBackend('webgpu', async () => {
      const s = makeStep();
      const t = await sg.debug.traceStep((mark) => s.step(mark).dispose(), { time: true, reps: 1 });
      s.dispose();
      // Dawn's SwiftShader adapter offers timestamp queries: kernels are timed on the GPU's clock.
      const features = sg.backendInfo().features as string[];
      expect(t.timing).toBe(features.includes('timestamp-query') ? 'gpu-timestamps' : 'wall-clock-awaited');
      for (const k of t.kernels) {
        // Kernels under the timer's resolution fall back to wall-clock, each saying so.
        expect(features.includes('timestamp-query') ? ['gpu-timestamps', 'wall-clock-awaited'] : ['wall-clock-awaited']).toContain(k.timing);
        expect(k.launches.length, k.op).toBeGreaterThan(0);
        const names = sg.kernels.bindings(k.op).map((b) => b.shader);
        for (const l of k.launches) expect(names, k.op).toContain(l.shader);
        expect(k.ms).toBeGreaterThan(0);
      }
    });
  });

  test('timeRuns: GPU timestamps agree with awaited wall-clock on a kernel well over the timer resolution', async () => {
    await onBackend('webgpu', async () => {
      const b = sg.ENGINE.backend;
      if (!(sg.backendInfo().features as string[]).includes('timestamp-query')) return;
      const a = sg.randomUniform([192, 192], -1, 1, 'float32', 1);
      const run = () => b.run('matMul', [a, a], { transposeA: false, transposeB: false }, [{ shape: [192, 192], dtype: 'float32' }]);
      const gpu = await timeRuns(b, run, 3);
      // The same backend seen without the feature: the fallback path.
      const g = b as unknown as { device: GPUDevice; flush(): void };
      const plain = { name: b.name, release: b.release.bind(b), flush: g.flush.bind(b), device: { queue: g.device.queue, features: new Set<string>() } };
      const wall = await timeRuns(plain as unknown as typeof b, run, 3);
      a.dispose();
      expect(gpu.timing).toBe('gpu-timestamps');
      expect(wall.timing).toBe('wall-clock-awaited');
      // Timestamps see only the passes, so they are below the wall time, and not by orders of magnitude.
      expect(gpu.ms).toBeGreaterThan(wall.ms / 20);
      expect(gpu.ms).toBeLessThan(wall.ms * 3);
    });
  });

  const vec4 = () => sg.kernels.shaders('matMul').find((s) => s.name === 'mat_mul_vec4_f32')!.source;
  const shapes = [[64, 32], [32, 48]];

  test('tune: the built-in source passes, a WG_X sweep passes, the result is JSON', async () => {
    await onBackend('webgpu', async () => {
      const before = sg.memory().numBytes;
      const r = await sg.kernels.tune({ op: 'matMul', source: vec4(), shapes, sweep: { WG_X: [4, 16] }, reps: 2 });
      expect(sg.memory().numBytes).toBe(before);
      expect(r.bindings.ok).toBe(true);
      expect(r.replaced).toEqual(['mat_mul_vec4_f32']);
      expect(r.builtin.ok).toBe(true);
      expect(r.trials.map((t) => [t.overrides.WG_X, t.ok, t.error])).toEqual([[4, true, undefined], [16, true, undefined]]);
      expect(r.best).not.toBeNull();
      expect(r.flops).toBe(2 * 64 * 48 * 32);
      expect(['gpu-timestamps', 'wall-clock-awaited']).toContain(r.timing);
      expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    });
  });

  test('tune: a variant of another shader replaces the one the op runs at these shapes, with a note', async () => {
    await onBackend('webgpu', async () => {
      const tiled = sg.kernels.shaders('matMul').find((s) => s.name === 'mat_mul_f32')!.source;
      const r = await sg.kernels.tune({ op: 'matMul', source: tiled, shader: 'mat_mul_f32', shapes, reps: 1 });
      expect(r.replaced).toEqual(['mat_mul_vec4_f32']); // SwiftShader: matMul picks the vec4 shader for aligned shapes
      expect(r.note).toMatch(/runs 'mat_mul_vec4_f32', not 'mat_mul_f32'/);
      expect(r.trials[0].ok, r.trials[0].error).toBe(true);
      await expect(sg.kernels.tune({ op: 'matMul', source: tiled, shapes: [[2, 'x' as unknown as number]] })).rejects.toThrow(/tune: shapes must be/);
    });
  });

  test('tune: conv2d with its attrs; the shader it launched, as a variant, passes the twin check', async () => {
    await onBackend('webgpu', async () => {
      const attrs = { strides: [1, 1], pad: 'same', dilations: [1, 1] };
      const shapesC = [[2, 9, 9, 8], [3, 3, 8, 8]];
      const all = sg.kernels.shaders('conv2d');
      const probe = await sg.kernels.tune({ op: 'conv2d', source: all[0].source, shader: all[0].name, shapes: shapesC, attrs, reps: 1 });
      expect(probe.builtin.ok).toBe(true);
      expect(probe.outputShape).toEqual([2, 9, 9, 8]);
      const ran = probe.replaced[0];
      const r = await sg.kernels.tune({ op: 'conv2d', source: all.find((x) => x.name === ran)!.source, shader: ran, shapes: shapesC, attrs, reps: 1 });
      expect(r.note).toBeUndefined();
      expect(r.trials[0].ok, r.trials[0].error).toBe(true);
      expect(r.flops).toBe(2 * 2 * 9 * 9 * 8 * 3 * 3 * 8);
    });
  });

  test('tune: a wrong variant is caught by the twin check; mismatched bindings and compile errors are reported', async () => {
    await onBackend('webgpu', async () => {
      const wrong = vec4().replace('acc3 += ab[3].x * bb[0] + ab[3].y * bb[1] + ab[3].z * bb[2] + ab[3].w * bb[3];', 'acc3 += ab[3].x * bb[0] + ab[3].y * bb[1] + ab[3].z * bb[2];');
      expect(wrong).not.toBe(vec4());
      const r = await sg.kernels.tune({ op: 'matMul', source: wrong, shapes, reps: 1 });
      expect(r.trials).toHaveLength(1);
      expect(r.trials[0].ok).toBe(false);
      expect(r.trials[0].maxAbsError).toBeGreaterThan(1e-2);
      expect(r.best).toBeNull();
      const renamed = vec4().replace('var<storage, read_write> out:', 'var<storage, read_write> result:');
      const b = sg.kernels.checkBindings('matMul', renamed, 'mat_mul_vec4_f32');
      expect(b.ok).toBe(false);
      expect(b.problems.join('\n')).toMatch(/@binding\(2\) is named 'result'/);
      const broken = vec4().replace('let n4 = d.n / 4u;', 'let n4 = d.n / 4u + undefined_thing;');
      const c = await sg.kernels.tune({ op: 'matMul', source: broken, shapes, reps: 1 });
      expect(c.trials[0].ok).toBe(false);
      expect(c.trials[0].error).toMatch(/compile|undefined_thing|unresolved/);
    });
  });
});

test('tune needs webgpu and says so; checkBindings works on any backend', async () => {
  await onBackend('cpu', async () => {
    const src = sg.kernels.shaders('matMul')[0].source;
    await expect(sg.kernels.tune({ op: 'matMul', source: src, shapes: [[4, 4], [4, 4]] })).rejects.toThrow(/tune: needs the webgpu backend/);
    expect(sg.kernels.checkBindings('matMul', src).ok).toBe(true);
    expect(sg.kernels.checkBindings('matMul', 'fn main() {').problems.length).toBeGreaterThan(0);
  });
});

describe('traceStep on wasm', () => {
  /** The backend's run recorder (set only while a trace runs). */
  const recorder = () => (sg.ENGINE.backend as unknown as { recorder: unknown }).recorder;

  test('lists the emitted wasm functions each kernel called, GEMM threads, and JS fallbacks with their reason; nothing recorded outside a trace', async () => {
    await onBackend('wasm', async () => {
      expect(await sg.setThreads(2)).toBe(2);
      // Every name recorded is an export of the emitted modules.
      const exported = new Set(Object.values(wasmModuleBytes()).flatMap((b) => WebAssembly.Module.exports(new WebAssembly.Module(b)).map((e) => e.name)));
      const s = makeStep();
      const big = sg.randomUniform([256, 256], -1, 1, 'float32', 7);
      const xi = sg.tensor(new Int32Array([1, 2, 3]), [3], 'int32');
      expect(recorder()).toBeNull();
      const t = await sg.debug.traceStep((mark) => {
        s.step(mark).dispose();
        mark('extra');
        sg.tidy(() => {
          sg.matMul(big, big);
          sg.sin(sg.slice(big, [0, 0], [2, 2]));
          sg.add(xi, xi);
        });
      });
      expect(recorder()).toBeNull();
      expect(t.backend).toBe('wasm');
      for (const k of t.kernels) {
        expect(k.launches, k.op).toEqual([]);
        expect(k.wasm, k.op).not.toBeNull();
        for (const c of k.wasm!.calls) expect(exported, `${k.op}: ${c.wasmFunction}`).toContain(c.wasmFunction);
        if (k.op in JS_FALLBACK) expect(k.wasm, k.op).toEqual({ calls: [], js: { reason: JS_FALLBACK[k.op as keyof typeof JS_FALLBACK], listed: true } });
        else if (k.op !== 'add' || k.dtype !== 'int32') expect(k.wasm!.js, k.op).toBeNull();
      }
      const ops = (p: string, op: string) => t.kernels.filter((k) => k.phase === p && k.op === op);
      // matMul forward and its gradients call the emitted GEMM; conv2d unfolds patches with im2col.
      expect(ops('backward', 'matMul').length).toBeGreaterThan(0);
      for (const k of [...ops('forward', 'matMul'), ...ops('backward', 'matMul')]) expect(k.wasm!.calls.map((c) => c.wasmFunction), k.phase).toContain('gemm');
      expect(ops('forward', 'conv2d')[0].wasm!.calls.map((c) => c.wasmFunction).sort()).toEqual(['gemm', 'im2col']);
      // A 256³ product is over the parallel threshold: split over the 2 threads; the small ones run on one.
      expect(ops('extra', 'matMul')[0].wasm!.calls).toEqual([{ wasmFunction: 'gemm', threads: 2 }]);
      expect(ops('forward', 'matMul')[0].wasm!.calls).toEqual([{ wasmFunction: 'gemm', threads: 1 }]);
      expect(ops('extra', 'slice')[0].wasm).toEqual({ calls: [], js: { reason: JS_FALLBACK.slice, listed: true } });
      expect(ops('extra', 'sin')[0].wasm!.js).toEqual({ reason: JS_FALLBACK.sin, listed: true });
      // int32 add has a wasm kernel, which hands int32 data back to the JavaScript one.
      expect(ops('extra', 'add')[0].wasm).toEqual({ calls: [], js: { reason: 'the wasm kernel hands this case to the JavaScript kernel', listed: false } });
      // The hook is cleared also when the step throws.
      await expect(sg.debug.traceStep(() => {
        sg.tidy(() => sg.matMul(big, big));
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect(recorder()).toBeNull();
      sg.dispose([big, xi]);
      s.dispose();
    });
  });

  test('kernels on other backends carry no wasm record', async () => {
    await onBackend('cpu', async () => {
      const s = makeStep();
      const t = await sg.debug.traceStep((mark) => s.step(mark).dispose());
      s.dispose();
      expect(t.kernels.length).toBeGreaterThan(0);
      expect(t.kernels.every((k) => k.wasm === null)).toBe(true);
    });
  });
});
