import { describe, expect, it } from 'vitest';
import { toSampleLayout, translateSequence } from './sequence.js';
import { splitIndices } from './splits.js';
import { parseNtuName } from './ntu-names.js';

describe('translateSequence', () => {
  it('uses joint 2 of actor 1 in its first non-zero row as origin; one-actor rows all shift', () => {
    const T = 3;
    const s = new Float32Array(T * 75);
    // row 0 all zero, rows 1-2 filled
    for (let t = 1; t < T; t++) for (let i = 0; i < 75; i++) s[t * 75 + i] = 1 + i + 100 * t;
    const origin = [s[75 + 3], s[75 + 4], s[75 + 5]];
    translateSequence(s, 75);
    expect([s[75 + 3], s[75 + 4], s[75 + 5]]).toEqual([0, 0, 0]);
    // the zero row is shifted too (upstream behaviour for one actor)
    expect([s[0], s[1], s[2]]).toEqual(origin.map((o) => -o));
    expect(s[2 * 75 + 3]).toBe(100);
  });

  it('resets rows where an actor summed to zero (two actors)', () => {
    const s = new Float32Array(2 * 150);
    for (let i = 0; i < 75; i++) {
      s[i] = 1; // actor 1, row 0
      s[150 + 75 + i] = 2; // actor 2, row 1
    }
    translateSequence(s, 150);
    expect(Array.from(s.subarray(0, 75)).every((v) => v === 0)).toBe(true); // 1 - 1
    expect(Array.from(s.subarray(75, 150)).every((v) => v === 0)).toBe(true); // actor 2 absent in row 0: reset
    expect(Array.from(s.subarray(150, 225)).every((v) => v === 0)).toBe(true); // actor 1 absent in row 1: reset
    expect(s[225]).toBe(1); // 2 - 1
  });

  it('rejects a sequence whose actor 1 is always zero', () => {
    expect(() => translateSequence(new Float32Array(150), 150, 'z')).toThrow(/z: actor 1 is zero in every frame/);
  });
});

describe('toSampleLayout', () => {
  it('maps out[c,t,v,m] = seq[t, 75m + 3v + c] and pads with zeros', () => {
    const T = 4;
    const seq = Float32Array.from({ length: T * 150 }, (_, i) => i + 1);
    const out = toSampleLayout(seq, 150, 300);
    expect(out.length).toBe(3 * 300 * 25 * 2);
    const at = (c: number, t: number, v: number, m: number) => out[((c * 300 + t) * 25 + v) * 2 + m];
    for (const [c, t, v, m] of [
      [0, 0, 0, 0],
      [2, 3, 24, 1],
      [1, 2, 7, 1],
      [0, 1, 1, 0],
    ]) {
      expect(at(c, t, v, m)).toBe(seq[t * 150 + 75 * m + 3 * v + c]);
    }
    expect(at(0, 4, 0, 0)).toBe(0);
    expect(Array.from(out).filter((x) => x !== 0).length).toBe(T * 150);
    const one = toSampleLayout(
      Float32Array.from({ length: 75 }, () => 5),
      75,
      300,
    );
    expect(one[((0 * 300 + 0) * 25 + 3) * 2 + 1]).toBe(0); // actor 2 stays 0
    expect(one[((0 * 300 + 0) * 25 + 3) * 2 + 0]).toBe(5);
    expect(() => toSampleLayout(new Float32Array(301 * 75), 75, 300, undefined, 'long')).toThrow(/long: 301 frames/);
  });
});

describe('splitIndices', () => {
  it('orders by the ID lists, then input order; xview val = camera 1', () => {
    const names = [
      'S001C001P003R001A001',
      'S001C002P002R001A001',
      'S001C003P001R001A002',
      'S001C001P001R001A001',
      'S001C002P041R001A001',
    ].map((n) => parseNtuName(n)!);
    expect(splitIndices(names, 'xsub', 'train')).toEqual([2, 3, 1]);
    expect(splitIndices(names, 'xsub', 'val')).toEqual([0]);
    expect(splitIndices(names, 'xview', 'train')).toEqual([1, 4, 2]);
    expect(splitIndices(names, 'xview', 'val')).toEqual([0, 3]);
  });
});
