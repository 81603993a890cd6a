// The zx pipeline scripts of test_tipc/ against the commands they mirror: test_train_inference.mjs on
// the stub chain gives the same steps, results_python.log and report as `ctrgcn tipc run`, and
// prepare.mjs writes byte-identical data to `ctrgcn tipc prepare`.
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { stubRoot } from '../src/tipc/run/stub-chain.test-util.js';
import { readReport, validateReport, type Report } from '../src/tipc/report/report.js';

const REPO = path.resolve(import.meta.dirname, '..');
const BIN = path.join(REPO, 'bin/ctrgcn.js');
const ZX = path.join(REPO, 'node_modules/zx/build/cli.js');
const MODE = 'lite_train_lite_infer';
const roots: string[] = [];
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

const env = { CTRGCN_NO_GPU: '1', TIPC_STUB: JSON.stringify({ eval: { acc: 0.9 } }) };
const run = (root: string, argv: string[]) =>
  execa(process.execPath, argv, { cwd: root, reject: false, all: true, env });

/** What two runs of one chain must share: everything but times, the run directory and the machine. */
function comparable(r: Report) {
  return {
    model: r.model,
    mode: r.mode,
    status: r.status,
    summary: r.summary,
    steps: r.steps.map((s) => ({
      name: s.name,
      kind: s.kind,
      origin: s.origin,
      command: s.command,
      argv: s.argv,
      log: s.log,
      status: s.status,
      exitCode: s.exitCode,
      reason: s.reason,
      metrics: s.metrics,
    })),
    gates: r.gates.map((g) => ({
      name: g.name,
      status: g.status,
      threshold: g.threshold,
      ...(g.name.startsWith('latency') ? {} : { value: g.value }),
    })),
    sizes: r.measurements.sizes,
    accuracy: r.measurements.accuracy,
    certified: r.measurements.certified,
    artifacts: r.artifacts,
  };
}

describe('test_tipc/test_train_inference.mjs (zx)', () => {
  it('runs the chain with the same steps, results log and report as `ctrgcn tipc run`', async () => {
    // With our extra steps (fp16/int8 exports, ONNX evals, reference model, latency benchmark) too.
    const a = stubRoot();
    const b = stubRoot();
    roots.push(a.root, b.root);
    for (const s of [a, b])
      cpSync(path.join(REPO, 'src/tipc/__fixtures__/stub_gates.yaml'), path.join(path.dirname(s.params), 'gates.yaml'));
    const viaCli = await run(a.root, [BIN, 'tipc', 'run', a.params, MODE, '--live', 'off']);
    const viaZx = await run(b.root, [ZX, path.join(REPO, 'test_tipc/test_train_inference.mjs'), b.params, MODE]);
    expect(viaZx.exitCode, viaZx.all).toBe(viaCli.exitCode);
    // Each step is shown as it starts.
    expect(viaZx.all).toMatch(/train:\S+ node src\/tipc\/__fixtures__\/stub\.mjs train/);
    const reportPath = (root: string) => path.join(root, 'reports/TIPC_STUB', MODE, 'report.json');
    const ra = readReport(reportPath(a.root));
    const rb = readReport(reportPath(b.root));
    expect(validateReport(rb).valid).toBe(true);
    expect(rb.steps.filter((s) => s.origin === 'runner').length).toBeGreaterThan(4);
    expect(comparable(rb)).toEqual(comparable(ra));
    const results = (root: string) =>
      readFileSync(path.join(root, 'test_tipc/output/TIPC_STUB', MODE, 'results_python.log'), 'utf8');
    expect(results(b.root)).toBe(results(a.root));
    expect(viaZx.all).toContain('report: ');
  });

  it('a failing step is recorded the same way (its dependants skipped, exit 1)', async () => {
    const a = stubRoot();
    const b = stubRoot();
    roots.push(a.root, b.root);
    const fail = { ...env, TIPC_STUB: JSON.stringify({ train: { exit: 3 } }) };
    const viaCli = await execa(process.execPath, [BIN, 'tipc', 'run', a.params, MODE, '--live', 'off'], {
      cwd: a.root,
      reject: false,
      env: fail,
    });
    const viaZx = await execa(
      process.execPath,
      [ZX, path.join(REPO, 'test_tipc/test_train_inference.mjs'), b.params, MODE],
      {
        cwd: b.root,
        reject: false,
        env: fail,
      },
    );
    expect(viaCli.exitCode).toBe(1);
    expect(viaZx.exitCode).toBe(1);
    const reportPath = (root: string) => path.join(root, 'reports/TIPC_STUB', MODE, 'report.json');
    const rb = readReport(reportPath(b.root));
    expect(rb.steps[0]).toMatchObject({ status: 'fail', exitCode: 3, reason: 'exit code 3' });
    expect(comparable(rb)).toEqual(comparable(readReport(reportPath(a.root))));
  });
});

describe('test_tipc/prepare.mjs (zx)', () => {
  const PARAMS = 'test_tipc/configs/CTRGCN_light_joint/train_infer_python.txt';
  const scratch = () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tipc-zx-prep-'));
    roots.push(root);
    mkdirSync(path.join(root, path.dirname(PARAMS)), { recursive: true });
    cpSync(path.join(REPO, PARAMS), path.join(root, PARAMS));
    return root;
  };
  const files = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(path.join(dir, f)).isFile())
      .sort();

  it('writes the same files as `ctrgcn tipc prepare`, and skips what is up to date', async () => {
    const a = scratch();
    const b = scratch();
    const small = ['--classes', '2', '--performers', '4', '--seed', '5'];
    const viaCli = await run(a, [BIN, 'tipc', 'prepare', PARAMS, MODE, ...small]);
    expect(viaCli.exitCode, viaCli.all).toBe(0);
    const viaZx = await run(b, [ZX, path.join(REPO, 'test_tipc/prepare.mjs'), PARAMS, MODE, ...small]);
    expect(viaZx.exitCode, viaZx.all).toBe(0);
    const data = (root: string) => path.join(root, 'test_tipc/data/ntu-lite');
    const listed = files(data(a));
    expect(listed).toContain('xsub/train_data.npy');
    expect(listed).toContain('example_skeleton.npy');
    expect(files(data(b))).toEqual(listed);
    // The conversion summary carries its own run time; everything else is byte for byte.
    const summary = (root: string) => {
      const { seconds: _s, ...rest } = JSON.parse(readFileSync(path.join(data(root), 'summary.json'), 'utf8'));
      return rest;
    };
    expect(summary(b)).toEqual(summary(a));
    for (const f of listed.filter((x) => x !== 'summary.json'))
      expect(readFileSync(path.join(data(b), f)).equals(readFileSync(path.join(data(a), f))), f).toBe(true);
    const again = await run(b, [ZX, path.join(REPO, 'test_tipc/prepare.mjs'), PARAMS, MODE, ...small]);
    expect(again.all).toMatch(/up to date: synth[\s\S]*up to date: ntu[\s\S]*up to date: example/);
  });

  it('whole modes: names what is missing (E_PREPARE_MISSING) and exits non-zero', async () => {
    const r = await run(scratch(), [ZX, path.join(REPO, 'test_tipc/prepare.mjs'), PARAMS, 'whole_train_whole_infer']);
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/missing for whole_train_whole_infer:[\s\S]*train_data\.npy/);
  });
});
