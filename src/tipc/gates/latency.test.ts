import { describe, expect, it } from 'vitest';
import type { LatencyMeasure } from '../evidence/measure.js';
import { latencyGates } from './latency.js';
import { evidence, gatesCfg, lat, step, UNIT } from './evidence.test-util.js';

const exp = step({ id: 2, kind: 'export' });
const bench = step({ id: 20, kind: 'infer', origin: 'runner', role: 'latency', target: 'trained', unit: UNIT });
const chain = { reference: { name: 'CTRGCN', export: 'x' }, benchmark: { listFlag: '--time_test_file' } };
const run = (
  model: LatencyMeasure | null,
  ref: LatencyMeasure | null,
  o: { max?: number | null; abs?: number | null } = {},
) =>
  latencyGates(
    evidence({ results: [exp, bench], chain, ms: { latency: [model, ref].filter((x): x is LatencyMeasure => !!x) } }),
    gatesCfg({ latency: { maxRatioP50: o.max === undefined ? 0.8 : o.max, maxInferenceMs: o.abs ?? null } }),
  );

describe('latency gate: the model’s p50 upper bound ÷ the reference’s p50 lower bound', () => {
  it('judged on the interval bounds, not on the point p50s: both sides of the budget', () => {
    // point ratio 30/50 = 0.6, but the bounds allow 40/50 = 0.8: pass at the boundary
    expect(run(lat('trained', 30, [25, 40]), lat('reference', 55, [50, 60]))[0]).toMatchObject({
      status: 'pass',
      value: 0.8,
    });
    // a point ratio of 0.6 whose bounds allow 0.802: fail
    const g = run(lat('trained', 30, [25, 40.1]), lat('reference', 55, [50, 60]))[0];
    expect(g).toMatchObject({ status: 'fail', value: 0.802 });
    expect(g.detail).toMatch(/point ratio 0\.545/);
  });
  it('no evidence: a missing model or reference benchmark fails', () => {
    expect(run(null, lat('reference', 50, [48, 52]))[0].status).toBe('fail');
    expect(run(lat('trained', 30, [29, 31]), null)[0].detail).toMatch(/reference benchmark did not run/);
  });
  it('p50 ≤ 0, a zero lower bound, NaN or ±Inf: no real timing, fail', () => {
    const ref = lat('reference', 50, [48, 52]);
    expect(run(lat('trained', 0, [0, 0]), ref)[0].status).toBe('fail');
    expect(run(lat('trained', 30, [29, 31]), lat('reference', 50, [0, 52]))[0].status).toBe('fail');
    expect(run(lat('trained', NaN, [29, 31]), ref)[0].status).toBe('fail');
    expect(run(lat('trained', 30, [29, Infinity]), ref)[0].status).toBe('fail');
    expect(run(lat('trained', -1, [-2, 31]), ref)[0].detail).toMatch(/not a real timing/);
  });
  it('too few queries for an exact interval fails', () => {
    const g = run(lat('trained', 30, [29, 31], { ciExact: false, batches: 20 }), lat('reference', 50, [48, 52]))[0];
    expect(g.status).toBe('fail');
    expect(g.detail).toMatch(/20 timed queries are too few/);
  });
  it('threshold absent: not-set (both budgets null); an absolute budget alone is judged on the upper bound', () => {
    const m = lat('trained', 30, [29, 31]);
    expect(run(m, null, { max: null })[0]).toMatchObject({ status: 'not-set', threshold: null });
    const abs = run(m, null, { max: null, abs: 31 });
    expect(abs.map((g) => [g.name, g.status])).toEqual([['latency[abs]', 'pass']]);
    expect(run(m, null, { max: null, abs: 30.9 })[0].status).toBe('fail');
  });
  it('a relative budget without a reference in the chain: not-set', () => {
    const g = latencyGates(
      evidence({ results: [exp], ms: { latency: [lat('trained', 30, [29, 31])] } }),
      gatesCfg({ latency: { maxRatioP50: 0.8 } }),
    )[0];
    expect(g.status).toBe('not-set');
  });
});
