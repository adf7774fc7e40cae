/** The part of benchmark.js's API the bench uses (the package ships no types). */
declare module 'lodash' {
  const lodash: unknown;
  export default lodash;
}

declare module 'benchmark' {
  interface Stats {
    mean: number;
    rme: number;
  }
  interface Options {
    defer?: boolean;
    minSamples?: number;
    maxTime?: number;
    initCount?: number;
    fn: (deferred: { resolve(): void }) => void;
    onComplete?: () => void;
    onError?: (e: unknown) => void;
  }
  class Benchmark {
    constructor(options: Options);
    stats: Stats;
    run(options?: { async?: boolean }): void;
    abort(): void;
    /** A Benchmark constructor bound to the given lodash (and platform). */
    static runInContext(context: { _: unknown; platform?: unknown }): typeof Benchmark;
  }
  export default Benchmark;
}
