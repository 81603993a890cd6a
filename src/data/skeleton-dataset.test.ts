import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchIndices, prefetchBatches, SkeletonDataset } from './skeleton-dataset.js';
import { writeNpy } from './npy.js';
import { writeTinySplit } from '../train/fixtures.test-util.js';
import { Rng } from '../train/rng.js';

describe('SkeletonDataset', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-ds-'));
  const split = writeTinySplit(dir, 'train', { count: 5, frames: 30, classes: 3, seed: 1, minValid: 10 });

  it('reads, transforms and batches deterministically with prefetch', async () => {
    const ds = new SkeletonDataset(split.data, split.labels, {
      pipeline: { window: 16, pInterval: [0.5, 1], rotation: 0.3 },
      numClasses: 3,
    });
    expect(ds.count).toBe(5);
    expect(Array.from(ds.labels)).toEqual([0, 1, 2, 0, 1]);
    expect(batchIndices([0, 1, 2, 3, 4], 2, true)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(batchIndices([0, 1, 2, 3, 4], 2, false)).toEqual([[0, 1], [2, 3], [4]]);
    const run = async () => {
      const out: Float32Array[] = [];
      for await (const b of prefetchBatches(ds, batchIndices([4, 2, 0, 1, 3], 2, false), (k, s) => new Rng(11, k, s)))
        out.push(b.data);
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a.map((x) => x.length)).toEqual([2 * 3 * 16 * 50, 2 * 3 * 16 * 50, 3 * 16 * 50]);
    expect(a.map((x) => Array.from(x))).toEqual(b.map((x) => Array.from(x)));
    await ds.close();
  });

  it('names the file on a shape mismatch or a label-count mismatch', () => {
    const bad = path.join(dir, 'bad.npy');
    writeNpy(bad, '<f4', [5, 3, 30, 24, 2], new Float32Array(5 * 3 * 30 * 24 * 2));
    expect(() => new SkeletonDataset(bad, split.labels, { pipeline: { window: 16, pInterval: [0.95] } })).toThrow(
      /bad\.npy: expected float32 samples of shape \[N, 3, T, 25, 2\]/,
    );
    const short = path.join(dir, 'short.npy');
    writeNpy(short, '<f4', [4, 3, 30, 25, 2], new Float32Array(4 * 3 * 30 * 25 * 2));
    expect(() => new SkeletonDataset(short, split.labels, { pipeline: { window: 16, pInterval: [0.95] } })).toThrow(
      /5 labels, but .*short\.npy holds 4 samples/,
    );
    expect(
      () =>
        new SkeletonDataset(path.join(dir, 'none.npy'), split.labels, { pipeline: { window: 16, pInterval: [0.95] } }),
    ).toThrow(/data file not found: .*none\.npy/);
  });
});
