import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  codec,
  emitRecord,
  makeCodec,
  makeRecord,
  parseRecords,
  readRecordsFile,
  RECORD_SCHEMAS,
  RECORDS_ENV,
  RecordWriter,
  type RecordKind,
} from './index.js';
import { brokenSchemas, checkRecords, RECORDS_OK } from './records.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'records-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const stage = {
  mean: 2,
  p50: 2,
  p90: 3,
  p99: 4,
  p50_ci: [1.9, 2.1] as [number, number],
  p90_ci: [2.8, 3.5] as [number, number],
};
const sha = 'a'.repeat(64);

/** One valid record of every kind (what each producer writes). */
const SAMPLES = {
  train_step: makeRecord('train_step', {
    epoch: 1,
    iter: 0,
    global_step: 1,
    loss: 2.3,
    lr: 0.1,
    top1: 0.5,
    top5: 1,
    batch_cost: 0.2,
    reader_cost: 0.01,
    ips: 80,
    rss_mb: 900,
    peak_rss_mb: 950,
  }),
  train_epoch: makeRecord('train_epoch', {
    epoch: 1,
    epochs: 2,
    steps: 30,
    loss_avg: 2,
    top1_avg: 0.4,
    top5_avg: 0.9,
    avg_batch_cost: 0.2,
    avg_reader_cost: 0.01,
    batch_cost_sum: 6,
    avg_ips: 80,
  }),
  val: makeRecord('val', {
    epoch: 1,
    global_step: 30,
    loss: null,
    top1: 0.6,
    top5: 0.9,
    top1_batch_mean: 0.61,
    top5_batch_mean: 0.9,
    samples: 300,
    rss_mb: 900,
  }),
  checkpoint: makeRecord('checkpoint', {
    epoch: 1,
    global_step: 30,
    tag: 'epoch_00001',
    file: 'o/m_epoch_00001.pdparams',
  }),
  selected: makeRecord('selected', {
    rule: 'best',
    file: 'o/m_best.pdparams',
    alias: 'o/m_selected.pdparams',
    epoch: 2,
    val_top1: 0.88,
    sha256: sha,
    reason: 'best validation top-1',
  }),
  train_end: makeRecord('train_end', {
    model_name: 'm',
    epochs: 2,
    steps: 60,
    wall_s: 100,
    mean_step_s: 1.6,
    samples_per_s: 10,
    peak_rss_mb: 950,
    last_val_top1: 0.88,
    best_val_top1: 0.88,
  }),
  eval: makeRecord('eval', {
    source: 'onnx',
    model_name: 'm',
    model: 'o/inference.onnx',
    model_sha256: sha,
    precision: 'int8',
    runtime: 'onnxruntime-node',
    data: 'val_data.npy',
    labels: 'val_label.pkl',
    samples: 3,
    batches: 1,
    batch_size: 16,
    top1: 2 / 3,
    top5: 1,
    top1_batch_mean: 2 / 3,
    top5_batch_mean: 1,
    loss: 0.7,
    predictions: [1, 0, 4],
    wall_s: 1,
  }),
  export: makeRecord('export', {
    model_name: 'm',
    precision: 'fp16',
    dir: 'o/fp16',
    files: { 'inference.onnx': 100, 'inference.json': 10 },
    total_bytes: 110,
    source: { weights: 'o/m_selected.pdparams', sha256: sha, parameters: 1000 },
    nodes: 200,
  }),
  latency: makeRecord('latency', {
    model_name: 'm',
    model_file: 'o/inference.onnx',
    precision: 'fp32',
    provider: 'cpu',
    batch_size: 1,
    cpu_threads: 1,
    warmup: 3,
    batches: 139,
    data_num: 142,
    confidence: 0.95,
    ci_exact: true,
    preprocess_ms: stage,
    inference_ms: stage,
    postprocess_ms: stage,
    total_s: 1,
    rss_mb: 200,
    rss_kind: 'peak',
    runtime: 'onnxruntime-node',
    input_shape: [1, 3, 64, 25, 2],
    flags: {},
    created: '2026-01-01T00:00:00Z',
  }),
  predict: makeRecord('predict', {
    model_name: 'm',
    model_file: 'o/inference.onnx',
    precision: 'fp32',
    batch_size: 1,
    benchmark: false,
    results: [{ file: 'x.npy', classes: [58], scores: [0.68] }],
  }),
} satisfies Record<RecordKind, unknown>;

