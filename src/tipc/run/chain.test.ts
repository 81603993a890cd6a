import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runChain, type ChainOptions } from './chain.js';
import { decideStatus, mergeReports, readReport, validateReport } from '../report/report.js';
import { stripAnsi } from '../evidence/paddlevideo-logs.js';
import { checkRecords, RECORDS_OK } from '../../contracts/records.test-util.js';
import { sharedPath } from '../../util/shared-data.test-util.js';
import { summaryTable } from '../report/terminal.js';
import { stubRoot } from './stub-chain.test-util.js';

const FIX = path.resolve(process.cwd(), 'src/tipc/__fixtures__');
const REF = sharedPath('fixtures/tipc-reference');
const tmpRoots: string[] = [];
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

/** A scratch repo root holding the stub command and a params file. */
function scratch(paramsText?: string): { root: string; params: string } {
  const s = stubRoot(paramsText);
  tmpRoots.push(s.root);
  return s;
}

async function chain(root: string, params: string, rules: object, extra: Partial<ChainOptions> = {}) {
  const lines: string[] = [];
  const r = await runChain({
    params,
    mode: 'lite_train_lite_infer',
    root,
    gpuAvailable: false,
    timeoutSec: 60,
    env: { ...process.env, TIPC_STUB: JSON.stringify(rules) },
    out: (l) => lines.push(l),
    ...extra,
  });
  const resultsLog = path.join(root, 'test_tipc/output', r.report.model, r.report.mode, 'results_python.log');
  const results = existsSync(resultsLog) ? readFileSync(resultsLog, 'utf8').split('\n').filter(Boolean) : [];
  return { ...r, lines, results };
}

const statuses = (r: { report: { steps: { status: string; origin: string }[] } }) =>
  r.report.steps.filter((s) => s.origin === 'driver').map((s) => s.status);
const gate = (r: { report: { gates: { name: string }[] } }, name: string) => {
  const g = r.report.gates.find((x) => x.name === name);
  if (!g) throw new Error(`no gate ${name} in ${r.report.gates.map((x) => x.name).join(', ')}`);
  return g as { name: string; status: string; value: unknown; threshold: unknown; unit: string; detail?: string };
};
const gateStatus = (r: { report: { gates: { name: string; status: string }[] } }) =>
  Object.fromEntries(r.report.gates.map((g) => [g.name, g.status]));

/** A scratch root with the full chain of ours (stub_gates.yaml) and the reference GT file. */
function fullScratch(gtClass = 3, gtScore = '0.25'): { root: string; params: string } {
  const s = scratch();
  copyFileSync(path.join(FIX, 'stub_gates.yaml'), path.join(path.dirname(s.params), 'gates.yaml'));
  mkdirSync(path.join(s.root, 'gt'));
  writeFileSync(
    path.join(s.root, 'gt/python_ppvideo_TIPC_STUB_results_fp32.txt'),
    `Current video file: example.npy\n        top-1 class: ${gtClass}\n        top-1 score: ${gtScore}\n`,
  );
  return s;
}

