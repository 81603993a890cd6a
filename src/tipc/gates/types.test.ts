import { describe, expect, it } from 'vitest';
import { verdict, type VerdictInput } from './types.js';

const v = (over: Partial<VerdictInput>) =>
  verdict({ name: 'g', unit: 'u', value: 1, threshold: 1, cmp: '≤', what: 'x', key: 'gates.g.max', ...over });

describe('verdict: the one rule of every numeric gate', () => {
  it('no evidence: not-set (nothing to compare), or fail when the step that measures it failed', () => {
    expect(v({ value: null }).status).toBe('not-set');
    expect(v({ value: undefined }).detail).toMatch(/nothing measured/);
    expect(v({ value: null, failure: 'eval fail' })).toMatchObject({ status: 'fail', detail: 'eval fail' });
  });
  it('NaN and ±Inf are not measurements: fail, whatever the direction', () => {
    for (const x of [NaN, Infinity, -Infinity])
      for (const cmp of ['≤', '≥'] as const)
        expect(v({ value: x, cmp, threshold: 5 }), `${x} ${cmp}`).toMatchObject({ status: 'fail', value: null });
  });
  it('the threshold absent: not-set, naming the key; a non-finite threshold fails', () => {
    expect(v({ threshold: null })).toMatchObject({ status: 'not-set', value: 1 });
    expect(v({ threshold: null }).detail).toMatch(/no gates\.g\.max set/);
    expect(v({ threshold: Infinity }).status).toBe('fail');
    expect(v({ threshold: NaN }).status).toBe('fail');
  });
  it('both sides of the boundary, and zero', () => {
    expect(v({ value: 1, threshold: 1, cmp: '≤' }).status).toBe('pass');
    expect(v({ value: 1.000001, threshold: 1, cmp: '≤' }).status).toBe('fail');
    expect(v({ value: 0.8, threshold: 0.8, cmp: '≥' }).status).toBe('pass');
    expect(v({ value: 0.799999, threshold: 0.8, cmp: '≥' }).status).toBe('fail');
    expect(v({ value: 0, threshold: 0.8, cmp: '≥' }).status).toBe('fail');
    expect(v({ value: 0, threshold: 0, cmp: '≤' }).status).toBe('pass');
    expect(v({ value: 0.9, threshold: 0.8, cmp: '≥' }).detail).toBe('x: 0.9 ≥ 0.8');
    expect(v({ value: 0.7, threshold: 0.8, cmp: '≥' }).detail).toBe('x: 0.7 < 0.8');
  });
});
