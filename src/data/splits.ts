// Cross-subject and cross-view benchmarks of NTU RGB+D 60.
import type { NtuName } from './ntu-names.js';

export type Benchmark = 'xsub' | 'xview';
export type SplitPart = 'train' | 'val';

export const XSUB_TRAIN = [1, 2, 4, 5, 8, 9, 13, 14, 15, 16, 17, 18, 19, 25, 27, 28, 31, 34, 35, 38];
export const XSUB_VAL = [3, 6, 7, 10, 11, 12, 20, 21, 22, 23, 24, 26, 29, 30, 32, 33, 36, 37, 39, 40];
export const XVIEW_TRAIN = [2, 3];
export const XVIEW_VAL = [1];

export function splitIds(benchmark: Benchmark, part: SplitPart): number[] {
  if (benchmark === 'xsub') return part === 'train' ? XSUB_TRAIN : XSUB_VAL;
  return part === 'train' ? XVIEW_TRAIN : XVIEW_VAL;
}

const keyOf = (b: Benchmark, n: NtuName) => (b === 'xsub' ? n.performer : n.camera);

/**
 * Sample indices of one split: for each ID in the listed order, that ID's samples in input order.
 * Samples whose performer/camera is in neither list belong to no split.
 */
export function splitIndices(names: readonly NtuName[], benchmark: Benchmark, part: SplitPart): number[] {
  const byId = new Map<number, number[]>();
  names.forEach((n, i) => {
    const k = keyOf(benchmark, n);
    let l = byId.get(k);
    if (!l) byId.set(k, (l = []));
    l.push(i);
  });
  return splitIds(benchmark, part).flatMap((id) => byId.get(id) ?? []);
}
