// The Pareto front of a trade-off where a smaller x (size, latency) and a larger y (accuracy) are both
// better: the points no other point beats on one axis without losing on the other. Pure; points with a
// missing or non-finite value take no part (they are neither on the front nor able to dominate).

export interface TradePoint<K = string> {
  key: K;
  x: number | null;
  y: number | null;
}

/** A point whose x and y are both known numbers. */
export type MeasuredPoint<K = string> = TradePoint<K> & { x: number; y: number };

export const isMeasured = <K>(p: TradePoint<K>): p is MeasuredPoint<K> =>
  typeof p.x === 'number' && typeof p.y === 'number' && Number.isFinite(p.x) && Number.isFinite(p.y);

/** `a` is at least as good as `b` on both axes and strictly better on one. */
export function dominates(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return a.x <= b.x && a.y >= b.y && (a.x < b.x || a.y > b.y);
}

/**
 * The non-dominated measured points, ordered by x ascending: along the front, every step right
 * buys accuracy. Equal points are both kept (neither beats the other), in their given order.
 */
export function paretoFront<K>(points: readonly TradePoint<K>[]): MeasuredPoint<K>[] {
  const known = points.filter(isMeasured);
  return known.filter((p) => !known.some((q) => dominates(q, p))).sort((a, b) => a.x - b.x);
}
