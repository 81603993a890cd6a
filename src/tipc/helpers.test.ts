import { describe, expect, it } from 'vitest';
import { shellSplit } from './params/shell-words.js';
import { makeRecord } from '../contracts/index.js';
import { parseEvalLog, parseLatencyLog, parsePredictLog } from './evidence/paddlevideo-logs.js';
import { compareValues, parseGt, parseLogForKeys, precisionOf } from './evidence/gt-results.js';
import { npyHeaderBytes, parseNpyHeader } from './run/npy-slice.js';
import { parseShard, shardOf, statusLine } from './run/runner.js';

describe('shell-word splitter', () => {
  it('quotes, escapes, redirections; nothing expanded', () => {
    expect(shellSplit(`a "b c" 'd e' f\\ g x="y z" $HOME * > out.log 2>&1 `)).toEqual({
      argv: ['a', 'b c', 'd e', 'f g', 'x=y z', '$HOME', '*'],
      redirects: [
        { fd: 1, op: '>', target: 'out.log' },
        { fd: 2, op: '>&', target: '1' },
      ],
    });
    expect(shellSplit(`--amp --amp_level 'O2'`).argv).toEqual(['--amp', '--amp_level', 'O2']);
    expect(shellSplit(`--devices="0,1" "a\\"b"`).argv).toEqual(['--devices=0,1', 'a"b']);
    expect(shellSplit(`x >> y`).redirects).toEqual([{ fd: 1, op: '>>', target: 'y' }]);
  });
  it('refuses what it does not run', () => {
    expect(() => shellSplit('a | b')).toThrow(/unsupported shell operator `\|` at column 3/);
    expect(() => shellSplit('a "b')).toThrow(/unterminated double quote/);
    expect(() => shellSplit('a >')).toThrow(/without a target/);
  });
});

describe('log parsers', () => {
  it('eval, predict, latency, metrics', () => {
    expect(parseEvalLog('x\n[TEST] finished, avg_acc1= 0.04555971547961235, avg_acc5= 0.16831426322460175\n')).toEqual({
      top1: 0.04555971547961235,
      top5: 0.16831426322460175,
    });
    expect(parseEvalLog('nothing')).toBeNull();
    expect(parsePredictLog('Current video file: a.npy\n\ttop-1 class: 58\n\ttop-1 score: 0.6840217\n')).toEqual([
      { file: 'a.npy', classes: [58], scores: [0.6840217] },
    ]);
    expect(
      parsePredictLog('Current video file: a.npy\n\ttop-1 class: [58]\n\ttop-1 score: [0.68]\n')[0].classes,
    ).toEqual([58]);
    const lat = parseLatencyLog(
      '[2026/01/01 00:00:00] root INFO:  runtime_device: cpu\n[2026/01/01 00:00:00] root INFO:  data_num: 15\n[2026/01/01 00:00:00] root INFO:  preprocess_time(ms): 6.7176, inference_time(ms): 198.4556, postprocess_time(ms): 0.4484\n',
    );
    expect(lat).toMatchObject({
      preprocessMs: 6.7176,
      inferenceMs: 198.4556,
      postprocessMs: 0.4484,
      dataNum: 15,
      device: 'cpu',
    });
  });
});

describe('compare_results semantics', () => {
  it('GT keys, last token, allclose, every mismatch reported', () => {
    const gt = parseGt(
      'Current video file: data/fsd10/example_skeleton.npy\n        top-1 class: 27\n        top-1 score: 0.8965644240379333\n',
    );
    expect([...gt]).toEqual([
      ['top-1 class', 27],
      ['top-1 score', 0.8965644240379333],
    ]);
    const got = parseLogForKeys('\ttop-1 class: 27\n\ttop-1 score: 0.8969\n', gt.keys());
    expect(compareValues(gt, got, 1e-3, 1e-3, 'log').pass).toBe(true);
    const bad = compareValues(gt, parseLogForKeys('\ttop-1 class: 26\n', gt.keys()), 1e-3, 1e-3, 'log');
    expect(bad.pass).toBe(false);
    expect(bad.messages).toEqual([
      'log: top-1 class expected 27, got 26 (atol 0.001, rtol 0.001)',
      'log: key "top-1 score" missing',
    ]);
    expect(precisionOf('python_infer_cpu_usemkldnn_False_threads_1_precision_fp16_batchsize_1.log')).toBe('fp16');
  });
});

