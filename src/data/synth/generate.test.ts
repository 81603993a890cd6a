import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as synthRun } from '../../cli/data-synth.js';
import { denoise } from '../denoise.js';
import { parseNtuName } from '../ntu-names.js';
import { rawBodies } from '../raw-bodies.js';
import { parseSkeleton } from '../skeleton-file.js';
import { XSUB_TRAIN, XSUB_VAL } from '../splits.js';
import { generateSynthNtu, synthActions, synthPerformers, synthSample } from './generate.js';

const ev = () => ({
  droppedFrames: 0,
  shortBodies: 0,
  spreadBodies: 0,
  bystanders: 0,
  idSwitches: 0,
  trackingGaps: 0,
  lateStarts: 0,
});

describe('synthetic NTU generator', () => {
  it('maps classes to actions: singles from A001, a couple of mutual ones from A050', () => {
    expect(synthActions(10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 50, 51]);
    expect(synthActions(3)).toEqual([1, 2, 50]);
    expect(synthActions(1)).toEqual([1]);
    const all = synthActions(60);
    expect(all.length).toBe(60);
    expect(all.filter((a) => a >= 50)).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    expect(() => synthActions(61)).toThrow(/--classes must be 1\.\.60/);
  });

  it('picks performers from both X-sub lists', () => {
    const p = synthPerformers(6);
    expect(p).toEqual([1, 2, 3, 4, 5, 6]);
    expect(p.filter((x) => XSUB_TRAIN.includes(x)).length).toBe(4);
    expect(synthPerformers(2).some((x) => XSUB_VAL.includes(x))).toBe(true);
  });

  it('is deterministic per seed and writes parseable files with valid names', () => {
    const f = { setup: 1, camera: 2, performer: 3, replication: 1, action: 5 };
    const a = synthSample(42, f, { min: 40, max: 60 }, ev());
    expect(synthSample(42, f, { min: 40, max: 60 }, ev())).toBe(a);
    expect(synthSample(43, f, { min: 40, max: 60 }, ev())).not.toBe(a);
    const sk = parseSkeleton(a, 'x.skeleton');
    expect(sk.frameCount).toBeGreaterThanOrEqual(40);
    expect(sk.frameCount).toBeLessThanOrEqual(60);
    const b = sk.frames.find((fr) => fr.bodies.length)!.bodies[0];
    expect(b.bodyID).toMatch(/^\d{17}$/);
    // plausible camera-space depth
    expect(b.joints[2]).toBeGreaterThan(1.5);
    expect(b.joints[2]).toBeLessThan(5);
  });

  it('mutual actions keep two actors after denoising', () => {
    let two = 0;
    for (let p = 1; p <= 4; p++) {
      const f = { setup: 1, camera: 1, performer: p, replication: 1, action: 50 };
      const name = `S001C001P00${p}R001A050`;
      const d = denoise(rawBodies(parseSkeleton(synthSample(9, f, { min: 40, max: 80 }, ev()), name), name));
      if (d.cols === 150) two++;
    }
    expect(two).toBe(4);
  });

  it('CLI writes the whole grid and reports it', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'synth-')), 'raw');
    const r = generateSynthNtu({
      out,
      classes: 3,
      seed: 1,
      performers: 2,
      cameras: 2,
      replications: 1,
      minFrames: 20,
      maxFrames: 30,
    });
    expect(r.files).toBe(3 * 2 * 2);
    const names = fs.readdirSync(out).map((n) => parseNtuName(n.replace('.skeleton', ''))!);
    expect(names.every(Boolean)).toBe(true);
    expect(new Set(names.map((n) => n.camera))).toEqual(new Set([1, 2]));
    const write = process.stdout.write.bind(process.stdout);
    let text = '';
    process.stdout.write = (s: string) => ((text += s), true);
    try {
      expect(
        await synthRun([
          '--out',
          out + '2',
          '--classes',
          '2',
          '--seed',
          '3',
          '--performers',
          '1',
          '--cameras',
          '1',
          '--replications',
          '1',
        ]),
      ).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(text).toMatch(/wrote 2 \.skeleton files/);
    await expect(synthRun(['--out', out + '3', '--cameras', '4'])).rejects.toThrow(
      /--cameras must be an integer in 1\.\.3/,
    );
  });
});

describe('fixed()', () => {
  it('matches toFixed (up to ties at an exact half)', async () => {
    const { fixed } = await import('./skeleton-text.js');
    for (const v of [
      0, -0, 0.5, -0.00000004, -0.00000006, 1.23456789, -3.9999999999, 12.5, 1919.9951, -211.0004, 123456789.5,
    ]) {
      for (const d of [2, 3, 7]) expect(Number(fixed(v, d))).toBeCloseTo(Number(v.toFixed(d)), d);
    }
    expect(fixed(-0.00000004, 7)).toBe('0.0000000');
    expect(fixed(-1.5, 2)).toBe('-1.50');
    expect(fixed(0.05, 3)).toBe('0.050');
  });
});
