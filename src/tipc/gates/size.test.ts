import { describe, expect, it } from 'vitest';
import type { RecordOf } from '../../contracts/index.js';
import type { SizeMeasure } from '../evidence/measure.js';
import { sizeGates } from './size.js';
import { chainData, evidence, gatesCfg, step, UNIT } from './evidence.test-util.js';

const exp = step({ id: 2, kind: 'export' });
const sm = (bytes: number, files: Record<string, number> = { 'inference.onnx': bytes }): SizeMeasure => ({
  unit: UNIT,
  role: 'driver',
  precision: 'fp32',
  dir: UNIT,
  files,
  totalBytes: bytes,
});
const run = (sizes: SizeMeasure[], o: { results?: ReturnType<typeof step>[]; maxBytes?: number; rec?: object } = {}) =>
  sizeGates(
    evidence({
      results: o.results ?? [exp],
      ms: { sizes },
      data: o.rec ? chainData({ 2: [o.rec as RecordOf<'export'>] }) : chainData(),
    }),
    gatesCfg({ size: { maxBytes: o.maxBytes ?? 1000 } }),
  );

describe('size gate', () => {
  it('no evidence: an export that failed or left no artifact fails', () => {
    expect(run([], { results: [{ ...exp, status: 'fail' }] })[0]).toMatchObject({ status: 'fail', value: null });
    expect(run([])[0].detail).toMatch(/no file matching inference\.\* in/);
  });
  it('an empty artifact (0 B) is not a model', () => {
    expect(run([sm(0)])[0]).toMatchObject({ status: 'fail', value: 0 });
  });
  it('both sides of the budget', () => {
    expect(run([sm(1000)])[0].status).toBe('pass');
    expect(run([sm(1001)])[0].status).toBe('fail');
  });
  it('a non-finite budget fails (a YAML .inf is no budget)', () => {
    expect(run([sm(10)], { maxBytes: Infinity })[0].status).toBe('fail');
  });
  it('the export record disagreeing with the disk fails', () => {
    const rec = { v: 1, kind: 'export', files: { 'inference.onnx': 999 } };
    const g = run([sm(1000)], { rec })[0];
    expect(g.status).toBe('fail');
    expect(g.detail).toMatch(/inference\.onnx 999 B recorded/);
  });
});
