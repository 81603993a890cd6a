import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { makeLayout } from './layout.js';
import { modelSummary } from './summary.js';

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const orig = process.stdout.write.bind(process.stdout);
  process.stdout.write = (s: string | Uint8Array) => {
    out += String(s);
    return true;
  };
  try {
    const code = await main(argv);
    return { code, out };
  } finally {
    process.stdout.write = orig;
  }
}

describe('model summary', () => {
  it('counts and MACs match spec §8', () => {
    const full = modelSummary(makeLayout('ctrgcn'));
    expect([full.trainable, full.bnBuffers, full.persistable, full.tensors]).toEqual([
      1_446_672, 9_708, 1_456_380, 736,
    ]);
    expect(full.macsPerSample / 1e9).toBeCloseTo(1.94, 2);
    const light = modelSummary(makeLayout('ctrgcn_light'));
    expect([light.trainable, light.bnBuffers, light.persistable, light.tensors]).toEqual([
      1_024_110, 7_440, 1_031_550, 541,
    ]);
    expect(light.macsPerSample / 1e9).toBeCloseTo(1.16, 2);
  });

  it('per-block table matches spec §8', () => {
    const rows = (m: 'ctrgcn' | 'ctrgcn_light') =>
      modelSummary(makeLayout(m)).blocks.map((b) => [b.name, b.trainable, b.bnBuffers]);
    expect(rows('ctrgcn')).toEqual([
      ['data_bn', 300, 300],
      ['l1', 12_052, 480],
      ['l2', 26_308, 352],
      ['l3', 26_308, 352],
      ['l4', 26_308, 352],
      ['l5', 78_084, 1_216],
      ['l6', 97_844, 704],
      ['l7', 97_844, 704],
      ['l8', 301_748, 2_432],
      ['l9', 382_228, 1_408],
      ['l10', 382_228, 1_408],
      ['fc', 15_420, 0],
    ]);
    expect(rows('ctrgcn_light')).toEqual([
      ['data_bn', 300, 300],
      ['l1', 10_888, 450],
      ['l2', 6_060, 210],
      ['l3', 6_060, 210],
      ['l4', 23_038, 330],
      ['l5', 24_060, 660],
      ['l6', 86_146, 660],
      ['l7', 86_146, 660],
      ['l8', 94_920, 1_320],
      ['l9', 336_016, 1_320],
      ['l10', 336_016, 1_320],
      ['fc', 14_460, 0],
    ]);
  });

  it('CLI prints the counts (table and JSON)', async () => {
    const t = await cli(['model', 'summary', '--model', 'ctrgcn']);
    expect(t.code).toBe(0);
    expect(t.out).toContain('1,446,672');
    expect(t.out).toContain('1,456,380');
    expect(t.out).toMatch(/1\.94 G/);
    const j = await cli(['model', 'summary', '--model', 'ctrgcn_light', '--json']);
    expect(j.code).toBe(0);
    const s = JSON.parse(j.out) as { trainable: number; persistable: number; macsPerSample: number };
    expect([s.trainable, s.persistable]).toEqual([1_024_110, 1_031_550]);
    expect(s.macsPerSample / 1e9).toBeCloseTo(1.16, 2);
    const bad = await cli(['model', 'summary', '--model', 'resnet']);
    expect(bad.code).toBe(2);
  });
});