describe('tipc run with stub commands', () => {
  it('runs the whole lite chain, gates without a threshold are not-set (never pass), report validates', async () => {
    const { root, params } = scratch();
    const r = await chain(root, params, {}, { allowNotSet: true });
    expect(statuses(r)).toEqual(['pass', 'pass', 'pass', 'skipped', 'pass', 'pass']);
    expect(r.report.steps[3].reason).toMatch(/^gpu:/);
    // --allow-not-set: the not-set gates are warnings, and the report says the flag was used
    expect(r.exitCode).toBe(0);
    expect(r.report).toMatchObject({ allowNotSet: true, strict: false, status: 'pass' });
    expect(decideStatus(r.report.steps, r.report.gates, { requireGpu: true, allowNotSet: true })).toBe('fail');
    // without it the same evidence fails: nothing to compare is never a pass
    expect(decideStatus(r.report.steps, r.report.gates)).toBe('fail');
    expect(gateStatus(r)).toEqual({
      size: 'pass',
      accuracy: 'not-set',
      training: 'not-set',
      provenance: 'pass',
      latency: 'not-set',
      golden: 'not-set',
      determinism: 'pass',
      consistency: 'pass',
    });
    expect(gate(r, 'size').value).toBe(1002);
    expect(gate(r, 'accuracy')).toMatchObject({ value: 0.9, threshold: null });
    expect(gate(r, 'golden').detail).toMatch(/no GT file configured.*ctrgcn tipc golden/);
    expect(r.report.summary).toMatchObject({ gatesPassed: 4, gatesFailed: 0, gatesNotSet: 4 });
    expect(r.report.notes!.join('\n')).toMatch(
      /not set \(nothing to compare, never a pass; --allow-not-set: warnings only.*\): accuracy, training, latency, golden/,
    );
    expect(r.report.notes!.join('\n')).toMatch(/--allow-not-set was used/);
    expect(summaryTable(r.report, { wide: true })).toMatch(/PASS \(--allow-not-set\)/);
    expect(readFileSync(r.htmlPath, 'utf8')).toContain('--allow-not-set');
    expect(r.report.artifacts.map((a) => path.basename(a.path))).toEqual(['inference.json', 'inference.onnx']);
    // line 11 train_model_name: eval and export get the checkpoint training selected, and say why
    expect(r.report.steps[1].argv).toContain(
      '-w=./test_tipc/output/TIPC_STUB/lite_train_lite_infer/norm_train_gpus_-1_autocast_null_nodes_1/TIPC_STUB_selected.pdparams',
    );
    expect(r.report.measurements.certified).toEqual([
      expect.objectContaining({
        rule: 'last',
        checkpoint: expect.stringMatching(/norm_train_gpus_-1_autocast_null_nodes_1\/TIPC_STUB_epoch_00002\.pdparams$/),
      }),
    ]);
    expect(validateReport(JSON.parse(readFileSync(r.jsonPath, 'utf8'))).valid).toBe(true);
    const html = readFileSync(r.htmlPath, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toMatch(/data-chart="loss" data-points="[1-9]/);
    expect(html).toContain('NOT-SET');
    expect(r.jsonPath).toBe(path.join(root, 'reports/TIPC_STUB/lite_train_lite_infer/report.json'));
    // Exact results lines: ESC[33m, one space, …, one space, ESC[0m; the skip is recorded, not dropped.
    expect(r.results).toHaveLength(6);
    expect(r.results[0]).toMatch(
      /^\x1b\[33m Run successfully with command - TIPC_STUB - node src\/tipc\/__fixtures__\/stub\.mjs train .* > \.\/test_tipc\/output\/TIPC_STUB\/lite_train_lite_infer\/train\.log 2>&1 - \.\/test_tipc\/output\/TIPC_STUB\/lite_train_lite_infer\/norm_train_gpus_-1_autocast_null_nodes_1\.log \x1b\[0m$/,
    );
    expect(r.results[3]).toMatch(/^\x1b\[33m Run skipped \(no GPU\) with command - /);
    // The terminal copy of each line: the same text, without colour codes where stdout is not a terminal.
    expect(r.lines.filter((l) => l.includes('Run '))).toEqual(r.results.map(stripAnsi));
    // stdout+stderr both land in the log; train.log is appended to <save_log>.log.
    const saveLog = readFileSync(
      path.join(root, 'test_tipc/output/TIPC_STUB/lite_train_lite_infer/norm_train_gpus_-1_autocast_null_nodes_1.log'),
      'utf8',
    );
    expect(saveLog).toContain('[stub] train');
    expect(saveLog).toContain('[stub] stderr line of train');
    // the quoted value with a space reached the command as one argument
    expect(r.report.steps[0].argv).toContain('DATASET.train.file_path=data/x y/train_data.npy');
    // every step got its own records file
    expect(r.report.steps[0].records).toBe(
      './test_tipc/output/TIPC_STUB/lite_train_lite_infer/norm_train_gpus_-1_autocast_null_nodes_1.records.jsonl',
    );
  });

  it('not-set gates fail the run by default (--strict is a no-op alias); a config with no budget reports not-set', async () => {
    const { root, params } = scratch();
    writeFileSync(path.join(path.dirname(params), 'gates.yaml'), 'gates:\n  latency:\n    maxRatioP50: null\n');
    const plain = await chain(root, params, {});
    expect(plain.report).toMatchObject({ status: 'fail', strict: true });
    expect(plain.report.allowNotSet).toBeUndefined();
    expect(plain.exitCode).toBe(1);
    await expect(chain(root, params, {}, { strict: true, allowNotSet: true })).rejects.toThrow(/contradict/);
    const r = await chain(root, params, {}, { strict: true });
    expect(gate(r, 'accuracy').status).toBe('not-set');
    expect(gate(r, 'latency')).toMatchObject({ status: 'not-set', threshold: null });
    expect(gate(r, 'latency').detail).toMatch(/no latency budget set/);
    expect(r.report.strict).toBe(true);
    expect(r.report.status).toBe('fail');
    expect(r.exitCode).toBe(1);
    expect(validateReport(r.report).valid).toBe(true);
  });

  it('with train_model_name null the driver certifies epoch 1 while training selected another: provenance fails', async () => {
    const text = readFileSync(path.join(FIX, 'stub_params.txt'), 'utf8').replace(
      'train_model_name:TIPC_STUB_selected.pdparams',
      'train_model_name:null',
    );
    const { root, params } = scratch(text);
    const r = await chain(root, params, {});
    expect(r.report.steps[1].argv.some((a) => a.endsWith('TIPC_STUB_epoch_00001.pdparams'))).toBe(true);
    expect(gate(r, 'provenance').status).toBe('fail');
    expect(gate(r, 'provenance').detail).toMatch(
      /export was made from .*TIPC_STUB_epoch_00001\.pdparams.*not from the selected .*TIPC_STUB_epoch_00002/,
    );
    expect(r.exitCode).toBe(1);
  });

  it('the full chain of ours: exported models evaluated, quantised relative to fp32, relative latency, golden', async () => {
    const { root, params } = fullScratch();
    const r = await chain(root, params, {
      train: { valTop1: 0.85 },
      eval: { acc: 0.9, onnx: { fp16: 0.9, int8: 0.9 } },
    });
    const ours = r.report.steps.filter((s) => s.origin === 'runner').map((s) => [s.name, s.status]);
    expect(ours).toEqual([
      ['export:norm_train_gpus_-1_autocast_null_nodes_1_fp16', 'pass'],
      ['export:norm_train_gpus_-1_autocast_null_nodes_1_int8', 'pass'],
      ['eval:norm_train_gpus_-1_autocast_null_nodes_1_onnx_fp32', 'pass'],
      ['eval:norm_train_gpus_-1_autocast_null_nodes_1_onnx_fp16', 'pass'],
      ['eval:norm_train_gpus_-1_autocast_null_nodes_1_onnx_int8', 'pass'],
      ['export:reference', 'pass'],
      ['infer:norm_train_gpus_-1_autocast_null_nodes_1_latency_cpu', 'pass'],
      ['infer:reference_latency_cpu', 'pass'],
      [expect.stringMatching(/^infer:accuracy_mode/), 'pass'],
    ]);
    // none of ours is a results line
    expect(r.results).toHaveLength(6);
    expect(gateStatus(r)).toEqual({
      records: 'pass',
      size: 'pass',
      'size[fp16]': 'pass',
      'size[int8]': 'pass',
      accuracy: 'pass',
      'accuracy[checkpoint]': 'pass',
      'accuracy[fp16]': 'pass',
      'agreement[fp16]': 'pass',
      'accuracy[int8]': 'pass',
      'agreement[int8]': 'pass',
      training: 'pass',
      provenance: 'pass',
      latency: 'pass',
      golden: 'pass',
      determinism: 'pass',
      consistency: 'pass',
    });
    expect(gate(r, 'accuracy').detail).toMatch(
      /exported model .*norm_train_gpus_-1_autocast_null_nodes_1\/inference\.onnx on 20 samples/,
    );
    expect(gate(r, 'accuracy[int8]')).toMatchObject({ value: 0.9, threshold: 0.891 });
    expect(gate(r, 'agreement[int8]')).toMatchObject({ value: 0.9, threshold: 0.9 });
    expect(gate(r, 'agreement[int8]').detail).toMatch(/2 of 20 changed, 90\.00 % agree/);
    // the model's p50 upper bound 3.4125 ÷ the reference's lower bound 6.175 (point ratio 0.5)
    expect(gate(r, 'latency')).toMatchObject({ value: 0.5526, threshold: 0.8 });
    expect(gate(r, 'latency').detail).toMatch(/point ratio 0\.500, ratio interval 0\.452–0\.553/);
    const bench = r.report.steps.find((s) => s.name.endsWith('_latency_cpu'))!;
    expect(bench.argv).toContain('--time_test_file=True');
    expect(bench.argv).toContain('--enable_benchmark=True');
    // 3 warm-up + MLPerf's n = z² q(1−q) / margin² for p90 at 95 % and margin 0.09 → 43
    const list = readFileSync(
      path.join(root, 'test_tipc/output/TIPC_STUB/lite_train_lite_infer/latency_inputs.txt'),
      'utf8',
    );
    expect(list.trim().split('\n')).toHaveLength(3 + 43);
    const m = r.report.measurements;
    expect(m.accuracy.map((a) => [a.model, a.top1, a.agreementWithFp32 ?? null])).toEqual([
      ['fp32', 0.9, null],
      ['checkpoint', 0.9, null],
      ['fp16', 0.9, 1],
      ['int8', 0.9, 0.9],
    ]);
    expect(m.sizes.map((x) => [x.role, x.precision, x.totalBytes])).toEqual([
      ['driver', 'fp32', 1002],
      ['artifact', 'fp16', 1002],
      ['artifact', 'int8', 1002],
      ['reference', 'fp32', 1002],
    ]);
    expect(m.certified[0]).toMatchObject({ rule: 'best', artifact: expect.stringMatching(/inference\.onnx$/) });
    expect(r.report.status).toBe('pass');
    expect(r.exitCode).toBe(0);
    expect(validateReport(r.report).valid).toBe(true);
    // The stub writes through the package's record writer: every records file parses with the one codec.
    for (const st of r.report.steps.filter((x) => x.status === 'pass'))
      expect(checkRecords(path.join(root, st.records), []), st.name).toMatchObject(RECORDS_OK);
    expect(summaryTable(r.report, { wide: true })).toMatch(/certified: .*TIPC_STUB_best\.pdparams \[best\]/);
  });

  it('a deliberately broken int8 export fails its accuracy gate; fp16 still passes', async () => {
    const { root, params } = fullScratch();
    const r = await chain(root, params, { train: { valTop1: 0.85 }, export: { break: ['int8'] } });
    expect(gate(r, 'accuracy[fp16]').status).toBe('pass');
    const g = gate(r, 'accuracy[int8]');
    expect(g).toMatchObject({ status: 'fail', value: 0.2 });
    expect(g.detail).toMatch(/int8 export .*int8\/inference\.onnx: 0\.2 < 0\.891 \(0\.99 × fp32 0\.9\)/);
    expect(gate(r, 'agreement[int8]')).toMatchObject({ status: 'fail', value: 0.2 });
    expect(gate(r, 'agreement[int8]').detail).toMatch(/16 of 20 changed, 20\.00 % agree/);
    expect(r.exitCode).toBe(1);
  });

  it('a latency over the relative budget, a GT mismatch and missing records fail their gates', async () => {
    const slow = fullScratch(4);
    const s = await chain(slow.root, slow.params, { train: { valTop1: 0.85 }, predict: { ms: 6, refMs: 6.5 } });
    // 6 × 1.05 / (6.5 × 0.95): the intervals allow a ratio of 1.02 (point ratio 0.92)
    expect(gate(s, 'latency')).toMatchObject({ status: 'fail', value: 1.0202 });
    expect(gate(s, 'golden').status).toBe('fail');
    expect(gate(s, 'golden').detail).toContain('top-1 class expected 4, got 3');
    const nr = fullScratch();
    const n = await chain(nr.root, nr.params, { train: { valTop1: 0.85 }, eval: { noRecords: true } });
    expect(gate(n, 'records').status).toBe('fail');
    expect(gate(n, 'records').detail).toMatch(/wrote no records file .*chain\.records: required/);
    expect(gate(n, 'accuracy').status).toBe('fail');
    expect(n.exitCode).toBe(1);
  });

  it('--baseline: an identical run passes; a larger, less accurate or slower one fails with deltas', async () => {
    const { root, params } = fullScratch();
    const rules = { train: { valTop1: 0.85 } };
    const first = await chain(root, params, rules);
    expect(first.exitCode).toBe(0);
    const baseline = path.join(root, 'baseline.json');
    copyFileSync(first.jsonPath, baseline);
    const same = await chain(root, params, rules, { baseline });
    expect([
      gate(same, 'regression[size]').status,
      gate(same, 'regression[accuracy]').status,
      gate(same, 'regression[latency]').status,
    ]).toEqual(['pass', 'pass', 'pass']);
    expect(same.report.baseline!.deltas.length).toBeGreaterThan(5);
    expect(same.exitCode).toBe(0);
    // One run made larger, less accurate and slower at once: each regression gate names its item.
    const worse = await chain(
      root,
      params,
      {
        ...rules,
        export: { bytes: 2000 },
        eval: { onnx: { fp32: 0.85, fp16: 0.85, int8: 0.85 } },
        predict: { ms: 4.2, refMs: 8 },
      },
      { baseline },
    );
    expect(gate(worse, 'regression[size]').status).toBe('fail');
    expect(gate(worse, 'regression[size]').detail).toMatch(
      /fp32@norm_train_gpus_-1_autocast_null_nodes_1 1002 → 2002 \(\+99\.80 %\) REGRESSED/,
    );
    expect(gate(worse, 'regression[accuracy]').status).toBe('fail');
    expect(gate(worse, 'regression[accuracy]').detail).toMatch(/fp32@\S+ 0\.9 → 0\.85 \(-5\.00 pt\) REGRESSED/);
    expect(gate(worse, 'regression[latency]').status).toBe('fail');
    expect(gate(worse, 'regression[latency]').detail).toMatch(/model cpu@\S+ 3\.25 → 4\.2 .*REGRESSED/);
    expect(worse.exitCode).toBe(1);
    expect(validateReport(worse.report).valid).toBe(true);
    expect(readReport(worse.jsonPath).baseline!.deltas.some((d) => d.status === 'fail')).toBe(true);
  });

  it('reads PaddleVideo log text only for a step that wrote no records (records optional)', async () => {
    const { root, params } = scratch();
    const r = await chain(
      root,
      params,
      { eval: { noRecords: true, acc: 0.5 } },
      { gateOverrides: { accuracy: { minTop1: 0.4 } } },
    );
    expect(gate(r, 'accuracy')).toMatchObject({ status: 'pass', value: 0.5 });
    expect(gate(r, 'accuracy').detail).toMatch(/eval log's \[TEST\] finished line/);
    expect(r.report.measurements.accuracy[0].source).toBe('paddlevideo-log');
  });

  it('a failing step is reported failed with its true exit code and its dependants are skipped', async () => {
    const { root, params } = scratch();
    const r = await chain(root, params, { train: { exit: 3 } });
    expect(statuses(r)).toEqual(['fail', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(r.report.steps[0].exitCode).toBe(3);
    expect(r.report.steps[1].reason).toMatch(/dependency train:.* failed/);
    expect(r.results[0]).toMatch(/^\x1b\[33m Run failed with command - TIPC_STUB - /);
    expect(r.results.slice(1).every((l) => l.includes('Run skipped'))).toBe(true);
    expect(r.exitCode).toBe(1);
    expect(r.report.status).toBe('fail');
    expect(validateReport(r.report).valid).toBe(true);
  });

  it('a step that hangs past its timeout is killed and reported as timeout', async () => {
    const { root, params } = scratch();
    const r = await chain(root, params, { eval: { hang: true } }, { timeouts: { eval: 1 } });
    expect(statuses(r)).toEqual(['pass', 'timeout', 'pass', 'skipped', 'pass', 'pass']);
    expect(r.report.steps[1].reason).toBe('timed out after 1 s');
    expect(r.report.steps[1].exitCode).toBeNull();
    expect(r.results[1]).toMatch(/Run failed with command - TIPC_STUB - node src\/tipc\/__fixtures__\/stub\.mjs eval/);
    expect(gate(r, 'accuracy').status).toBe('fail');
    expect(r.exitCode).toBe(1);
  });

  it('a timeout stops the whole process group (workers that ignore SIGTERM included)', async () => {
    const { root, params } = scratch();
    const pidFile = path.join(root, 'worker.pid');
    const r = await chain(root, params, { train: { hang: true, grandchild: pidFile } }, { timeouts: { train: 1 } });
    expect(r.report.steps[0].status).toBe('timeout');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((res) => setTimeout(res, 100));
    expect(alive()).toBe(false);
  });

  it('a command killed by a signal or not found gets the shell exit code (128+n, 127)', async () => {
    const { root, params } = scratch();
    const killed = await chain(root, params, { export: { kill: 'SIGKILL' } });
    expect(killed.report.steps[2]).toMatchObject({ status: 'fail', exitCode: 137, reason: 'killed by SIGKILL' });
    expect(statuses(killed).slice(3)).toEqual(['skipped', 'skipped', 'skipped']);
    const text = readFileSync(path.join(FIX, 'stub_params.txt'), 'utf8').replace(
      'python:node',
      'python:no-such-interpreter-xyz',
    );
    const s2 = scratch(text);
    const missing = await chain(s2.root, s2.params, {});
    expect(missing.report.steps[0]).toMatchObject({ status: 'fail', exitCode: 127 });
    expect(
      readFileSync(path.join(s2.root, 'test_tipc/output/TIPC_STUB/lite_train_lite_infer/train.log'), 'utf8'),
    ).toMatch(/no-such-interpreter-xyz/);
    expect(missing.exitCode).toBe(1);
  });

  it('a missing params key fails before running, naming the 1-based line', async () => {
    const text = readFileSync(path.join(FIX, 'stub_params.txt'), 'utf8').replace(
      'eval:src/tipc/__fixtures__/stub.mjs eval\n',
      '',
    );
    const { root, params } = scratch(text);
    const r = await chain(root, params, {});
    expect(r.exitCode).toBe(1);
    expect(r.report.status).toBe('fail');
    expect(r.report.steps).toEqual([]);
    expect(r.results).toEqual([]);
    expect(r.report.notes!.join('\n')).toMatch(
      /train_infer_python\.txt:24: error \[wrong-key\] positional line 24 must be `eval`, found `-w`/,
    );
    expect(validateReport(r.report).valid).toBe(true);
  });

  it('a size budget below the artifact size fails the size gate (gates.yaml beside the params file)', async () => {
    const { root, params } = scratch();
    writeFileSync(path.join(path.dirname(params), 'gates.yaml'), 'gates:\n  size:\n    maxBytes: 1001\n');
    const r = await chain(root, params, {});
    const g = r.report.gates.find((x) => x.name === 'size')!;
    expect(g).toMatchObject({ value: 1002, threshold: 1001, unit: 'B', status: 'fail' });
    expect(g.detail).toContain('inference.*');
    expect(r.report.gatesSource).toMatch(/gates\.yaml$/);
    expect(statuses(r).includes('fail')).toBe(false);
    expect(r.exitCode).toBe(1);
  });

  it('an accuracy threshold above the result fails the accuracy gate', async () => {
    const { root, params } = scratch();
    const r = await chain(root, params, { eval: { acc: 0.5 } }, { gateOverrides: { accuracy: { minTop1: 0.9 } } });
    expect(r.report.gates.find((x) => x.name === 'accuracy')).toMatchObject({
      value: 0.5,
      threshold: 0.9,
      status: 'fail',
    });
    expect(r.exitCode).toBe(1);
  });

  it('a final validation top-1 below the training gate fails it; without a val record it is named', async () => {
    const { root, params } = scratch();
    const low = await chain(
      root,
      params,
      { train: { valTop1: 0.7 } },
      { gateOverrides: { training: { minValTop1: 0.8 } } },
    );
    expect(low.report.gates.find((x) => x.name === 'training')).toMatchObject({
      value: 0.7,
      threshold: 0.8,
      unit: 'top1',
      status: 'fail',
    });
    expect(low.exitCode).toBe(1);
    const ok = await chain(
      root,
      params,
      { train: { valTop1: 0.85 } },
      { gateOverrides: { training: { minValTop1: 0.8 } }, allowNotSet: true },
    );
    expect(ok.report.gates.find((x) => x.name === 'training')).toMatchObject({ value: 0.85, status: 'pass' });
    expect(ok.exitCode).toBe(0);
    const none = await chain(root, params, {}, { gateOverrides: { training: { minValTop1: 0.8 } } });
    const g = none.report.gates.find((x) => x.name === 'training')!;
    expect(g.status).toBe('not-set');
    expect(g.detail).toMatch(/nothing measured .*--validate/);
  });

  it('an absolute latency budget, perf/accuracy-mode consistency and determinism gates read the predict records', async () => {
    const { root, params } = scratch();
    const r = await chain(
      root,
      params,
      { predict: { ms: 12.5, score: 0.5, accScore: 0.4 } },
      { gateOverrides: { latency: { maxInferenceMs: 10 } } },
    );
    expect(r.report.gates.find((x) => x.name === 'latency[abs]')).toMatchObject({
      value: 12.5,
      threshold: 10,
      unit: 'ms',
      status: 'fail',
    });
    expect(r.report.gates.find((x) => x.name === 'consistency')).toMatchObject({ status: 'fail' });
    expect(r.report.gates.find((x) => x.name === 'determinism')).toMatchObject({ status: 'pass' });
    expect(r.report.steps.find((s) => s.origin === 'runner')!.argv).toContain('--enable_benchmark=False');
    expect(r.exitCode).toBe(1);
  });

  it('shards split the inference matrix deterministically and merge back', async () => {
    const { root, params } = scratch();
    const o = { gpuAvailable: true, allowNotSet: true };
    const s1 = await chain(root, params, {}, { shard: { index: 1, count: 2 }, ...o });
    const s2 = await chain(root, params, {}, { shard: { index: 2, count: 2 }, ...o });
    expect(s1.jsonPath).toContain('shard-1-of-2');
    const ids1 = s1.report.steps.filter((s) => s.origin === 'driver').map((s) => s.id);
    const ids2 = s2.report.steps.filter((s) => s.origin === 'driver').map((s) => s.id);
    expect(ids1).toEqual([0, 1, 2, 3, 5]);
    expect(ids2).toEqual([4]);
    const merged = mergeReports([readReport(s1.jsonPath), readReport(s2.jsonPath)]);
    expect(merged.steps.filter((s) => s.origin === 'driver').map((s) => s.id)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(merged.shards).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    expect(merged.status).toBe('pass');
    expect(validateReport(merged).valid).toBe(true);
    expect(mergeReports([readReport(s1.jsonPath)]).status).toBe('fail'); // a shard is missing
  });
});

describe('reference fail variants with stubs that exit 1 (true exit codes)', () => {
  interface Ref {
    status: string[];
    results_log_lines: string[];
    driver_stdout: string[];
    mode: string;
  }
  const cfgDir = 'zpc-666_CTRGCN_Light/CTRGCN_light_joint';
  function refRoot(failRule: string) {
    const { root } = scratch();
    const bin = path.join(root, 'stubbin');
    mkdirSync(bin);
    const py = path.join(bin, 'python3.7');
    writeFileSync(
      py,
      `#!${process.execPath}\nconst a = process.argv.slice(2);\nconst rule = ${JSON.stringify(failRule)};\nconsole.log('[stub] ' + a.join(' '));\nprocess.exitCode = rule === 'all' || (rule === 'infer' && a[0] === 'tools/predict.py') ? 1 : 0;\n`,
    );
    chmodSync(py, 0o755);
    const params = path.join(root, 'test_tipc/configs/CTRGCN_light_joint/train_infer_python.txt');
    mkdirSync(path.dirname(params), { recursive: true });
    copyFileSync(path.join(REF, cfgDir, 'train_infer_python.txt'), params);
    return {
      root,
      params: path.relative(root, params),
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    };
  }
  const refOf = (f: string) => JSON.parse(readFileSync(path.join(REF, cfgDir, f), 'utf8')) as Ref;
  const toRef = (s: string) => (s === 'pass' ? 'success' : 'failed');
  const run = async (rule: string, mode: string, dependents: 'run' | 'skip', color?: boolean) => {
    const { root, params, env } = refRoot(rule);
    const out: string[] = [];
    const r = await runChain({
      params: path.join(root, params),
      mode,
      root,
      gpuAvailable: true,
      env,
      dependents,
      out: (l) => out.push(l),
      consistencyRerun: false,
      ...(color === undefined ? {} : { color }),
    });
    const text = readFileSync(
      path.join(root, `test_tipc/output/CTRGCN_light_joint/${mode}/results_python.log`),
      'utf8',
    );
    const results = text.split('\n').filter(Boolean);
    return { r, ours: statuses(r), results, text, out };
  };

  it('normal: results_python.log equals the reference lines byte for byte (ANSI removed)', async () => {
    const ref = refOf('train_infer_python.lite_train_lite_infer.json');
    const { results } = await run('none', 'lite_train_lite_infer', 'skip');
    expect(results.map(stripAnsi)).toEqual(ref.results_log_lines);
  });

  it("results_python.log has upstream's bytes, colour codes included; the terminal copy follows the colour policy", async () => {
    const ref = refOf('train_infer_python.lite_train_lite_infer.fail-infer.json');
    // Upstream's status_check: echo -e "\033[33m Run … - <log> \033[0m" | tee -a results_python.log.
    const upstream = ref.results_log_lines.map((l) => `\x1b[33m${l}\x1b[0m\n`).join('');
    const plain = await run('infer', 'lite_train_lite_infer', 'skip', false);
    expect(plain.text).toBe(upstream);
    // Without colour, the terminal gets what the reference's stdout shows once its codes are removed.
    expect(plain.out.filter((l) => l.includes(' with command - '))).toEqual(
      ref.driver_stdout.filter((l) => l.includes(' with command - ')),
    );
    const coloured = await run('infer', 'lite_train_lite_infer', 'skip', true);
    expect(coloured.text).toBe(upstream);
    expect(coloured.out.filter((l) => l.includes(' with command - ')).map((l) => `${l}\n`)).toEqual(
      upstream.split(/(?<=\n)/),
    );
  });

  // Every fail variant (both drivers): ours = the stub's real exit code; the reference differs exactly where
  // the driver takes a status from something else (training: a trailing `cat`; whole_infer export: `echo`).
  const index = JSON.parse(readFileSync(path.join(REF, 'index.json'), 'utf8')) as {
    files: { file: string; mode: string; variant: string }[];
  };
  for (const c of index.files.filter((f) => f.variant.startsWith('fail-'))) {
    it(`${c.file}`, async () => {
      const ref = JSON.parse(readFileSync(path.join(REF, c.file), 'utf8')) as Ref & {
        invocations: { exit_code: number; kind: string }[];
      };
      const rule = c.variant === 'fail-all' ? 'all' : 'infer';
      const { root, params, env } = refRoot(rule);
      const driver = c.file.includes('.repo-driver.') ? 'legacy' : 'head';
      const r = await runChain({
        params: path.join(root, params),
        mode: c.mode,
        root,
        gpuAvailable: true,
        env,
        driver,
        dependents: 'run',
        out: () => {},
        consistencyRerun: false,
      });
      const ours = statuses(r).map(toRef);
      expect(ours).toEqual(ref.invocations.map((i) => (i.exit_code === 0 ? 'success' : 'failed')));
      const differs = ours.map((s, i) => (s !== ref.status[i] ? ref.invocations[i].kind : null)).filter(Boolean);
      expect(differs).toEqual(c.variant === 'fail-infer' ? [] : [c.mode === 'whole_infer' ? 'export' : 'train']);
      expect(r.exitCode).toBe(1);
      // Default (dependants skipped): only the first failure runs in fail-all.
      if (c.variant === 'fail-all') {
        const { root: root2, params: params2, env: env2 } = refRoot(rule);
        const r2 = await runChain({
          params: path.join(root2, params2),
          mode: c.mode,
          root: root2,
          gpuAvailable: true,
          env: env2,
          driver,
          out: () => {},
          consistencyRerun: false,
        });
        expect(statuses(r2)).toEqual(['fail', ...ref.status.slice(1).map(() => 'skipped')]);
      }
    });
  }
});
