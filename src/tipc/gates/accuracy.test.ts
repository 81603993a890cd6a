import { describe, expect, it } from 'vitest';
import type { AccuracyMeasure } from '../evidence/measure.js';
import { accuracyGates } from './accuracy.js';
import { acc, evidence, gatesCfg, step, UNIT } from './evidence.test-util.js';

const exp = step({ id: 2, kind: 'export' });
const ev0 = step({ id: 1, kind: 'eval' });
const art = (id: number, precision: 'fp32' | 'fp16' | 'int8') =>
  step({
    id,
    kind: 'eval',
    origin: 'runner',
    role: 'artifact-eval',
    precision,
    unit: UNIT,
    dir: `${UNIT}/${precision}`,
  });
const full = [exp, ev0, art(10, 'fp32'), art(11, 'int8')];
const run = (
  accuracy: AccuracyMeasure[],
  o: { results?: ReturnType<typeof step>[]; minTop1?: number | null; agree?: number | null } = {},
) =>
  Object.fromEntries(
    accuracyGates(
      evidence({ results: o.results ?? full, ms: { accuracy } }),
      gatesCfg({
        accuracy: {
          minTop1: o.minTop1 === undefined ? 0.8 : o.minTop1,
          quantizedMinAgreement: o.agree === undefined ? 0.99 : o.agree,
        },
      }),
    ).map((g) => [g.name, g]),
  );
const int8 = (top1: number, agreement?: number) =>
  acc(
    'int8',
    top1,
    agreement === undefined ? {} : { agreementWithFp32: agreement, changedVsFp32: Math.round((1 - agreement) * 300) },
  );

describe('accuracy gates', () => {
  it('whole_infer: a minTop1 with no evaluation at all fails; without a minTop1 there is no gate', () => {
    const g = run([], { results: [exp] });
    expect(g.accuracy).toMatchObject({ status: 'fail', threshold: 0.8 });
    expect(g.accuracy.detail).toMatch(/evaluates no model/);
    expect(run([], { results: [exp], minTop1: null })).toEqual({});
  });
  it('no evidence from a passed eval: not-set; an eval that failed: fail', () => {
    expect(run([], { results: [exp, ev0] }).accuracy.status).toBe('fail'); // passed, but no accuracy in its records
    expect(run([], { results: [exp, { ...ev0, status: 'fail' }] }).accuracy.detail).toMatch(/eval fail/);
  });
  it('the shipped model is the fp32 export; both sides of minTop1, NaN, zero, threshold absent', () => {
    const base = [acc('checkpoint', 0.9), int8(0.9, 1)];
    expect(run([acc('fp32', 0.8), ...base]).accuracy.status).toBe('pass');
    expect(run([acc('fp32', 0.7999), ...base]).accuracy.status).toBe('fail');
    expect(run([acc('fp32', NaN), ...base]).accuracy.status).toBe('fail');
    expect(run([acc('fp32', 0), ...base]).accuracy.status).toBe('fail');
    expect(run([acc('fp32', 0.9), ...base], { minTop1: null }).accuracy.status).toBe('not-set');
    expect(run([acc('fp32', 0.9), ...base])['accuracy[checkpoint]'].status).toBe('pass');
  });
  it('quantised: top-1 ratio and per-sample agreement, each on both sides of its threshold', () => {
    const fp32 = [acc('fp32', 0.9), acc('checkpoint', 0.9)];
    expect(run([...fp32, int8(0.891, 0.99)])['accuracy[int8]'].status).toBe('pass');
    expect(run([...fp32, int8(0.89, 0.99)])['accuracy[int8]'].status).toBe('fail');
    expect(run([...fp32, int8(0.9, 0.99)])['agreement[int8]'].status).toBe('pass');
    const low = run([...fp32, int8(0.9, 0.9867)])['agreement[int8]'];
    expect(low).toMatchObject({ status: 'fail', value: 0.9867, threshold: 0.99 });
    expect(low.detail).toMatch(/4 of 300 changed/);
    expect(run([...fp32, int8(0.9, 0)])['agreement[int8]'].status).toBe('fail');
    expect(run([...fp32, int8(0.9, NaN)])['agreement[int8]'].status).toBe('fail');
  });
  it('quantised: no per-sample predictions to compare fails; the agreement threshold absent is not-set', () => {
    const fp32 = [acc('fp32', 0.9), acc('checkpoint', 0.9)];
    expect(run([...fp32, int8(0.9)])['agreement[int8]'].status).toBe('fail');
    expect(run([...fp32, int8(0.9, 1)], { agree: null })['agreement[int8]'].status).toBe('not-set');
    // no fp32 accuracy to compare with: both quantised gates fail
    const g = run([acc('checkpoint', 0.9), int8(0.9, 1)]);
    expect([g['accuracy[int8]'].status, g['agreement[int8]'].status]).toEqual(['fail', 'fail']);
  });
});
