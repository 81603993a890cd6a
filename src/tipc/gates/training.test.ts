import { describe, expect, it } from 'vitest';
import { trainingGates } from './training.js';
import { evidence, gatesCfg, step, UNIT } from './evidence.test-util.js';

const train = step({ id: 0, kind: 'train' });
const run = (last: number | null, o: { min?: number | null; status?: 'pass' | 'fail' } = {}) =>
  trainingGates(
    evidence({
      results: [{ ...train, status: o.status ?? 'pass' }],
      ms: { training: last === undefined ? [] : [{ unit: UNIT, lastValTop1: last, bestValTop1: last, steps: 60 }] },
    }),
    gatesCfg({ training: { minValTop1: o.min === undefined ? 0.8 : o.min } }),
  )[0];

describe('training gate', () => {
  it('no validation record: not-set (fails the run by default); training failed: fail', () => {
    expect(run(null)).toMatchObject({ status: 'not-set' });
    expect(run(null).detail).toMatch(/--validate/);
    expect(run(null, { status: 'fail' })).toMatchObject({ status: 'fail' });
  });
  it('NaN / ±Inf / zero', () => {
    expect(run(NaN).status).toBe('fail');
    expect(run(Infinity).status).toBe('fail');
    expect(run(0).status).toBe('fail');
  });
  it('threshold absent: not-set with the value', () => {
    expect(run(0.9, { min: null })).toMatchObject({ status: 'not-set', value: 0.9 });
  });
  it('both sides of the boundary', () => {
    expect(run(0.8).status).toBe('pass');
    expect(run(0.7999).status).toBe('fail');
  });
});
