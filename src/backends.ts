/** Choosing and describing backends. */
import { ENGINE } from './tensor/index.js';

/**
 * Picks the best available backend and returns its name: a hardware WebGPU
 * adapter when one is registered and works, else the CPU.
 */
export async function ready(): Promise<string> {
  for (const name of ENGINE.registeredBackends()) {
    if (name === 'cpu64') continue;
    try {
      await ENGINE.setBackend(name);
      return name;
    } catch {
      // Try the next one.
    }
  }
  await ENGINE.setBackend('cpu');
  return 'cpu';
}

/** A description of the current backend. */
export function backendInfo(): Record<string, unknown> {
  const b = ENGINE.backend;
  const info = (b as unknown as { info?: () => Record<string, unknown> }).info;
  return info ? info.call(b) : { name: b.name, float64: b.float64 };
}
