import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/in-process.test-util.js';
import { writeNpy } from '../data/npy.js';
import { exportModel } from '../export/export-model.js';
import { RECORDS_ENV, recordsOf } from '../contracts/index.js';
import { checkRecords, RECORDS_OK } from '../contracts/records.test-util.js';
import { parseLatencyLog } from '../tipc/evidence/paddlevideo-logs.js';
import { cudaAvailable } from './session.js';
import { sharedPath } from '../util/shared-data.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'predict-'));
const CONFIG = path.resolve(import.meta.dirname, '../../configs/ctrgcn_light_ntucs_joint.yaml');
const EXAMPLE = sharedPath('fixtures/paddlevideo/example_NTU-RGB-D_sketeton.npy');
const PDPARAMS = sharedPath('fixtures/paddlevideo/ctrgcn_light_joint_epoch_00001.pdparams');
const MODEL = path.join(tmp, 'inference.onnx');
const GT = JSON.parse(
  fs.readFileSync(sharedPath('golden/ctrgcn_light_paddle_epoch1_example/probs_top1.json'), 'utf8'),
)[0] as { class: number; score: number };

const cli = runCli;

beforeAll(async () => {
  await exportModel({ config: CONFIG, weights: PDPARAMS, outDir: tmp, saveName: 'inference', precision: 'fp32' });
});
afterEach(() => vi.restoreAllMocks());

const base = ['predict', '--config', CONFIG, '--model_file', MODEL];

