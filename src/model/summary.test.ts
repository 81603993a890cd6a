import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { modelSummary } from './summary.js';
import { backboneEntry } from './registry.js';
import { shippedRecipe, shippedVariants, variantTree } from './variants.js';
import type { VariantName } from './block-tree.js';

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

/** golden README tables: trainable, BN running stats, persistable, tensors. */
const COUNTS: Record<VariantName, [number, number, number, number]> = {
  ctrgcn: [1_446_672, 9_708, 1_456_380, 736],
  ctrgcn_light: [1_024_110, 7_440, 1_031_550, 541],
  ctrgcn_lite: [1_064_444, 8_300, 1_072_744, 666],
  ctrgcn_light_v1: [1_462_878, 8_868, 1_471_746, 345],
  ctrgcn_light_v2: [1_117_782, 8_286, 1_126_068, 401],
};

describe('model summary', () => {
  it('counts and MACs match spec §8', () => {
    const full = modelSummary(variantTree('ctrgcn'));
    expect([full.trainable, full.bnBuffers, full.persistable, full.tensors]).toEqual(COUNTS.ctrgcn);
    expect(full.macsPerSample / 1e9).toBeCloseTo(1.94, 2);
    const light = modelSummary(variantTree('ctrgcn_light'));
    expect([light.trainable, light.bnBuffers, light.persistable, light.tensors]).toEqual(COUNTS.ctrgcn_light);
    expect(light.macsPerSample / 1e9).toBeCloseTo(1.16, 2);
  });

  it('per-block table matches spec §8', () => {
    const rows = (m: VariantName) => modelSummary(variantTree(m)).blocks.map((b) => [b.name, b.trainable, b.bnBuffers]);
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
    // CTRGCNLite: CTRGCN's l1–l9 (same counts) and an Identity for l10.
    const lite = modelSummary(variantTree('ctrgcn_lite')).blocks;
    expect(lite.find((b) => b.name === 'l10')).toMatchObject({ kind: 'Identity', trainable: 0, macs: 0 });
    expect(lite.find((b) => b.name === 'l9')?.trainable).toBe(382_228);
  });

  it.each(shippedVariants())('`model summary -c <%s recipe> --json` prints the golden counts', async (v) => {
    const j = await cli(['model', 'summary', '-c', backboneEntry(v).shipped!.recipe, '--json']);
    expect(j.code).toBe(0);
    const s = JSON.parse(j.out) as { trainable: number; bnBuffers: number; persistable: number; tensors: number };
    expect([s.trainable, s.bnBuffers, s.persistable, s.tensors]).toEqual(COUNTS[v]);
    // --model NAME is the shorthand for the same recipe.
    expect(JSON.parse((await cli(['model', 'summary', '--model', v, '--json'])).out)).toEqual(
      JSON.parse(j.out.replace(backboneEntry(v).shipped!.recipe, shippedRecipe(v))),
    );
  });

  it('CTRGCNLite with remove_l9 (golden README): 682,216 trainable, 689,108 persistable', async () => {
    const j = await cli([
      'model',
      'summary',
      '-c',
      'configs/ctrgcn_lite_ntucs_joint.yaml',
      '--override',
      'MODEL.backbone.remove_l9=True',
      '--json',
    ]);
    expect(j.code).toBe(0);
    const s = JSON.parse(j.out) as { trainable: number; persistable: number; customised: string[] };
    expect([s.trainable, s.persistable]).toEqual([682_216, 689_108]);
    expect(s.customised).toEqual(['removed [l9, l10]']);
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
    // spec §8: light layout at base 64 through the legacy shorthand.
    const l64 = JSON.parse(
      (await cli(['model', 'summary', '--model', 'ctrgcn_light', '--base-channel', '64', '--json'])).out,
    );
    expect([l64.trainable, l64.persistable]).toEqual([1_161_808, 1_169_724]);
    const odd = await cli(['model', 'summary', '--model', 'ctrgcn_light', '--base-channel', '62']);
    expect(odd.code).toBe(2);
  });
});
