import { describe, expect, it } from 'vitest';
import type { ChainRecord } from '../../contracts/index.js';
import { recordsGates } from './records.js';
import { chainData, evidence, gatesCfg, step } from './evidence.test-util.js';

const s = step({ id: 0, kind: 'train' });
const rec = { v: 1, kind: 'val' } as unknown as ChainRecord;
const run = (records: 'required' | 'optional', data = chainData({ 0: [rec] })) =>
  recordsGates(evidence({ results: [s], data, chain: { records } }), gatesCfg());

describe('records gate', () => {
  it('required: valid records pass; a problem fails; passed steps with no record at all fail', () => {
    expect(run('required')[0].status).toBe('pass');
    expect(run('required', chainData({ 0: [rec] }, ['x wrote no records file']))[0].status).toBe('fail');
    expect(run('required', chainData({ 0: [] }))[0]).toMatchObject({ status: 'fail', value: 0 });
  });
  it('optional: no gate unless a records file is malformed', () => {
    expect(run('optional')).toEqual([]);
    expect(run('optional', chainData({}, ['bad line']))[0].status).toBe('fail');
  });
});
