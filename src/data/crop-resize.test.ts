import { describe, expect, it } from 'vitest';
import { readNpyFloat32 } from './npy.js';
import {
  countValidFrames,
  preprocessForInference,
  resizeTime,
  testCropBounds,
  type PreprocessInfo,
} from './crop-resize.js';
import { sharedPath } from '../util/shared-data.test-util.js';

const EXAMPLE = sharedPath('fixtures/paddlevideo/example_NTU-RGB-D_sketeton.npy');
const GOLDEN_INPUT = sharedPath('golden/ctrgcn_light_paddle_epoch1_example/input.npy');

describe('testCropBounds', () => {
  it('follows the float64 bias rule of spec §2.2', () => {
    expect(testCropBounds(300)).toEqual({ begin: 7, end: 293, length: 286 });
    expect(testCropBounds(72)).toEqual({ begin: 1, end: 71, length: 70 });
    expect(testCropBounds(200)).toEqual({ begin: 5, end: 195, length: 190 });
    expect(testCropBounds(1)).toEqual({ begin: 0, end: 1, length: 1 });
  });
});

describe('resizeTime', () => {
  it('is the identity when L = W', () => {
    const x = Float32Array.from({ length: 3 * 5 * 25 * 2 }, (_, i) => Math.sin(i));
    expect(resizeTime(x, 5, 5)).toEqual(x);
  });
  it('interpolates linearly with half-pixel centres (up and down)', () => {
    const dims = { C: 1, V: 1, M: 1 };
    // L = 2 → W = 4: s = 0.5(t + 0.5) − 0.5 = −0.25 → 0, 0.25, 0.75, 1.25 (i1 clamps to 1).
    expect(Array.from(resizeTime(Float32Array.from([0, 4]), 2, 4, dims))).toEqual([0, 1, 3, 4]);
    // L = 4 → W = 2: s = 2(t + 0.5) − 0.5 = 0.5, 2.5.
    expect(Array.from(resizeTime(Float32Array.from([0, 2, 4, 6]), 4, 2, dims))).toEqual([1, 5]);
    // A single frame is repeated.
    expect(Array.from(resizeTime(Float32Array.from([7]), 1, 3, dims))).toEqual([7, 7, 7]);
  });
});

describe('preprocessForInference on the reference example', () => {
  const raw = readNpyFloat32(EXAMPLE, [3, 300, 25, 2]).data;

  it('counts 72 valid frames and crops 1..70', () => {
    expect(countValidFrames(raw, 300)).toBe(72);
    const info = {} as PreprocessInfo;
    preprocessForInference(raw, { window: 64, p: 0.95 }, undefined, info);
    expect(info).toEqual({ valid: 72, crop: { begin: 1, end: 71, length: 70 } });
  });

  it('matches the worked example of spec §2.4', () => {
    const y = preprocessForInference(raw, { window: 64, p: 0.95 });
    expect(y.length).toBe(9600);
    let sum = 0;
    let abs = 0;
    for (const v of y) {
      sum += v;
      abs += Math.abs(v);
    }
    expect(Math.abs(sum - 4693.3603) / 4693.3603).toBeLessThan(1e-5);
    expect(Math.abs(abs - 5675.6118) / 5675.6118).toBeLessThan(1e-5);
    // y[c, t, joint 2 (index 1), person 1 (index 0)]
    const at = (c: number, t: number) => y[((c * 64 + t) * 25 + 1) * 2 + 0];
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-5 * Math.abs(b) + 1e-7);
    [0.0913329, 0.1028594, 3.0254061].forEach((v, c) => close(at(c, 0), v));
    [0.1131425, 0.0929834, 3.0077374].forEach((v, c) => close(at(c, 63), v));
  });

  it('reproduces the golden preprocessed input bit for bit', () => {
    const y = preprocessForInference(raw, { window: 64, p: 0.95 });
    const golden = readNpyFloat32(GOLDEN_INPUT, [1, 3, 64, 25, 2]).data;
    let maxDiff = 0;
    for (let i = 0; i < y.length; i++) maxDiff = Math.max(maxDiff, Math.abs(y[i] - golden[i]));
    expect(maxDiff).toBe(0);
  });

  it('rejects an all-zero sequence and a length that is not [3,T,25,2]', () => {
    expect(() => preprocessForInference(new Float32Array(3 * 10 * 25 * 2))).toThrow(/no non-zero frame/);
    expect(() => preprocessForInference(new Float32Array(7))).toThrow(/not \[3, T, 25, 2\]/);
  });
});
