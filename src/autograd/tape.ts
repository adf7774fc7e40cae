/**
 * Reverse-mode autodiff on a tape. While a gradient function runs `f`, the
 * engine reports each op to the recorder, which appends it to every open
 * tape (so nested gradients see the inner backward pass). `backprop` walks
 * the tape backwards, applying one rule per op, and frees intermediates as
 * soon as no remaining rule needs them.
 */
import type { OpName } from '../kernels/op_names.js';
import { isMultiOutput } from '../kernels/op_names.js';
import type { OpRecorder, Tensor } from '../tensor/index.js';
import { ENGINE, add, clone, fill } from '../tensor/index.js';
import { gradRules } from './grads/index.js';
import type { GradContext, MultiGradRule, SingleGradRule } from './rule.js';

/** One recorded op. */
export interface TapeNode {
  readonly op: OpName;
  readonly inputs: readonly Tensor[];
  readonly attrs: object;
  /** One tensor per output (one for most ops). */
  readonly outputs: readonly Tensor[];
}

/** The ops recorded while one gradient function ran. */
export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Every tensor the nodes reference; `tidy` leaves these alive while the tape is open. */
  readonly tensors = new Set<Tensor>();
}

class Recorder implements OpRecorder {
  readonly tapes: Tape[] = [];
  paused = 0;

  get active(): boolean {
    return this.tapes.length > 0 && this.paused === 0;
  }

  record(op: OpName, inputs: readonly Tensor[], attrs: object, outputs: readonly Tensor[]): void {
    const node = { op, inputs, attrs, outputs };
    for (const t of this.tapes) {
      t.nodes.push(node);
      for (const x of inputs) t.tensors.add(x);
      for (const y of outputs) t.tensors.add(y);
    }
  }

  holds(t: Tensor): boolean {
    for (const tape of this.tapes) if (tape.tensors.has(t)) return true;
    return false;
  }
}

let recorder: Recorder | null = null;

/** The recorder, installed on the engine on first use (never at import time). */
export function getRecorder(): Recorder {
  if (!recorder) {
    recorder = new Recorder();
    ENGINE.setRecorder(recorder);
  }
  return recorder;
}

/** Runs `fn` without recording gradients. */
export function noGrad<T>(fn: () => T): T {
  const r = getRecorder();
  r.paused++;
  try {
    return fn();
  } finally {
    r.paused--;
  }
}

/**
 * Gradients of `y` with respect to `xs` from `tape`, seeded with `dy`.
 * Entries of the result are null for xs the tape never used.
 * When `free`, intermediates of the tape are disposed as soon as no
 * remaining rule needs them (an enclosing tape turns this off: it needs them).
 */
export function backprop(tape: Tape, xs: readonly Tensor[], y: Tensor, dy: Tensor, free: boolean): (Tensor | null)[] {
  // Forward: which tensors depend on some x.
  const fromX = new Set<number>(xs.map((x) => x.id));
  const used = new Set<number>();
  const marked: TapeNode[] = [];
  for (const n of tape.nodes) {
    let hit = false;
    for (const t of n.inputs) {
      if (fromX.has(t.id)) {
        hit = true;
        used.add(t.id);
      }
    }
    if (hit) {
      for (const o of n.outputs) fromX.add(o.id);
      marked.push(n);
    }
  }
  // Backward: keep the nodes on a path to y.
  const toY = new Set<number>([y.id]);
  const path: TapeNode[] = [];
  for (let i = marked.length - 1; i >= 0; i--) {
    const n = marked[i];
    if (!n.outputs.some((o) => toY.has(o.id))) continue;
    path.push(n);
    for (const t of n.inputs) toY.add(t.id);
  }
  // How many remaining path nodes still reference each intermediate.
  const uses = new Map<number, number>();
  const outputs = new Set<number>();
  for (const n of path) {
    for (const o of n.outputs) outputs.add(o.id);
    for (const t of [...n.inputs, ...n.outputs]) uses.set(t.id, (uses.get(t.id) ?? 0) + 1);
  }
  const release = (t: Tensor): void => {
    const u = (uses.get(t.id) ?? 0) - 1;
    uses.set(t.id, u);
    if (free && u <= 0 && outputs.has(t.id) && t !== y && !t.kept) t.dispose();
  };

  const grads = new Map<number, Tensor>([[y.id, dy]]);
  for (const n of path) {
    // One upstream gradient per output; null where nothing downstream used that output.
    const gs = n.outputs.map((o) => grads.get(o.id) ?? null);
    for (const o of n.outputs) grads.delete(o.id);
    const rule = gradRules[n.op];
    if (gs.some((g) => g) && rule !== 'nondiff') {
      // Kernels the rule runs belong to this forward op (sg.debug.traceStep reports it).
      const outer = ENGINE.gradientOf;
      ENGINE.gradientOf = { op: n.op, outputId: n.outputs[0].id };
      let ins: readonly (Tensor | null)[];
      try {
        const needs = n.inputs.map((t) => fromX.has(t.id) && t.dtype === 'float32');
        const ctx = { inputs: n.inputs, output: n.outputs[0], outputs: n.outputs, attrs: n.attrs, needs } as GradContext<OpName>;
        ins = isMultiOutput(n.op) ? (rule as MultiGradRule<OpName>)(gs, ctx) : (rule as SingleGradRule<OpName>)(gs[0]!, ctx);
      } finally {
        ENGINE.gradientOf = outer;
      }
      const seen = new Set<Tensor>();
      n.inputs.forEach((t, i) => {
        let gi = ins[i];
        if (!gi) return;
        // A rule may pass an upstream gradient through or return one tensor for two inputs: give each its own handle.
        if (gs.includes(gi) || seen.has(gi)) gi = clone(gi);
        seen.add(gi);
        if (!fromX.has(t.id) || t.dtype !== 'float32') {
          if (free) gi.dispose();
          return;
        }
        if (gi.shape.length !== t.shape.length || gi.shape.some((d, j) => d !== t.shape[j])) {
          throw new Error(`gradient of ${n.op} for input ${i} has shape [${gi.shape}] but the input is [${t.shape}]`);
        }
        const prev = grads.get(t.id);
        if (!prev) grads.set(t.id, gi);
        else {
          grads.set(t.id, add(prev, gi));
          if (free) {
            prev.dispose();
            gi.dispose();
          }
        }
      });
    }
    if (free) for (const g of gs) if (g && g !== dy) g.dispose();
    for (const t of n.inputs) release(t);
    for (const o of n.outputs) release(o);
  }
  return xs.map((x) => grads.get(x.id) ?? (used.has(x.id) ? fill(x.shape, 0, x.dtype) : null));
}