describe('ctrgcn predict', () => {
  it('prints the golden top-1 class and score for the real checkpoint on the example', async () => {
    const r = await cli([...base, '--input_file', EXAMPLE, '--use_gpu=False', '--cpu_threads', '1']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Inference model(CTRGCN_light_joint)...');
    expect(lines[1]).toBe(`Current video file: ${EXAMPLE}`);
    expect(lines[2]).toBe(`\ttop-1 class: ${GT.class}`);
    const m = /^\ttop-1 score: (\d+\.\d+)$/.exec(lines[3]);
    expect(m).not.toBeNull();
    expect(m![1].replace(/^0\.0*/, '').length).toBeGreaterThanOrEqual(7);
    expect(Math.abs(Number(m![1]) - GT.score)).toBeLessThanOrEqual(1e-4);
  });

  it('benchmark mode: results still printed, auto_log report, schema-checked JSON', async () => {
    const json = path.join(tmp, 'bench.json');
    const records = path.join(tmp, 'bench.records.jsonl');
    vi.stubEnv(RECORDS_ENV, records);
    const r = await cli([
      ...base,
      '-i',
      EXAMPLE,
      '--use_gpu',
      'False',
      '--enable_benchmark',
      'True',
      '--benchmark_json',
      json,
      '--cpu_threads=1',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^Current video file: /gm)).toHaveLength(15);
    expect(r.stdout).toMatch(
      /^\[\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\] root INFO: {2}preprocess_time\(ms\): [\d.]+, inference_time\(ms\): [\d.]+, postprocess_time\(ms\): [\d.]+$/m,
    );
    for (const s of ['Env info', 'runtime info', 'Conf info', 'Model info', 'Data info', 'Perf info'])
      expect(r.stdout).toContain(` ${s} `);
    const parsed = parseLatencyLog(r.stdout);
    expect(parsed).toMatchObject({ dataNum: 15, batchSize: 1, precision: 'fp32', device: 'cpu' });
    const rep = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(rep).toMatchObject({
      model_name: 'CTRGCN_light_joint',
      precision: 'fp32',
      batch_size: 1,
      cpu_threads: 1,
      warmup: 3,
      batches: 12,
      data_num: 15,
      provider: 'cpu',
      rss_kind: 'peak',
    });
    for (const k of ['preprocess_ms', 'inference_ms', 'postprocess_ms'])
      expect(Object.keys(rep[k])).toEqual(['mean', 'p50', 'p90', 'p99', 'p50_ci', 'p90_ci']);
    expect(rep.rss_mb).toBeGreaterThan(0);
    // The same report reaches a driver as chain records (parsed and validated by src/contracts),
    // with the top-1 of every input.
    vi.unstubAllEnvs();
    const parsed2 = checkRecords(records, ['latency', 'predict']);
    expect(parsed2).toMatchObject(RECORDS_OK);
    const [lat] = recordsOf(parsed2.records, 'latency');
    expect(lat).toEqual(rep);
    expect(lat.inference_ms.p50_ci[0]).toBeLessThanOrEqual(lat.inference_ms.p50);
    expect(lat.inference_ms.p50_ci[1]).toBeGreaterThanOrEqual(lat.inference_ms.p50);
    const [pred] = recordsOf(parsed2.records, 'predict');
    expect(pred.results).toHaveLength(15);
    expect(pred.results[0]).toMatchObject({ file: EXAMPLE, classes: [GT.class] });
  });

  it('list file with batches of 2; too few batches for a benchmark is an error', async () => {
    const list = path.join(tmp, 'list.txt');
    fs.writeFileSync(list, `${EXAMPLE}\n${EXAMPLE}\n${EXAMPLE}\n`);
    const r = await cli([...base, '-i', list, '--time_test_file=True', '--use_gpu=False', '-b', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/top-1 class: 58/g)).toHaveLength(3);
    const b = await cli([...base, '-i', list, '--time_test_file=True', '--use_gpu=False', '--enable_benchmark=True']);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toContain('[E_TOO_FEW_BATCHES]');
  });

  it('--use_gpu defaults to auto: the CPU with a one-line note where the runtime has no CUDA', async () => {
    const auto = await cli([...base, '-i', EXAMPLE]);
    expect(auto.code).toBe(0);
    expect(auto.stdout).toContain(`\ttop-1 class: ${GT.class}`);
    if (cudaAvailable()) expect(auto.stderr).not.toContain('note: --use_gpu auto');
    else
      expect(auto.stderr).toBe(
        'note: --use_gpu auto: no CUDA execution provider in this onnxruntime build; running on the CPU (pass --use_gpu=False to silence this note)\n',
      );
    const cpu = await cli([...base, '-i', EXAMPLE, '--use_gpu=False']);
    expect(cpu.stderr).toBe('');
    const loose = await cli([...base, '-i', EXAMPLE, '--use_gpu', 'gpu']);
    expect(loose.code).toBe(2);
    expect(loose.stderr).toMatch(/--use_gpu expects True or False or auto .*got "gpu"/);
  });

  it('named errors: GPU requested, missing/corrupt model, wrong shape, empty list', async () => {
    const gpu = await cli([...base, '-i', EXAMPLE, '--use_gpu=True']);
    if (cudaAvailable()) expect(gpu.code).toBe(0);
    else {
      expect(gpu.code).not.toBe(0);
      expect(gpu.stderr).toContain('[E_GPU_UNAVAILABLE]');
    }

    const missing = await cli([
      'predict',
      '-c',
      CONFIG,
      '--model_file',
      path.join(tmp, 'nope.onnx'),
      '-i',
      EXAMPLE,
      '--use_gpu=False',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('[E_MODEL_MISSING]');

    const corrupt = path.join(tmp, 'corrupt.onnx');
    fs.writeFileSync(corrupt, fs.readFileSync(MODEL).subarray(0, 5000));
    const bad = await cli(['predict', '-c', CONFIG, '--model_file', corrupt, '-i', EXAMPLE, '--use_gpu=False']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('[E_MODEL_LOAD]');

    const wrong = path.join(tmp, 'wrong.npy');
    writeNpy(wrong, '<f4', [3, 10, 24, 2], new Float32Array(3 * 10 * 24 * 2));
    const ws = await cli([...base, '-i', wrong, '--use_gpu=False']);
    expect(ws.code).not.toBe(0);
    expect(ws.stderr).toContain('[E_INPUT_SHAPE]');

    const empty = path.join(tmp, 'empty.txt');
    fs.writeFileSync(empty, '\n');
    const es = await cli([...base, '-i', empty, '--time_test_file', 'True', '--use_gpu=False']);
    expect(es.code).not.toBe(0);
    expect(es.stderr).toContain('[E_INPUT_EMPTY]');
  });

  it('warns when --precision differs from the exported precision', async () => {
    const r = await cli([...base, '-i', EXAMPLE, '--use_gpu=False', '--precision', 'int8']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --precision int8 .* fp32/);
  });
});

describe('ctrgcn predict with TIPC names', () => {
  it('maps inference.pdmodel to the inference.onnx next to it', async () => {
    const r = await cli([
      'predict',
      '-c',
      CONFIG,
      '--model_file',
      path.join(tmp, 'inference.pdmodel'),
      '--params_file',
      path.join(tmp, 'inference.pdiparams'),
      '-i',
      EXAMPLE,
      '--use_gpu=False',
      '--enable_mkldnn=False',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('using the ONNX export');
    expect(r.stdout).toContain(`\ttop-1 class: ${GT.class}`);
  });
});

describe('ctrgcn predict input forms', () => {
  it('accepts a sample saved with its batch axis (1, 3, T, 25, 2)', async () => {
    const one = sharedPath('golden/ctrgcn_light_paddle_epoch1_example/input.npy');
    const r = await cli([...base, '-i', one, '--use_gpu=False']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\ttop-1 class: \d+\n\ttop-1 score: \d+\.\d+\n$/);
  });
});
