import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';
import { historyReport, writeReportAt } from '../tipc/history/reports.test-util.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'report-history-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

// Written newest first: the output must still start with the oldest run.
const dir = path.join(tmp, 'runs');
const newest = writeReportAt(dir, 'a/report.json', historyReport({ startedAt: '2026-01-03T00:00:00Z', size: 2000 }));
const middle = writeReportAt(dir, 'b/report.json', historyReport({ startedAt: '2026-01-02T00:00:00Z', size: 1000 }));
const oldest = writeReportAt(dir, 'c/report.json', historyReport({ startedAt: '2026-01-01T00:00:00Z', size: 1000 }));

describe('ctrgcn tipc report --history', () => {
  it('prints the runs oldest first with the regression marked, and exits 0', async () => {
    const r = await cli(['tipc', 'report', '--history', newest, middle, oldest]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('TIPC history M lite_train_lite_infer: 3 runs, 1 regression');
    expect(r.out).toContain('+100.00 % REGRESSED');
    expect(r.out.indexOf(`#1 ${oldest}`)).toBeGreaterThan(0);
    expect(r.out.indexOf(`#1 ${oldest}`)).toBeLessThan(r.out.indexOf(`#3 ${newest}`));
  });

  it('--fail-on-regression exits 1 on a marked regression, 0 without one', async () => {
    expect((await cli(['tipc', 'report', '--history', dir, '--fail-on-regression'])).code).toBe(1);
    expect((await cli(['tipc', 'report', '--history', middle, oldest, '--fail-on-regression'])).code).toBe(0);
  });

  it('writes the HTML page and the Markdown, and appends the Markdown to $GITHUB_STEP_SUMMARY', async () => {
    const summary = path.join(tmp, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    const html = path.join(tmp, 'h.html');
    const md = path.join(tmp, 'h.md');
    const r = await cli(['tipc', 'report', '--history', dir, '--html', html, '--markdown', md]);
    expect(r.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>[\s\S]*data-chart="history-0-size"/);
    expect(readFileSync(md, 'utf8')).toMatch(/^## ❌ TIPC history M lite_train_lite_infer: 3 runs, 1 regression\n/);
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${readFileSync(md, 'utf8')}`);
    expect(r.out).toContain(`html: ${html}\nmarkdown: ${md}\nstep summary: ${summary}\n`);
  });

  it('--markdown - puts the Markdown alone on stdout', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const r = await cli(['tipc', 'report', '--history', dir, '--markdown', '-']);
    expect(r.out).toMatch(/^## ❌ TIPC history/);
    expect(r.out + r.err).not.toContain('╔');
  });

  it('an unreadable report exits 1 naming it; a missing path and a flag of another form are errors too', async () => {
    const bad = path.join(tmp, 'bad/report.json');
    writeReportAt(tmp, 'bad/report.json', historyReport({ startedAt: 'yesterday' }));
    const r = await cli(['tipc', 'report', '--history', dir, bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error \[E_REPORT_INVALID\]: .*bad\/report\.json: not a valid report/);
    const missing = await cli(['tipc', 'report', '--history', path.join(tmp, 'missing')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/error \[E_REPORT_READ\]: .*missing: no such report file or folder/);
    const usage = await cli(['tipc', 'report', '--history', dir, '--junit', 'j.xml']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--junit does not go with --history');
  });

  it('--help documents it', async () => {
    const r = await cli(['tipc', 'report', '--help']);
    expect(r.out).toContain('ctrgcn tipc report --history R1.json R2.json … | DIR');
    expect(r.out).toMatch(/--history +trends across runs/);
    expect(r.out).toMatch(/--fail-on-regression +with --history: exit 1/);
  });
});