describe('chain records', () => {
  it('every kind has a schema and a valid sample that round-trips through the writer and parser', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(RECORD_SCHEMAS).sort());
    const f = path.join(tmp, 'all.jsonl');
    const w = new RecordWriter([f], {});
    for (const r of Object.values(SAMPLES)) w.append(r);
    w.close();
    const parsed = readRecordsFile(f)!;
    expect(parsed.problems).toEqual([]);
    expect(parsed.records).toEqual(Object.values(SAMPLES));
    expect(checkRecords(f, Object.keys(SAMPLES) as RecordKind[])).toMatchObject(RECORDS_OK);
  });

  it('producers cannot write an invalid record: wrong field, missing field, NaN', () => {
    expect(() => makeRecord('eval', { ...SAMPLES.eval, top1: 1.5 })).toThrow(
      /E_RECORD_INVALID|eval: \/top1 must be <= 1/,
    );
    const { loss: _l, ...noLoss } = SAMPLES.train_step;
    expect(() => makeRecord('train_step', noLoss as never)).toThrow(/must have required property 'loss'/);
    expect(() => makeRecord('train_step', { ...SAMPLES.train_step, loss: NaN })).toThrow(/loss must be number/);
    expect(() => makeRecord('predict', { ...SAMPLES.predict, extra: 1 } as never)).toThrow(
      /additional properties \(extra\)/,
    );
  });

  it('the parser names every bad line and never skips one silently', () => {
    const text = [
      JSON.stringify(SAMPLES.val),
      '{not json',
      JSON.stringify({ ...SAMPLES.val, v: 2 }),
      JSON.stringify({ ...SAMPLES.val, kind: 'mystery' }),
      JSON.stringify({ ...SAMPLES.val, top1: 'high' }),
      '',
      JSON.stringify(SAMPLES.checkpoint).slice(0, 20),
    ].join('\n');
    const { records, problems } = parseRecords(text, 'r.jsonl');
    expect(records).toEqual([SAMPLES.val]);
    expect(problems).toEqual([
      expect.stringMatching(/^r\.jsonl:2: not JSON/),
      'r.jsonl:3: record format v2, this reader understands v1',
      expect.stringMatching(/^r\.jsonl:4: unknown record kind "mystery"/),
      'r.jsonl:5: val: /top1 must be number',
      'r.jsonl:7: truncated last line',
    ]);
    expect(readRecordsFile(path.join(tmp, 'absent.jsonl'))).toBeNull();
  });

  it('a format changed in its one definition rejects what every producer writes', () => {
    for (const [kind, sample] of Object.entries(SAMPLES) as [RecordKind, object][]) {
      expect(codec.check(sample)).toEqual([]);
      const broken = makeCodec(brokenSchemas(kind)).check(sample);
      expect(broken.join(' '), kind).toMatch(/must have required property '\w+_renamed'/);
    }
  });

  it('commands append to the file a driver names in TIPC_RECORDS (and only then)', () => {
    const f = path.join(tmp, 'env.jsonl');
    const prev = process.env[RECORDS_ENV];
    process.env[RECORDS_ENV] = f;
    try {
      emitRecord('checkpoint', { epoch: 2, global_step: 60, tag: 'epoch_00002', file: 'x' });
      emitRecord('checkpoint', { epoch: 3, global_step: 90, tag: 'epoch_00003', file: 'y' });
    } finally {
      if (prev === undefined) delete process.env[RECORDS_ENV];
      else process.env[RECORDS_ENV] = prev;
    }
    expect(readRecordsFile(f)!.records.map((r) => (r as { epoch: number }).epoch)).toEqual([2, 3]);
    expect(new RecordWriter([], {}).active).toBe(false);
    // a new training run starts its own file empty; the driver's file is only appended to
    const own = path.join(tmp, 'metrics.jsonl');
    fs.writeFileSync(own, 'stale line of an earlier run\n');
    const w = new RecordWriter([own], { [RECORDS_ENV]: f }, { truncate: true });
    w.append(SAMPLES.checkpoint);
    w.close();
    expect(readRecordsFile(own)).toEqual({ records: [SAMPLES.checkpoint], problems: [] });
    expect(readRecordsFile(f)!.records).toHaveLength(3);
  });
});
