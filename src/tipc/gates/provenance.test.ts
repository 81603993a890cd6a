import { describe, expect, it } from 'vitest';
import type { ChainRecord } from '../../contracts/index.js';
import type { Certified } from '../evidence/measure.js';
import { provenanceGates } from './provenance.js';
import { acc, chainData, evidence, gatesCfg, step, UNIT } from './evidence.test-util.js';

const H = (c: string) => c.repeat(64);
const exp = step({ id: 2, kind: 'export' });
const cert: Certified = {
  unit: UNIT,
  checkpoint: `${UNIT}/best.pdparams`,
  rule: 'best',
  reason: 'best validation top-1',
  sha256: H('a'),
  artifact: `${UNIT}/inference.onnx`,
  artifactSha256: H('b'),
};
const rec = (o: { source?: string; files?: Record<string, string> | null } = {}) =>
  ({
    v: 1,
    kind: 'export',
    dir: UNIT,
    files: { 'inference.onnx': 10 },
    source: { weights: 'w', sha256: o.source ?? H('a'), parameters: 1 },
    ...(o.files === null ? {} : { files_sha256: o.files ?? { 'inference.onnx': H('b') } }),
  }) as unknown as ChainRecord;
const run = (o: { rec?: ChainRecord | null; evaluated?: string | null; cert?: Partial<Certified> | null } = {}) =>
  provenanceGates(
    evidence({
      results: [exp],
      data: chainData(o.rec === null ? {} : { 2: [o.rec ?? rec()] }),
      ms: {
        certified: o.cert === null ? [] : [{ ...cert, ...o.cert }],
        accuracy: o.evaluated === null ? [] : [acc('fp32', 0.9, { sha256: o.evaluated ?? H('b') })],
      },
    }),
    gatesCfg(),
  )[0];

describe('provenance gate', () => {
  it('the evaluated file is the file the export wrote, exported from the selected checkpoint: pass', () => {
    expect(run()).toMatchObject({ status: 'pass', value: 'best' });
  });
  it('a missing hash fails: no export record, no recorded file hash, no evaluated hash, no checkpoint hash', () => {
    expect(run({ rec: null }).status).toBe('fail');
    expect(run({ rec: rec({ files: null }) }).detail).toMatch(/missing sha256/);
    expect(run({ rec: rec({ files: null }) }).status).toBe('fail');
    expect(run({ evaluated: '' }).status).toBe('fail');
    expect(run({ cert: { sha256: null } }).status).toBe('fail');
  });
  it('an evaluated file that is not the exported one fails', () => {
    const g = run({ evaluated: H('c') });
    expect(g.status).toBe('fail');
    expect(g.detail).toMatch(/is not the file .* wrote/);
  });
  it('an export of another checkpoint than the selected one fails', () => {
    expect(run({ rec: rec({ source: H('d') }) }).detail).toMatch(/not from the selected/);
  });
  it('nothing trained and nothing evaluated (whole_infer): no model is certified, no gate', () => {
    expect(run({ cert: null, evaluated: null })).toBeUndefined();
  });
});
