import { describe, expect, it } from 'vitest';
import type { StepMetrics } from './types.js';
import { consistencyGates, determinismGates } from './agreement.js';
import { evidence, gatesCfg, step } from './evidence.test-util.js';

const cell = (id: number) =>
  step({ id, kind: 'infer', cell: { device: 'cpu', precision: 'fp32', threads: String(id), batchSize: '1' } as never });
/** Top-1 of each step: `[step id, class, score]`. */
type Top1 = [number, number, number];
const m = (pairs: Top1[]) =>
  new Map<number, StepMetrics>(pairs.map(([id, c, s]) => [id, { top1: { class: c, score: s } }]));

describe('determinism gate', () => {
  const det = (pairs: Top1[], cells = [cell(4), cell(5)]) =>
    determinismGates(evidence({ results: cells, metrics: m(pairs) }), gatesCfg())[0].status;

  it('fewer than two cells of one precision: not-set (nothing to compare)', () => {
    expect(det([[4, 1, 0.5]], [cell(4)])).toBe('not-set');
  });
  it.each<[string, Top1[], string]>([
    [
      'equal within atol',
      [
        [4, 1, 0.5],
        [5, 1, 0.5000005],
      ],
      'pass',
    ],
    [
      'a score beyond atol',
      [
        [4, 1, 0.5],
        [5, 1, 0.500002],
      ],
      'fail',
    ],
    [
      'another class',
      [
        [4, 1, 0.5],
        [5, 2, 0.5],
      ],
      'fail',
    ],
    [
      'a NaN score in the second cell',
      [
        [4, 1, 0.5],
        [5, 1, NaN],
      ],
      'fail',
    ],
    [
      'a NaN score in the first cell',
      [
        [4, 1, NaN],
        [5, 1, 0.5],
      ],
      'fail',
    ],
    ['a missing result', [[4, 1, 0.5]], 'fail'],
  ])('%s: %s', (_what, pairs, status) => {
    expect(det(pairs)).toBe(status);
  });
});

describe('consistency gate', () => {
  const src = cell(4);
  const re = step({ id: 9, kind: 'infer', origin: 'runner', role: 'consistency', reason: `re-run of ${src.name}` });
  const con = (pairs: Top1[], results = [src, re]) =>
    consistencyGates(evidence({ results, metrics: m(pairs) }), gatesCfg())[0].status;

  it('no re-run: not-set', () => {
    expect(con([], [src])).toBe('not-set');
  });
  it.each<[string, Top1[], string]>([
    [
      'equal within atol',
      [
        [4, 1, 0.5],
        [9, 1, 0.500005],
      ],
      'pass',
    ],
    [
      'beyond atol',
      [
        [4, 1, 0.5],
        [9, 1, 0.50002],
      ],
      'fail',
    ],
    [
      'a NaN score',
      [
        [4, 1, 0.5],
        [9, 1, NaN],
      ],
      'fail',
    ],
    ['a missing re-run result', [[4, 1, 0.5]], 'fail'],
  ])('%s: %s', (_what, pairs, status) => {
    expect(con(pairs)).toBe(status);
  });
});
