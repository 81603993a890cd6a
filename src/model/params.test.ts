import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeLayout } from './layout.js';
import { paramSpecs } from './params.js';

const count = (specs: ReturnType<typeof paramSpecs>, trainable?: boolean) =>
  specs.filter((s) => trainable === undefined || s.trainable === trainable).reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);

describe('paramSpecs', () => {
  it('counts match spec §8', () => {
    const full = paramSpecs(makeLayout('ctrgcn'));
    expect([count(full, true), count(full), full.length]).toEqual([1_446_672, 1_456_380, 736]);
    const light = paramSpecs(makeLayout('ctrgcn_light'));
    expect([count(light, true), count(light), light.length]).toEqual([1_024_110, 1_031_550, 541]);
  });
  it('tmp: matches fixture keys', () => {
    const want = JSON.parse(fs.readFileSync('/tmp/light_keys.json', 'utf8')) as Array<[string, number[], string]>;
    const got = paramSpecs(makeLayout('ctrgcn_light')).map((s) => [s.name, s.shape, s.internalName]);
    expect(got).toEqual(want);
  });
});
