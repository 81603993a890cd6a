import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { initBackend } from '../util/backend.js';
import { PickleSecurityError, unpickle } from '../util/pickle.js';
import { createModel } from './ctrgcn.js';
import { variantTree } from './variants.js';
import { readSafetensors } from './safetensors.js';
import {
  StateDictMismatchError,
  inferTree,
  loadStateDict,
  readWeightsFile,
  serializePdparams,
  stateDict,
  writePdparams,
  writeSafetensors,
  WeightsFormatError,
} from './weights.js';
import { sharedPath } from '../util/shared-data.test-util.js';

const FIXTURE = sharedPath('fixtures/paddlevideo/ctrgcn_light_joint_epoch_00001.pdparams');
const GOLDEN_LIGHT = sharedPath('golden/ctrgcn_light_paddle_epoch1_example/weights.safetensors');
let tmp: string;

beforeAll(async () => {
  await initBackend();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-weights-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sameData = (a: Float32Array, b: Float32Array) => bytesOf(a).equals(bytesOf(b));

/** A protocol-2 pickle calling os.system("echo pwned"). */
function evilPickle(): Buffer {
  const cmd = Buffer.from('echo pwned');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(cmd.length);
  return Buffer.concat([
    Buffer.from('\x80\x02cos\nsystem\n', 'latin1'),
    Buffer.from('X'),
    len,
    cmd,
    Buffer.from('\x85R.', 'latin1'),
  ]);
}

describe('weights I/O', () => {
  it('rejects a malicious .pdparams with a named error before running anything', () => {
    const f = path.join(tmp, 'evil.pdparams');
    fs.writeFileSync(f, evilPickle());
    expect(() => readWeightsFile(f)).toThrow(PickleSecurityError);
    try {
      readWeightsFile(f);
    } catch (e) {
      expect((e as Error).name).toBe('PickleSecurityError');
      expect((e as Error).message).toContain('os');
    }
  });

  it('tells the format by content, not by extension', () => {
    const model = createModel(variantTree('ctrgcn_light'), { seed: 3 });
    try {
      const sd = stateDict(model);
      const a = path.join(tmp, 'really-safetensors.pdparams');
      const b = path.join(tmp, 'really-pickle.safetensors');
      writeSafetensors(a, sd);
      fs.writeFileSync(b, serializePdparams(sd));
      for (const f of [a, b]) {
        const back = readWeightsFile(f);
        expect([...back.keys()].sort()).toEqual([...sd.keys()].sort());
        for (const [k, t] of sd) expect(sameData(back.get(k)!.data, t.data), k).toBe(true);
      }
      const junk = path.join(tmp, 'junk.pdparams');
      fs.writeFileSync(junk, 'hello');
      expect(() => readWeightsFile(junk)).toThrow(WeightsFormatError);
    } finally {
      model.dispose();
    }
  });

  it('writes Paddle-compatible .pdparams (dict + StructuredToParameterName@@ as in the real checkpoint)', () => {
    const orig = unpickle(fs.readFileSync(FIXTURE), FIXTURE) as Record<string, unknown>;
    const map = readWeightsFile(FIXTURE);
    expect(inferTree(map)?.variant).toBe('ctrgcn_light');
    const out = path.join(tmp, 'CTRGCN_light_joint_epoch_00001.pdparams');
    writePdparams(out, map);
    const back = unpickle(fs.readFileSync(out), out) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(Object.keys(orig));
    expect(back['StructuredToParameterName@@']).toEqual(orig['StructuredToParameterName@@']);
    const again = readWeightsFile(out);
    for (const [k, t] of map) expect(sameData(again.get(k)!.data, t.data), k).toBe(true);
  });

  it('strict load lists missing, unexpected and mis-shaped tensors', () => {
    const model = createModel(variantTree('ctrgcn_light'));
    try {
      const sd = stateDict(model);
      sd.delete('backbone.l1.gcn1.PA');
      sd.set('backbone.l2.gcn1.PA', { shape: [3, 25, 25], data: new Float32Array(1875) });
      sd.set('head.fc.bias', { shape: [61], data: new Float32Array(61) });
      let err: unknown;
      try {
        loadStateDict(model, sd, { strict: true, source: 'x.pdparams' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StateDictMismatchError);
      const r = (err as StateDictMismatchError).report;
      expect(r.missing).toEqual(['backbone.l1.gcn1.PA']);
      expect(r.unexpected).toEqual(['backbone.l2.gcn1.PA']);
      expect(r.shapeMismatch).toEqual(['head.fc.bias: file [61] vs model [60]']);
      expect((err as Error).message).toMatch(/x\.pdparams.*1 missing: backbone\.l1\.gcn1\.PA/);
      const partial = loadStateDict(model, sd, { strict: false });
      expect(partial.loaded).toBe(539);
    } finally {
      model.dispose();
    }
  });

  it('state dict round-trips through a model in spec §9 order', () => {
    const a = createModel(variantTree('ctrgcn'), { seed: 5 });
    const b = createModel(variantTree('ctrgcn'), { seed: 6 });
    try {
      const sd = stateDict(a);
      expect([...sd.keys()]).toEqual(a.specs.map((s) => s.name));
      loadStateDict(b, sd);
      const sb = stateDict(b);
      for (const [k, t] of sd) expect(sameData(sb.get(k)!.data, t.data), k).toBe(true);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('CLI: weights convert .pdparams → .safetensors, strict against the layout', async () => {
    const out = path.join(tmp, 'light.safetensors');
    expect(await main(['weights', 'convert', '--model', 'ctrgcn_light', '--in', FIXTURE, '--out', out])).toBe(0);
    const got = readSafetensors(out);
    const want = readSafetensors(GOLDEN_LIGHT);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [k, t] of want) expect(sameData(got.get(k)!.data, t.data), k).toBe(true);
    // Wrong model: a strict mismatch, exit code 1 with a named error code.
    const errs: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = (s: string) => (errs.push(String(s)), true);
    try {
      expect(
        await main([
          'weights',
          'convert',
          '--model',
          'ctrgcn',
          '--in',
          FIXTURE,
          '--out',
          path.join(tmp, 'x.safetensors'),
        ]),
      ).toBe(1);
    } finally {
      process.stderr.write = orig;
    }
    expect(errs.join('')).toContain('E_WEIGHTS_MISMATCH');
  });
});
