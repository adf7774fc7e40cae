import { wgsl } from './program.js';

/**
 * Template for the unary table ops. `elementwise.ts` makes one shader per
 * (op, element type) at module load by replacing the `alias T` line and the
 * `/*EXPR*\/x` body of `op` with the table row's WGSL (sources take no `${}`
 * interpolation; this template is itself a valid identity shader).
 */
export const source = wgsl`
alias T = f32;

struct Params {
  size: u32,
  alpha: f32,
  beta: f32,
}

@group(0) @binding(0) var<storage, read> x: array<T>;
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<uniform> params: Params;

override wg: u32 = 64u;

fn expm1_f(v: f32) -> f32 {
  if (abs(v) < 1e-5) { return v + 0.5 * v * v; }
  return exp(v) - 1.0;
}

fn log1p_f(v: f32) -> f32 {
  let u = 1.0 + v;
  if (u == 1.0) { return v; }
  return log(u) * v / (u - 1.0);
}

fn op(x: T, alpha: T, beta: T) -> T {
  return /*EXPR*/x;
}

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size) { return; }
  out[i] = op(x[i], T(params.alpha), T(params.beta));
}
`;
