import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChainRecord } from '../../contracts/index.js';
import { writeNpy } from '../../data/npy.js';
import type { StepResult } from '../plan/steps.js';
import { compareLogits, goldenGates } from './golden.js';
import { chainData, evidence, gatesCfg, step } from './evidence.test-util.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'golden-gate-'));
mkdirSync(path.join(root, 'gt'));
const GT = 'gt/python_ppvideo_M_results_fp32.txt';
const cell = step({ id: 4, kind: 'infer', log: 'out/python_infer_cpu_precision_fp32.log' });
const predict = (cls: number, score: number) =>
  ({ v: 1, kind: 'predict', results: [{ file: 'x.npy', classes: [cls], scores: [score] }] }) as unknown as ChainRecord;
const gt = (text: string | null) => {
  const f = path.join(root, GT);
  if (text === null) writeFileSync(f + '.absent', '');
  else writeFileSync(f, text);
};
const run = (o: { out?: ChainRecord; gtFile?: string | null } = {}) =>
  goldenGates(
    evidence({ results: [cell], cwd: root, data: chainData({ 4: [o.out ?? predict(58, 0.99881)] }) }),
    gatesCfg({ golden: { gtFile: o.gtFile === undefined ? GT : o.gtFile } }),
  )[0];
const GOOD = 'Current video file: x.npy\n        top-1 class: 58\n        top-1 score: 0.9988146\n';

describe('golden gate: GT file', () => {
  it('matching output passes; a changed class or a score beyond atol + rtol fails', () => {
    gt(GOOD);
    expect(run().status).toBe('pass');
    expect(run({ out: predict(57, 0.99881) }).detail).toMatch(/top-1 class expected 58, got 57/);
    expect(run({ out: predict(58, 0.996) }).status).toBe('fail');
  });
  it('an empty GT file, a video line only, or a class without its score fails (nothing to compare is no pass)', () => {
    const top2ClassOnly = `${GOOD}        top-2 class: 57\n`;
    for (const text of [
      '',
      'Current video file: x.npy\n',
      'Current video file: x.npy\n        top-1 class: 58\n',
      top2ClassOnly,
    ]) {
      gt(text);
      const g = run();
      expect(g.status, JSON.stringify(text)).toBe('fail');
      expect(g.detail).toMatch(/no usable fp32 GT file/);
    }
  });
  it('a GT value or an output that is not a number fails', () => {
    gt('        top-1 class: 58\n        top-1 score: nan\n');
    expect(run().status).toBe('fail');
    gt(GOOD);
    expect(run({ out: predict(58, NaN) }).status).toBe('fail');
  });
  it('no GT file configured: not-set; configured but missing: fail', () => {
    expect(run({ gtFile: null }).status).toBe('not-set');
    expect(run({ gtFile: 'gt/python_ppvideo_missing_fp32.txt' }).status).toBe('fail');
  });
});

describe('golden gate: logits', () => {
  const L = (data: number[]) => ({ shape: [1, data.length], data: Float32Array.from(data) });
  it('element-wise within atol + rtol·|expected|, both sides of the boundary', () => {
    const e = 2 ** -14; // exact in float32
    expect(compareLogits(L([0.5 + e, -5]), L([0.5, -5]), e, 0).pass).toBe(true);
    expect(compareLogits(L([0.5 + 2 * e, -5]), L([0.5, -5]), e, 0).pass).toBe(false);
    expect(compareLogits(L([10.0009, -5]), L([10, -5]), 1e-4, 1e-4).pass).toBe(true);
    expect(compareLogits(L([10.0012, -5]), L([10, -5]), 1e-4, 1e-4).pass).toBe(false);
  });
  it('NaN / ±Inf, a shape mismatch, nothing to compare: fail', () => {
    expect(compareLogits(L([NaN, 1]), L([1, 1]), 1, 1).pass).toBe(false);
    expect(compareLogits(L([1, Infinity]), L([1, 1]), 1, 1).pass).toBe(false);
    expect(compareLogits(L([1, 1]), L([1, 1, 1]), 1, 1).pass).toBe(false);
    expect(compareLogits(L([]), L([]), 1, 1).pass).toBe(false);
  });
  const logitsStep = (over: Partial<StepResult> = {}) =>
    step({
      id: 9,
      kind: 'infer',
      origin: 'runner',
      role: 'golden-logits',
      argv: ['node', 'x', `--out=out.npy`],
      ...over,
    });
  const runL = (results: StepResult[], expected = 'want.npy') =>
    goldenGates(
      evidence({ results, cwd: root, chain: { logits: 'bin/ctrgcn.js logits' } }),
      gatesCfg({ golden: { gtFile: GT, logits: { input: 'in.npy', expected, atol: 1e-4, rtol: 0 } } }),
    ).find((g) => g.name === 'golden[logits]')!;
  it('from the logits step’s .npy: pass, a 1e-3 change fails, a truncated or missing file fails', () => {
    writeNpy(path.join(root, 'want.npy'), '<f4', [1, 3], Float32Array.from([1, 2, 48.5]));
    writeNpy(path.join(root, 'out.npy'), '<f4', [1, 3], Float32Array.from([1, 2, 48.50002]));
    expect(runL([logitsStep()]).status).toBe('pass');
    writeNpy(path.join(root, 'out.npy'), '<f4', [1, 3], Float32Array.from([1, 2, 48.5 * 1.00002 + 1e-3]));
    expect(runL([logitsStep()]).status).toBe('fail');
    writeFileSync(path.join(root, 'trunc.npy'), Buffer.from('\x93NUMPY\x01\x00'));
    expect(runL([logitsStep()], 'trunc.npy').status).toBe('fail');
    expect(runL([logitsStep()], 'none.npy').status).toBe('fail');
    expect(runL([logitsStep({ status: 'fail' })]).status).toBe('fail');
    expect(runL([]).detail).toMatch(/no logits step ran/);
  });
});