describe('misc', () => {
  it('npy header round trip (128-byte v1.0 header like the reference example)', () => {
    const h = npyHeaderBytes('<f4', [3, 300, 25, 2]);
    expect(h.length).toBe(128);
    expect(parseNpyHeader(h)).toEqual({ descr: '<f4', fortranOrder: false, shape: [3, 300, 25, 2], dataOffset: 128 });
  });
  it('status line bytes', () => {
    expect(statusLine(true, 'M', 'c  ', 'l')).toBe('\x1b[33m Run successfully with command - M - c   - l \x1b[0m');
    expect(statusLine(false, 'M', 'c', 'l')).toBe('\x1b[33m Run failed with command - M - c - l \x1b[0m');
  });
  it('shard parsing', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('4/3')).toThrow();
    expect(() => parseShard('x')).toThrow();
    const fake = {
      steps: [
        { id: 0, kind: 'train' },
        { id: 1, kind: 'infer' },
        { id: 2, kind: 'infer' },
        { id: 3, kind: 'infer' },
      ],
    } as never;
    expect([0, 1, 2, 3].map((i) => shardOf(fake, (fake as { steps: never[] }).steps[i], 2))).toEqual([1, 1, 2, 1]);
  });
});

describe('report.html', () => {
  it('is self-contained: inline SVG charts, no scripts or external links', async () => {
    const { renderHtml } = await import('./report/html.js');
    const r = {
      schemaVersion: 1,
      model: 'M<x>',
      mode: 'lite_train_lite_infer',
      status: 'fail',
      params: 'p',
      driver: 'head',
      startedAt: '2026-01-01T00:00:00Z',
      durationMs: 1,
      steps: [
        {
          id: 0,
          name: 'infer:c',
          kind: 'infer',
          origin: 'driver',
          command: 'c',
          argv: ['c'],
          exitCode: 0,
          durationMs: 5,
          log: 'l',
          status: 'pass',
          metrics: { latency: { inferenceMs: 3.5 } },
        },
      ],
      gates: [
        { name: 'size', value: 5, threshold: 10, unit: 'B', status: 'pass' },
        { name: 'latency[abs]', value: 3.5, threshold: 2, unit: 'ms', status: 'fail' },
        { name: 'golden', value: null, threshold: null, unit: '', status: 'not-set' },
      ],
      artifacts: [{ path: 'd/inference.onnx', bytes: 5 }],
      environment: {
        node: 'v20',
        platform: 'x',
        backends: [],
        cpu: 'c',
        cpus: 2,
        threads: 1,
        gpu: { available: false, reason: 'n' },
      },
      measurements: { sizes: [], accuracy: [], latency: [], training: [], certified: [] },
      summary: { pass: 1, fail: 0, skipped: 0, timeout: 0, gatesPassed: 1, gatesFailed: 1, gatesNotSet: 1 },
    } as never;
    const step = (global_step: number, loss: number) =>
      makeRecord('train_step', {
        epoch: 1,
        iter: global_step - 1,
        global_step,
        loss,
        lr: 0.1,
        top1: 0,
        top5: 0,
        batch_cost: 1,
        reader_cost: 0,
        ips: 1,
        rss_mb: 1,
        peak_rss_mb: 1,
      });
    const html = renderHtml(r, { steps: [step(1, 4), step(2, 3)], val: [] });
    expect(html).toContain('NOT-SET');
    const charts = [...html.matchAll(/data-chart="([^"]+)" data-points="(\d+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(charts).toEqual(['loss:2', 'lr:2', 'val-top1:2', 'cells:1', 'sizes:1']);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('5 B');
    expect(html).not.toMatch(/\de[+-]\d/); // sizes and values never in exponent form
    expect(html).toContain('M&lt;x&gt;');
    expect(html).not.toMatch(/<script|href=|src=/);
    expect(html).toContain('budget 2 ms');
  });
});

describe('parsers on a real predict --enable_benchmark=True log', () => {
  it('reads the top-1 blocks and the auto_log latency report', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const text = readFileSync(path.resolve(process.cwd(), 'src/tipc/__fixtures__/predict-benchmark.log'), 'utf8');
    const b = parsePredictLog(text);
    expect(b).toHaveLength(2);
    expect(b[1]).toEqual({ file: 'data/example_NTU-RGB-D_sketeton.npy', classes: [58], scores: [0.99881463] });
    expect(parseLatencyLog(text)).toEqual({
      preprocessMs: 5.1539,
      inferenceMs: 59.3877,
      postprocessMs: 1.0065,
      totalS: 0.7866,
      dataNum: 15,
      batchSize: 1,
      cpuRssMb: 133.9141,
      precision: 'fp32',
      device: 'cpu',
    });
    const gt = parseGt('Current video file: x\n        top-1 class: 58\n        top-1 score: 0.9988\n');
    expect(compareValues(gt, parseLogForKeys(text, gt.keys()), 1e-3, 1e-3, 'real').pass).toBe(true);
  });
});
