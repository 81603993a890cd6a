import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { RECORDS_ENV, recordsOf } from '../contracts/index.js';
import { checkRecords, RECORDS_OK } from '../contracts/records.test-util.js';
import { exportModel } from '../export/export-model.js';
import { FIXTURES } from '../export/golden.test-util.js';
import { writeTinySplit } from '../train/fixtures.test-util.js';
import { evaluateTop1, loadEvalSet } from './evaluate.js';
import { evaluateOnnx } from './onnx-eval.js';
import { createSession } from './session.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-eval-'));
const CONFIG = path.resolve(import.meta.dirname, '../../configs/ctrgcn_light_ntucs_joint.yaml');
const PDPARAMS = path.join(FIXTURES, 'ctrgcn_light_joint_epoch_00001.pdparams');
let split: { data: string; labels: string };

beforeAll(async () => {
  if (!fs.existsSync(PDPARAMS)) throw new Error(`missing ${PDPARAMS} (../shared/fixtures/paddlevideo)`);
  split = writeTinySplit(tmp, 'val', { count: 11, frames: 90, classes: 60, seed: 4, minValid: 40 });
  for (const precision of ['fp32', 'int8'] as const)
    await exportModel({
      config: CONFIG,
      weights: PDPARAMS,
      outDir: path.join(tmp, precision),
      saveName: 'inference',
      precision,
    });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('ONNX evaluation of an exported model', () => {
  it('streams batches and predicts exactly what the all-in-memory evaluation predicts', async () => {
    const model = path.join(tmp, 'fp32/inference.onnx');
    const r = await evaluateOnnx({
      model,
      dataFile: split.data,
      labelFile: split.labels,
      window: 64,
      p: 0.95,
      batchSize: 4,
    });
    expect(r.samples).toBe(11);
    expect(r.batches).toBe(3); // 4 + 4 + 3: the last partial batch is kept
    const { session } = await createSession(model);
    const ref = await evaluateTop1(
      session,
      loadEvalSet({ dataFile: split.data, labelFile: split.labels }, 64, 0.95),
      64,
      60,
      16,
    );
    await session.release();
    expect(r.predictions).toEqual([...ref.predictions]);
    expect(r.top1).toBeCloseTo(ref.top1, 12);
    expect(r.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.loss).toBeGreaterThan(0);
  });

  it('`ctrgcn eval --onnx` prints the PaddleVideo line and writes an eval record of the sidecar precision', async () => {
    const records = path.join(tmp, 'eval.records.jsonl');
    vi.stubEnv(RECORDS_ENV, records);
    let stdout = '';
    const o = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
    const model = path.join(tmp, 'int8/inference.onnx');
    let code: number;
    try {
      code = await main([
        'eval',
        '-c',
        CONFIG,
        '--onnx',
        model,
        '-o',
        `DATASET.test.file_path=${split.data}`,
        '-o',
        `DATASET.test.label_path=${split.labels}`,
      ]);
    } finally {
      o.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(code).toBe(0);
    expect(stdout).toMatch(/\[TEST\] finished, avg_acc1= [\d.]+, avg_acc5= [\d.]+/);
    const rc = checkRecords(records, ['eval']);
    expect(rc).toMatchObject(RECORDS_OK);
    const [ev] = recordsOf(rc.records, 'eval');
    expect(ev).toMatchObject({ source: 'onnx', precision: 'int8', model, samples: 11, data: split.data });
    expect(ev.predictions).toHaveLength(11);
    expect(fs.existsSync(path.join(tmp, 'int8/inference_eval.json'))).toBe(true);
  });

  it('refuses -w with --onnx and a data file whose labels do not match', async () => {
    const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['eval', '-c', CONFIG, '--onnx', 'x.onnx', '-w', 'y.pdparams'])).toBe(2);
    } finally {
      e.mockRestore();
    }
    const other = writeTinySplit(tmp, 'other', { count: 5, frames: 40, classes: 3, seed: 1 });
    await expect(
      evaluateOnnx({
        model: path.join(tmp, 'fp32/inference.onnx'),
        dataFile: split.data,
        labelFile: other.labels,
        window: 64,
        p: 0.95,
        batchSize: 4,
      }),
    ).rejects.toThrow(/5 labels for the 11 samples/);
  });
});
