/** `sg.debug`: the CPU-twin check, the memory ledger and leak check, and step traces. */
export { checkKernels } from './check_kernels.js';
export type { CheckOptions, CheckReport, KernelCheck } from './check_kernels.js';
export { DEFAULT_TWIN_TOL, compareOutputs, ulpDistance } from './compare.js';
export type { Comparison, TwinTolerance } from './compare.js';
export { disableLedger, enableLedger, leakCheck, ledger, ledgerEnabled } from './ledger.js';
export type { Ledger, LedgerEntry, LeakReport } from './ledger.js';
export { traceStep } from './trace.js';
export type { StepTrace, TracedKernel, TracedLaunch, TracedWasmCall, TracedWasmRun } from './trace.js';
export { flopsOf } from './flops.js';
export type { TimingSource } from './timing.js';
