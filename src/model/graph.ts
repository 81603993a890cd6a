// NTU RGB+D "spatial" graph: A = stack(I, In, Out), each 25×25, In/Out column-normalised.
import { NTU_INWARD_EDGES } from '../data/ntu-joints.js';

export const NUM_JOINTS = 25;

/** M[j][i] = 1 for each (i, j) edge (0-based), row-major V×V. */
function edgeToMatrix(edges: ReadonlyArray<readonly [number, number]>, V: number): Float64Array {
  const m = new Float64Array(V * V);
  for (const [i, j] of edges) m[j * V + i] = 1;
  return m;
}

/** Divides every non-empty column by its sum. */
function normaliseColumns(m: Float64Array, V: number): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < V; i++) {
    let d = 0;
    for (let j = 0; j < V; j++) d += m[j * V + i];
    if (d > 0) for (let j = 0; j < V; j++) out[j * V + i] = m[j * V + i] / d;
  }
  return out;
}

/** The 3×25×25 adjacency stack [I, In, Out] as float32, row-major (subset, row u, column v). */
export function ntuAdjacency(): Float32Array {
  const V = NUM_JOINTS;
  const inward = NTU_INWARD_EDGES.map(([a, b]) => [a - 1, b - 1] as const);
  const outward = inward.map(([i, j]) => [j, i] as const);
  const self = Array.from({ length: V }, (_, i) => [i, i] as const);
  const I = edgeToMatrix(self, V);
  const In = normaliseColumns(edgeToMatrix(inward, V), V);
  const Out = normaliseColumns(edgeToMatrix(outward, V), V);
  const A = new Float32Array(3 * V * V);
  A.set(I, 0);
  A.set(In, V * V);
  A.set(Out, 2 * V * V);
  return A;
}
