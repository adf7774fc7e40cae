import { wgsl } from './program.js';

/** Stable softmax (mode 0) / logSoftmax (mode 1) along the last axis: one workgroup per row, shared-memory max and sum. */
export const source = wgsl`
struct Params {
  rows: u32,
  n: u32,
  mode: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 64u;
var<workgroup> sh: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let base = row * params.n;
  var m = x[base];
  for (var j = lid; j < params.n; j += WG) { m = max(m, x[base + j]); }
  sh[lid] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { sh[lid] = max(sh[lid], sh[lid + s]); }
    workgroupBarrier();
  }
  let mx = sh[0];
  workgroupBarrier();
  var t = 0.0;
  for (var j = lid; j < params.n; j += WG) { t += exp(x[base + j] - mx); }
  sh[lid] = t;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { sh[lid] = sh[lid] + sh[lid + s]; }
    workgroupBarrier();
  }
  let total = sh[0];
  for (var j = lid; j < params.n; j += WG) {
    let v = x[base + j] - mx;
    if (params.mode == 0u) { out[base + j] = exp(v) / total; } else { out[base + j] = v - log(total); }
  }
}
`;
