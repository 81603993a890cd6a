import { describe, expect, it } from 'vitest';
import { fromHalfBits, quantizeInt8PerChannel, toHalfBits } from './quantize.js';

describe('half floats', () => {
  it('round-trips representable values and rounds to nearest even', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 6.103515625e-5, 5.960464477539063e-8])
      expect(fromHalfBits(toHalfBits(v))).toBe(v);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(Math.abs(fromHalfBits(toHalfBits(0.1)) - 0.1)).toBeLessThan(1e-4);
  });
});

describe('int8 per-channel', () => {
  it('uses max|w|/127 per channel along the axis', () => {
    const { q, scale } = quantizeInt8PerChannel([1, -0.5, 0, 2, 4, -4], [2, 3], 0);
    expect(Array.from(scale)).toEqual([Math.fround(1 / 127), Math.fround(4 / 127)]);
    expect(Array.from(q)).toEqual([127, -64, 0, 64, 127, -127]);
    const col = quantizeInt8PerChannel([1, 2, -1, 4], [2, 2], 1);
    expect(Array.from(col.scale)).toEqual([Math.fround(1 / 127), Math.fround(4 / 127)]);
  });
});
