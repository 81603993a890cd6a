import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from './suggest.js';

describe('closest (did you mean)', () => {
  it('suggests near misses, swapped letters and unique prefixes', () => {
    expect(closest('vaildate', ['validate', 'seed', 'weights'])).toBe('validate');
    expect(closest('trian', ['train', 'eval', 'export'])).toBe('train');
    expect(closest('rnu', ['plan', 'run', 'report'])).toBe('run');
    expect(closest('max_iter', ['max_iters', 'seed'])).toBe('max_iters');
    expect(closest('use-gpu', ['use_gpu', 'use_xpu'])).toBe('use_gpu');
    expect(closest('Validate', ['validate'])).toBe('validate');
    expect(closest('calib', ['calib-data', 'config'])).toBe('calib-data');
  });

  it('stays quiet for far-off input, an exact match or an ambiguous prefix', () => {
    expect(closest('xyz', ['train', 'eval'])).toBeUndefined();
    expect(closest('train', ['train', 'eval'])).toBeUndefined();
    expect(closest('timeout-', ['timeout-train', 'timeout-eval'])).toBeUndefined();
    expect(closest('anything', [])).toBeUndefined();
  });

  it('formats the hint', () => {
    expect(didYouMean('Flase', ['True', 'False'])).toBe('; did you mean "False"?');
    expect(didYouMean('qqqq', ['True', 'False'])).toBe('');
  });
});
