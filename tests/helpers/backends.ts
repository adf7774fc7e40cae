/**
 * Backends the parameterised suites run on. `cpu` always; `cpu64` is the
 * float64 CPU backend used for finite-difference gradient checks; GPU
 * backends join here when they are available.
 */
import * as sg from '../../src/index.js';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';

let registered = false;

/** Registers the test-only float64 CPU backend. */
export function registerTestBackends(): void {
  if (registered) return;
  registered = true;
  sg.registerBackend('cpu64', () => new CpuBackend({ float64: true }), -100);
}

/** Runs fn with `name` as the current backend, restoring the previous one. */
export async function onBackend<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  registerTestBackends();
  const prev = sg.getBackend();
  await sg.setBackend(name);
  try {
    return await fn();
  } finally {
    await sg.setBackend(prev);
  }
}

/** Backends whose results are compared with the reference: cpu, plus GPU ones when present. */
export function forwardBackends(): string[] {
  return ['cpu', ...((globalThis as { __SG_EXTRA_BACKENDS__?: string[] }).__SG_EXTRA_BACKENDS__ ?? [])];
}
