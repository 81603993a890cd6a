// `ctrgcn tipc run` as CI sees it: stdout and stderr are pipes. No escape code reaches them unless
// FORCE_COLOR asks for colour (and then colour only, never redraws); NO_COLOR keeps them plain; the
// summary leads with the verdict and the headline figures.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { stubRoot } from '../tipc/run/stub-chain.test-util.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/ctrgcn.js');
const roots: string[] = [];
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The stub chain through the CLI, stdout and stderr piped, with exactly the colour variables given. */
async function tipcRun(colorEnv: Record<string, string>) {
  const { root, params } = stubRoot();
  roots.push(root);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'CI', 'TERM', 'CTRGCN_STDERR_TTY'].includes(k)) env[k] = v;
  const r = await execa(
    process.execPath,
    [BIN, 'tipc', 'run', params, 'lite_train_lite_infer', '--gpu', 'no', '--allow-not-set'],
    { cwd: root, reject: false, extendEnv: false, env: { ...env, ...colorEnv, TIPC_STUB: '{}' } },
  );
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const SGR = /\x1b\[[0-9;]*m/g;

describe('tipc run in a pipe', () => {
  it('writes no escape code and no redraw to stdout or stderr; the summary starts with the verdict', async () => {
    const r = await tipcRun({});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(' Run successfully with command - TIPC_STUB - ');
    expect(r.stderr).toMatch(/train:\S+: started/); // the live view's plain lines
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain('\x1b');
      expect(text).not.toContain('\r');
    }
    // After the last results line comes the verdict, then the headline figures, then the tables.
    const lines = r.stdout.split('\n');
    const lastRun = lines.map((l) => l.includes(' with command - TIPC_STUB - ')).lastIndexOf(true);
    const verdict = lines.findIndex((l) => l.startsWith('TIPC TIPC_STUB lite_train_lite_infer: PASS'));
    const size = lines.findIndex((l) => l.startsWith('  exported model size '));
    const agreement = lines.findIndex((l) => l.startsWith('  quantised agreement with fp32 '));
    const stepTable = lines.findIndex((l) => /│ step +│ status/.test(l));
    expect(lastRun).toBeGreaterThan(0);
    expect(lines.slice(lastRun + 1, verdict).filter((l) => !l.startsWith('[tipc] ') && l.trim())).toEqual([]);
    expect(verdict).toBeGreaterThan(lastRun);
    expect(size).toBeGreaterThan(verdict);
    expect(agreement).toBeGreaterThan(size);
    expect(stepTable).toBeGreaterThan(agreement);
  });

  it('FORCE_COLOR=1 colours the results lines and the verdict, still without redraws', async () => {
    const r = await tipcRun({ FORCE_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\x1b[33m Run successfully with command - TIPC_STUB - ');
    expect(r.stdout).toContain('TIPC TIPC_STUB lite_train_lite_infer: \x1b[1;32mPASS\x1b[0m');
    // Colour codes only: nothing is left once they are removed, and no line is redrawn.
    expect(r.stdout.replace(SGR, '')).not.toContain('\x1b');
    expect(r.stderr.replace(SGR, '')).not.toContain('\x1b');
    expect(r.stdout + r.stderr).not.toContain('\r');
  });

  it('NO_COLOR=1 (FORCE_COLOR unset) writes no escape code', async () => {
    const r = await tipcRun({ NO_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(' Run successfully with command - TIPC_STUB - ');
    expect(r.stdout + r.stderr).not.toContain('\x1b');
  });
});
