import { describe, expect, it } from 'vitest';
import type { Delta } from './types.js';
import { regressionGates } from './regression.js';
import { evidence, gatesCfg } from './evidence.test-util.js';

const d = (over: Partial<Delta>): Delta => ({
  metric: 'size',
  key: 'fp32@u',
  baseline: 100,
  current: 100,
  change: 0,
  status: 'pass',
  ...over,
});
const run = (deltas?: Delta[]) =>
  Object.fromEntries(
    regressionGates(evidence({ baseline: deltas && { path: 'base.json', deltas } }), gatesCfg()).map((g) => [
      g.name,
      g.status,
    ]),
  );

describe('regression gates', () => {
  it('no baseline: no gate; a baseline with nothing to compare: not-set', () => {
    expect(run()).toEqual({});
    expect(run([])).toEqual({
      'regression[size]': 'not-set',
      'regression[accuracy]': 'not-set',
      'regression[latency]': 'not-set',
    });
  });
  it('a regressed item fails its metric; a NaN change fails', () => {
    expect(run([d({})])['regression[size]']).toBe('pass');
    expect(run([d({ change: 0.5, status: 'fail' })])['regression[size]']).toBe('fail');
    expect(run([d({ change: NaN })])['regression[size]']).toBe('fail');
  });
});
