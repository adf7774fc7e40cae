/**
 * A small seedable generator (mulberry32 for uniforms, Box–Muller for
 * normals), so `randomNormal(..., seed)` and initializers are reproducible.
 */
export class Rng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = 0;
    this.reseed(seed);
  }

  /** Restarts the sequence from `seed`. */
  reseed(seed: number): void {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    this.spare = null;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** The generator used when no seed is given (reseeded by `setSeed`). */
export const globalRng = new Rng(Math.floor(Math.random() * 2 ** 32));

/**
 * Seeds every random draw that is not given its own seed, as Keras's
 * `keras.utils.set_random_seed`: weight initializers, dropout masks, `fit`'s
 * shuffles, `trainTestSplit` and the tuner all take their seeds from this
 * generator, so a script gives the same numbers run after run on a backend.
 * @example sg.setSeed(42);
 */
export function setSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`setSeed: seed must be a finite number, got ${String(seed)}`);
  globalRng.reseed(seed);
}

/** A fresh 32-bit seed drawn from the global generator (what unseeded helpers use; follows `setSeed`). */
export function nextSeed(): number {
  return Math.floor(globalRng.next() * 2 ** 32);
}

/** A generator for `seed`, or the global one. */
export function rngFor(seed?: number): Rng {
  return seed === undefined ? globalRng : new Rng(seed);
}
