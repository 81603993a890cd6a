// The NTU RGB+D skeleton's joint tree, once: the graph conv's adjacency (src/model/graph.ts) and the
// bone modality (augment.ts) both read it.

/** Inward edges (child → parent), 1-based joint numbers. */
export const NTU_INWARD_EDGES: ReadonlyArray<readonly [number, number]> = [
  [1, 2],
  [2, 21],
  [3, 21],
  [4, 3],
  [5, 21],
  [6, 5],
  [7, 6],
  [8, 7],
  [9, 21],
  [10, 9],
  [11, 10],
  [12, 11],
  [13, 1],
  [14, 13],
  [15, 14],
  [16, 15],
  [17, 1],
  [18, 17],
  [19, 18],
  [20, 19],
  [22, 23],
  [23, 8],
  [24, 25],
  [25, 12],
];

/**
 * NTU bone pairs (1-based, training.md §2.4): joint v1 ← x[v1] − x[v2] for each inward edge, and
 * the spine centre (21) paired with itself (a zero bone), in upstream's order.
 */
export const NTU_BONE_PAIRS: ReadonlyArray<readonly [number, number]> = [
  ...NTU_INWARD_EDGES.slice(0, 21),
  [21, 21],
  ...NTU_INWARD_EDGES.slice(21),
];
