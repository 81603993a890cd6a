import { describe, expect, it } from 'vitest';
import { ntuAdjacency } from './graph.js';

describe('NTU graph', () => {
  const A = ntuAdjacency();
  const V = 25;
  const at = (s: number, u: number, v: number) => A[s * V * V + u * V + v];
  const sum = (s: number) => A.slice(s * V * V, (s + 1) * V * V).reduce((a, b) => a + b, 0);

  it('has identity, inward (sum 24) and outward (sum 20) subsets', () => {
    expect(sum(0)).toBe(25);
    expect(sum(1)).toBeCloseTo(24, 6);
    expect(sum(2)).toBeCloseTo(20, 6);
  });
  it('normalises Out columns: root joint 21 spreads 0.25 to rows 2,3,5,9; joint 1 0.5 to 13,17', () => {
    for (const r of [2, 3, 5, 9]) expect(at(2, r - 1, 20)).toBeCloseTo(0.25, 7);
    for (const r of [13, 17]) expect(at(2, r - 1, 0)).toBeCloseTo(0.5, 7);
    for (const leaf of [4, 16, 20, 22, 24]) {
      let col = 0;
      for (let u = 0; u < V; u++) col += at(2, u, leaf - 1);
      expect(col).toBe(0);
    }
  });
  it('In is binary with joint 21 its only zero column', () => {
    for (let v = 0; v < V; v++) {
      let col = 0;
      for (let u = 0; u < V; u++) {
        expect([0, 1]).toContain(at(1, u, v));
        col += at(1, u, v);
      }
      if (v === 20) expect(col).toBe(0);
      else expect(col).toBeGreaterThan(0);
    }
  });
});
