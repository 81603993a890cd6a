// Chains that are stopped: step timeouts from gates.yaml, Ctrl-C during `tipc run` (a valid report of
// the steps so far, the interrupted one marked) and `tipc run --resume` finishing the chain.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { runChain } from './chain.js';
import { readReport, validateReport, type Report } from '../report/report.js';
import { stubRoot } from './stub-chain.test-util.js';

const BIN = path.resolve(import.meta.dirname, '../../../bin/ctrgcn.js');
const MODE = 'lite_train_lite_infer';
const roots: string[] = [];
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

function scratch(): { root: string; params: string } {
  const s = stubRoot();
  roots.push(s.root);
  return s;
}

const outputDir = (root: string) => path.join(root, 'test_tipc/output/TIPC_STUB', MODE);
const reportOf = (root: string) => path.join(root, 'reports/TIPC_STUB', MODE, 'report.json');
const resultLines = (root: string) =>
  readFileSync(path.join(outputDir(root), 'results_python.log'), 'utf8')
    .split('\n')
    .filter(Boolean);
const summaryOf = (r: Report) => r.steps.map((s) => `${s.name} ${s.status}`);

function tipcRun(root: string, params: string, rules: object, extra: string[] = []) {
  return execa(process.execPath, [BIN, 'tipc', 'run', params, MODE, '--gpu', 'no', '--live', 'off', ...extra], {
    cwd: root,
    reject: false,
    all: true,
    env: { TIPC_STUB: JSON.stringify(rules), CTRGCN_NO_GPU: '1' },
  });
}

async function until(what: string, f: () => boolean, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('step timeouts from gates.yaml', () => {
  it('chain.timeouts stops a hanging step and names the limit; a CLI value wins over it', async () => {
    const { root, params } = scratch();
    writeFileSync(path.join(path.dirname(params), 'gates.yaml'), 'chain:\n  timeouts:\n    eval: 1\n');
    const quiet = { out: () => {}, gpuAvailable: false, env: { ...process.env, TIPC_STUB: '{"eval":{"hang":true}}' } };
    const a = await runChain({ params, mode: MODE, root, noExtras: true, ...quiet });
    const evalStep = a.report.steps.find((s) => s.kind === 'eval')!;
    expect(evalStep.status).toBe('timeout');
    expect(evalStep.reason).toBe('timed out after 1 s');
    expect(a.exitCode).toBe(1);
    const b = await runChain({ params, mode: MODE, root, noExtras: true, timeouts: { eval: 2 }, ...quiet });
    expect(b.report.steps.find((s) => s.kind === 'eval')!.reason).toBe('timed out after 2 s');
  });

  it('a timeout that is not a positive integer is a named error before anything runs', async () => {
    const { root, params } = scratch();
    writeFileSync(path.join(path.dirname(params), 'gates.yaml'), 'chain:\n  timeouts:\n    train: 0\n');
    await expect(runChain({ params, mode: MODE, root, out: () => {}, gpuAvailable: false })).rejects.toMatchObject({
      code: 'E_GATES_INVALID',
      message: expect.stringMatching(/gates\.yaml.*timeouts\/train/s),
    });
    expect(existsSync(outputDir(root))).toBe(false);
  });
});

describe('tipc run interrupted and resumed', () => {
  it('Ctrl-C leaves a valid report with the interrupted step marked; --resume finishes it like an uninterrupted run', async () => {
    const plain = scratch();
    const full = await tipcRun(plain.root, plain.params, {});
    const fullReport = readReport(reportOf(plain.root));

    const { root, params } = scratch();
    // eval hangs: train has passed (its results line is written) when the signal arrives.
    const child = tipcRun(root, params, { eval: { hang: true } });
    await until('the train step to finish', () => {
      try {
        return resultLines(root).length === 1;
      } catch {
        return false;
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    const stopped = await child;
    expect(stopped.exitCode, stopped.all).toBe(130);
    const report = readReport(reportOf(root));
    expect(validateReport(report).valid).toBe(true);
    expect(report.status).toBe('fail');
    expect(report.interrupted).toEqual({ signal: 'SIGINT', step: expect.stringMatching(/^eval:/) });
    expect(summaryOf(report)).toEqual([`${fullReport.steps[0].name} pass`, `${report.interrupted!.step} fail`]);
    expect(report.steps[1]).toMatchObject({ interrupted: true, reason: 'interrupted by SIGINT' });
    expect(report.notes?.[0]).toMatch(/interrupted by SIGINT during eval:.*--resume/);
    expect(resultLines(root)).toHaveLength(1); // no results line for the interrupted command

    const resumed = await tipcRun(root, params, {}, ['--resume']);
    expect(resumed.exitCode, resumed.all).toBe(full.exitCode);
    const done = readReport(reportOf(root));
    expect(validateReport(done).valid).toBe(true);
    expect(summaryOf(done)).toEqual(summaryOf(fullReport));
    expect(done.status).toBe(fullReport.status);
    expect(done.steps[0].resumed).toBe(true);
    expect(done.steps.filter((s) => s.resumed)).toHaveLength(1);
    expect(done.resumed).toEqual({ startedAt: report.startedAt, reused: 1 });
    expect(done.gates.map((g) => `${g.name} ${g.status}`)).toEqual(
      fullReport.gates.map((g) => `${g.name} ${g.status}`),
    );
    // The results log holds each command once, as the uninterrupted run's does.
    const strip = (l: string) => l.replace(plain.root, '').replace(root, '');
    expect(resultLines(root).map(strip)).toEqual(resultLines(plain.root).map(strip));
  });

  it('--resume without an earlier report is a named error', async () => {
    const { root, params } = scratch();
    const r = await tipcRun(root, params, {}, ['--resume']);
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/E_RESUME.*no report of an earlier run at .*report\.json/s);
  });
});
