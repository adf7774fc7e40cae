/** The part of benchmark.js's API the bench uses (the package ships no types). */
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
  }
  export default Benchmark;
}
