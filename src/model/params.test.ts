import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unpickle, isNdarray } from '../util/pickle.js';
import { makeLayout } from './layout.js';
import { paramSpecs } from './params.js';

const count = (specs: ReturnType<typeof paramSpecs>, trainable?: boolean) =>
  specs
    .filter((s) => trainable === undefined || s.trainable === trainable)
    .reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);

const FIXTURE = path.resolve(process.cwd(), '../shared/fixtures/paddlevideo/ctrgcn_light_joint_epoch_00001.pdparams');

describe('paramSpecs', () => {
  it('counts match spec §8', () => {
    const full = paramSpecs(makeLayout('ctrgcn'));
    expect([count(full, true), count(full), full.length]).toEqual([1_446_672, 1_456_380, 736]);
    const light = paramSpecs(makeLayout('ctrgcn_light'));
    expect([count(light, true), count(light), light.length]).toEqual([1_024_110, 1_031_550, 541]);
    const full60 = paramSpecs(makeLayout('ctrgcn', 60));
    expect([count(full60, true), count(full60)]).toEqual([1_274_950, 1_284_070]);
    const light64 = paramSpecs(makeLayout('ctrgcn_light', 64));
    expect([count(light64, true), count(light64)]).toEqual([1_161_808, 1_169_724]);
  });

  it('names the spec §9 examples', () => {
    const light = new Map(paramSpecs(makeLayout('ctrgcn_light')).map((s) => [s.name, s]));
    expect(light.get('backbone.l1.gcn1.convs.0.conv1.weight')?.shape).toEqual([8, 3, 1, 1]);
    expect(light.get('backbone.l1.tcn1.branches.0.3.conv.weight')?.shape).toEqual([15, 15, 5, 1]);
    expect(light.get('backbone.l5.residual.conv.weight')?.shape).toEqual([120, 60, 1, 1]);
    expect(light.get('head.fc.weight')?.shape).toEqual([240, 60]);
    expect(light.has('backbone.l1.gcn1.down.0.bias')).toBe(false);
    const full = new Map(paramSpecs(makeLayout('ctrgcn')).map((s) => [s.name, s]));
    expect(full.has('backbone.l1.gcn1.down.0.bias')).toBe(true);
    expect(full.get('backbone.data_bn._mean')?.internalName).toBe('batch_norm1d_0.w_1');
    expect(full.get('backbone.l1.gcn1.PA')?.internalName).toBe('create_parameter_0.w_0');
    expect(full.get('head.fc.bias')?.internalName).toBe('linear_0.b_0');
  });

  it.skipIf(!fs.existsSync(FIXTURE))('reproduces the real checkpoint: key order, shapes and internal names', () => {
    const d = unpickle(fs.readFileSync(FIXTURE), FIXTURE) as Record<string, unknown>;
    const table = d['StructuredToParameterName@@'] as Record<string, string>;
    const want = Object.entries(d)
      .filter(([, v]) => isNdarray(v))
      .map(([k, v]) => [k, (v as { shape: number[] }).shape, table[k]]);
    const got = paramSpecs(makeLayout('ctrgcn_light')).map((s) => [s.name, s.shape, s.internalName]);
    expect(got).toEqual(want);
  });
});
