import { describe, expect, it } from 'vitest';
import type { StepMetrics } from './types.js';
import { consistencyGates, determinismGates } from './agreement.js';
import { evidence, gatesCfg, step } from './evidence.test-util.js';

const cell = (id: number) =>
  step({ id, kind: 'infer', cell: { device: 'cpu', precision: 'fp32', threads: String(id), batchSize: '1' } as never });
const m = (pairs: Array<[number, number, number]>) =>
  new Map<number, StepMetrics>(pairs.map(([id, c, s]) => [id, { top1: { class: c, score: s } }]));
const det = (metrics: Map<number, StepMetrics>, cells = [cell(4), cell(5)]) =>
  determinismGates(evidence({ results: cells, metrics }), gatesCfg())[0];

describe('determinism gate', () => {
  it('fewer than two cells of one precision: not-set (nothing to compare)', () => {
    expect(det(m([[4, 1, 0.5]]), [cell(4)]).status).toBe('not-set');
  });
  it('equal outputs pass; a score beyond atol, another class, a NaN score or a missing result fail', () => {
    expect(
      det(
        m([
          [4, 1, 0.5],
          [5, 1, 0.5000005],
        ]),
      ).status,
    ).toBe('pass');
    expect(
      det(
        m([
          [4, 1, 0.5],
          [5, 1, 0.500002],
        ]),
      ).status,
    ).toBe('fail');
    expect(
      det(
        m([
          [4, 1, 0.5],
          [5, 2, 0.5],
        ]),
      ).status,
    ).toBe('fail');
    expect(
      det(
        m([
          [4, 1, 0.5],
          [5, 1, NaN],
        ]),
      ).status,
    ).toBe('fail');
    expect(
      det(
        m([
          [4, 1, NaN],
          [5, 1, 0.5],
        ]),
      ).status,
    ).toBe('fail');
    expect(det(m([[4, 1, 0.5]])).status).toBe('fail');
  });
});

describe('consistency gate', () => {
  const src = cell(4);
  const re = step({ id: 9, kind: 'infer', origin: 'runner', role: 'consistency', reason: `re-run of ${src.name}` });
  const con = (metrics: Map<number, StepMetrics>, results = [src, re]) =>
    consistencyGates(evidence({ results, metrics }), gatesCfg())[0];
  it('no re-run: not-set; equal: pass; beyond atol or NaN: fail', () => {
    expect(con(m([]), [src]).status).toBe('not-set');
    expect(
      con(
        m([
          [4, 1, 0.5],
          [9, 1, 0.500005],
        ]),
      ).status,
    ).toBe('pass');
    expect(
      con(
        m([
          [4, 1, 0.5],
          [9, 1, 0.50002],
        ]),
      ).status,
    ).toBe('fail');
    expect(
      con(
        m([
          [4, 1, 0.5],
          [9, 1, NaN],
        ]),
      ).status,
    ).toBe('fail');
    expect(con(m([[4, 1, 0.5]])).status).toBe('fail');
  });
});
