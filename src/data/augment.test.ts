import { describe, expect, it } from 'vitest';
import {
  cropResize,
  randomRotate,
  rotationMatrix,
  rotateInPlace,
  toBones,
  transformSample,
  type CropInfo,
} from './augment.js';
import { preprocessForInference } from './crop-resize.js';
import { Rng } from '../train/rng.js';

/** [3, T, 25, 2] with `valid` non-zero frames; value encodes (c, t, v, m). */
function seq(T: number, valid: number): Float32Array {
  const x = new Float32Array(3 * T * 50);
  for (let c = 0; c < 3; c++)
    for (let t = 0; t < valid; t++)
      for (let k = 0; k < 50; k++) x[(c * T + t) * 50 + k] = 1 + c + 0.01 * t + 0.0001 * k;
  return x;
}

describe('training augmentation (training.md §2)', () => {
  it('random crop: L = min(max(⌊valid·p⌋, 64), valid), offset within the valid prefix', () => {
    const rng = new Rng(1);
    for (const valid of [30, 64, 100, 300]) {
      for (let r = 0; r < 30; r++) {
        const info = {} as CropInfo;
        const y = cropResize(seq(300, valid), [0.5, 1], 64, rng, undefined, info);
        expect(y.length).toBe(3 * 64 * 50);
        expect(info.valid).toBe(valid);
        const lo = Math.min(Math.max(Math.floor(valid * 0.5), 64), valid);
        expect(info.length).toBeGreaterThanOrEqual(lo);
        expect(info.length).toBeLessThanOrEqual(valid);
        expect(info.begin + info.length).toBeLessThanOrEqual(valid);
        // Output frames come from inside the crop (values encode t).
        const t0 = (y[0] - 1) / 0.01;
        expect(t0).toBeGreaterThanOrEqual(info.begin - 1e-3);
      }
    }
  });

  it('single-value p_interval equals the inference preprocessing', () => {
    const x = seq(300, 72);
    expect(Array.from(cropResize(x, [0.95], 64, undefined))).toEqual(
      Array.from(preprocessForInference(x, { window: 64, p: 0.95 })),
    );
  });

  it('rotation matrix is Rz(c)·Ry(b)·Rx(a) and orthonormal', () => {
    const R = rotationMatrix(0.1, -0.2, 0.25);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const d = R[i * 3] * R[j * 3] + R[i * 3 + 1] * R[j * 3 + 1] + R[i * 3 + 2] * R[j * 3 + 2];
        expect(d).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    // Pure Rx(a): y' = cos a·y + sin a·z.
    const Rx = rotationMatrix(0.3, 0, 0);
    const p = Float32Array.from([0, 1, 2]); // one point: x=0, y=1, z=2
    rotateInPlace(p, Rx);
    expect(p[1]).toBeCloseTo(Math.cos(0.3) + 2 * Math.sin(0.3), 5);
    expect(p[2]).toBeCloseTo(-Math.sin(0.3) + 2 * Math.cos(0.3), 5);
  });

  it('random rotation keeps joint distances and zero frames; same seed → same sample', () => {
    const x = seq(64, 40);
    const a = randomRotate(x.slice(), 0.3, new Rng(3));
    const b = randomRotate(x.slice(), 0.3, new Rng(3));
    expect(Array.from(a)).toEqual(Array.from(b));
    const n = x.length / 3;
    const norm = (d: Float32Array, k: number) => Math.hypot(d[k], d[n + k], d[2 * n + k]);
    expect(norm(a, 5)).toBeCloseTo(norm(x, 5), 4);
    expect(a[(0 * 64 + 50) * 50]).toBe(0);
    const y = transformSample(x, { window: 64, pInterval: [0.5, 1], rotation: 0.3 }, new Rng(9));
    expect(y.length).toBe(3 * 64 * 50);
  });

  it('bones: joint 21 (its own parent) becomes zero', () => {
    const b = toBones(seq(4, 4));
    expect(b[(0 * 4 + 1) * 50 + 20 * 2]).toBe(0);
  });
});
