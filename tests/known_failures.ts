/**
 * Known failures per backend, each with its reason. `checkOp` skips the
 * listed (backend, op, case) comparisons; everything else must pass.
 * `op` is the checkOp title; `test` a case label, or '*' for every case.
 */
export interface KnownFailure {
  backend: string;
  op: string;
  test: string;
  reason: string;
}

const FINITE_MATH =
  'WGSL lets implementations assume floats are finite (WGSL spec §15.7 "Floating Point Evaluation"); SwiftShader folds NaN/±Inf inputs, so NaN/Inf propagation is not guaranteed on WebGPU';

export const knownFailures: readonly KnownFailure[] = [
  ...[
    'max special values',
    'max special values, all axes',
    'min special values',
    'min special values, all axes',
    'argMax special values',
    'argMin special values',
    'softmax non-finite rows',
    'logSoftmax non-finite rows',
    'logSumExp non-finite rows',
    'logSumExp special values',
    'logSumExp special values, all axes',
  ].map((op) => ({ backend: 'webgpu', op, test: '*', reason: FINITE_MATH })),
  ...['exp', 'expm1', 'log', 'log1p', 'sin', 'cos', 'sigmoid', 'tanh', 'softplus', 'elu', 'selu', 'step', 'maximum', 'minimum', 'pow'].map((op) => ({
    backend: 'webgpu',
    op: `${op} special values`,
    test: '*',
    reason: FINITE_MATH,
  })),
];

/**
 * Ops whose WebGPU kernels are not written yet, per backend, with the reason.
 * A comparison that throws `webgpu: no kernel for '<op>' yet` for one of these
 * is skipped; once the kernel exists the comparison runs and must pass.
 * Empty: matMul, conv2d(+backprops) and max/avgPool(+grads) landed in
 * src/kernels/webgpu/{mat_mul,conv_pool}.ts and pass the page suite.
 */
export const pendingKernels: Readonly<Record<string, Record<string, string>>> = {
  webgpu: {},
};

/** The reason an error from `backend` is an expected missing kernel, or null. */
export function pendingKernel(backend: string, error: unknown): string | null {
  const m = /no kernel for '(\w+)' yet/.exec(String((error as Error)?.message ?? error));
  return m ? (pendingKernels[backend]?.[m[1]] ?? null) : null;
}

/** The reason `backend` is known to fail `op`/`test`, or null. */
export function knownFailure(backend: string, op: string, test: string): string | null {
  const k = knownFailures.find((f) => f.backend === backend && f.op === op && (f.test === '*' || f.test === test));
  return k ? k.reason : null;
}
