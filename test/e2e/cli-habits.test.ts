// The CLI as a shell user meets it (bin/ctrgcn.js, both launcher paths): a reader that stops early
// ends the run quietly with status 0, and `tipc run` writes JUnit XML and the GitHub step summary.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { stubRoot } from '../../src/tipc/run/stub-chain.test-util.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(root, 'bin/ctrgcn.js');
const PARAMS = 'test_tipc/configs/CTRGCN_light_joint/train_infer_python.txt';

/** Runs the CLI with its stdout or stderr pipe closed before it writes anything. */
function withClosedPipe(argv: string[], closed: 'stdout' | 'stderr'): Promise<{ code: number | null; other: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...argv], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    c[closed].destroy();
    let other = '';
    c[closed === 'stdout' ? 'stderr' : 'stdout'].on('data', (d: Buffer) => (other += String(d)));
    c.on('close', (code) => resolve({ code, other }));
  });
}

describe('a closed pipe (EPIPE)', () => {
  it('`tipc plan … | head -1` exits 0 without a stack trace', async () => {
    const r = await execa(
      'bash',
      ['-c', `set -o pipefail; node bin/ctrgcn.js tipc plan ${PARAMS} lite_train_lite_infer | head -1`],
      {
        cwd: root,
        reject: false,
      },
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\[train\] /);
    // stderr may carry the planner's notes, never an EPIPE error or a stack trace
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    // deterministic: the pipe is closed before the first write
    const closed = await withClosedPipe(['tipc', 'plan', PARAMS, 'lite_train_lite_infer', '--json'], 'stdout');
    expect(closed.code).toBe(0);
    expect(closed.other).not.toMatch(/EPIPE|Error|\n\s+at /);
  });

  it('also behind the banner filter of native commands (stdout and stderr)', async () => {
    expect(await withClosedPipe(['eval', '--help'], 'stdout')).toEqual({ code: 0, other: '' });
    expect((await withClosedPipe(['train', '-c', 'missing.yaml'], 'stderr')).code).toBe(0);
  });
});

describe('tipc run CI outputs', () => {
  it('--junit lists every step, $GITHUB_STEP_SUMMARY gets the Markdown, the table fits 100 columns', async () => {
    const { root: run, params } = stubRoot();
    const out = mkdtempSync(path.join(os.tmpdir(), 'ci-out-'));
    const junit = path.join(out, 'junit.xml');
    const summary = path.join(out, 'summary.md');
    const r = await execa(
      'node',
      [BIN, 'tipc', 'run', params, 'lite_train_lite_infer', '--gpu', 'no', '--junit', junit],
      {
        cwd: run,
        reject: false,
        env: { TIPC_STUB: JSON.stringify({ predict: { exit: 1 } }), GITHUB_STEP_SUMMARY: summary },
      },
    );
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(
      readFileSync(path.join(run, 'reports/TIPC_STUB/lite_train_lite_infer/report.json'), 'utf8'),
    ) as { steps: { name: string }[] };
    const xml = readFileSync(junit, 'utf8');
    const cases = [
      ...xml.matchAll(/<testcase name="([^"]+)" classname="tipc\.TIPC_STUB\.lite_train_lite_infer\.(?!gates|verdict)/g),
    ].map((m) => m[1]);
    expect(cases).toEqual(report.steps.map((s) => s.name));
    expect(existsSync(summary)).toBe(true);
    expect(readFileSync(summary, 'utf8')).toMatch(/^## ❌ TIPC TIPC_STUB · lite_train_lite_infer: FAIL\n/);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining([`junit:  ${junit}`, `step summary: ${summary}`]));
    const table = r.stdout.slice(r.stdout.indexOf('TIPC TIPC_STUB'), r.stdout.indexOf('report: '));
    for (const line of table.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(100);
  });
});
