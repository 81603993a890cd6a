import { describe, expect, it } from 'vitest';
import { dominates, paretoFront, type TradePoint } from './pareto.js';

const keys = (ps: TradePoint[]) => paretoFront(ps).map((p) => p.key);

describe('paretoFront (smaller x and larger y are better)', () => {
  it('a single point is its own front', () => {
    expect(keys([{ key: 'a', x: 3, y: 0.9 }])).toEqual(['a']);
  });

  it('no points, or none with both values, make an empty front', () => {
    expect(keys([])).toEqual([]);
    expect(
      keys([
        { key: 'a', x: null, y: 0.9 },
        { key: 'b', x: 2, y: null },
      ]),
    ).toEqual([]);
  });

  it('leaves out points beaten on both axes, or on one and tied on the other', () => {
    const ps: TradePoint[] = [
      { key: 'big-worse', x: 6, y: 0.89 }, // beaten by mid on both axes
      { key: 'mid', x: 4.5, y: 0.91 },
      { key: 'small', x: 4, y: 0.9 },
      { key: 'same-size-worse', x: 4, y: 0.85 }, // tie on x, lower y
      { key: 'bigger-same-acc', x: 5, y: 0.91 }, // tie on y, larger x
      { key: 'best-acc', x: 7, y: 0.95 },
    ];
    expect(keys(ps)).toEqual(['small', 'mid', 'best-acc']);
  });

  it('keeps both of two equal points, and orders the front by x', () => {
    expect(
      keys([
        { key: 'b', x: 2, y: 0.8 },
        { key: 'a', x: 1, y: 0.7 },
        { key: 'b2', x: 2, y: 0.8 },
      ]),
    ).toEqual(['a', 'b', 'b2']);
  });

  it('a point with a missing or non-finite value neither joins nor dominates', () => {
    const ps: TradePoint[] = [
      { key: 'no-size', x: null, y: 0.99 },
      { key: 'nan', x: Number.NaN, y: 0.99 },
      { key: 'inf', x: 1, y: Number.POSITIVE_INFINITY },
      { key: 'a', x: 5, y: 0.8 },
    ];
    expect(keys(ps)).toEqual(['a']);
  });

  it('dominates: strictly better on one axis and no worse on the other', () => {
    expect(dominates({ x: 1, y: 0.9 }, { x: 2, y: 0.9 })).toBe(true);
    expect(dominates({ x: 2, y: 0.95 }, { x: 2, y: 0.9 })).toBe(true);
    expect(dominates({ x: 1, y: 0.9 }, { x: 1, y: 0.9 })).toBe(false);
    expect(dominates({ x: 1, y: 0.8 }, { x: 2, y: 0.9 })).toBe(false);
  });
});
