import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CodedError } from '../../util/errors.js';
import { historyFiles, readHistoryReports } from './files.js';
import { historyReport, writeReportAt } from './reports.test-util.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function scratch(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'history-files-'));
  temps.push(d);
  return d;
}

const report = (day: number) => historyReport({ startedAt: `2026-01-0${day}T00:00:00Z`, size: 1000 * day });

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof CodedError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
};

describe('historyFiles', () => {
  it('finds every report.json under a folder, at any depth, and nothing else', () => {
    const dir = scratch();
    const a = writeReportAt(dir, 'run-1/M/lite/report.json', report(1));
    const b = writeReportAt(dir, 'run-2/report.json', report(2));
    const c = writeReportAt(dir, 'deep/a/b/c/d/e/report.json', report(3));
    writeReportAt(dir, 'run-2/other.json', report(4));
    writeReportAt(dir, 'node_modules/pkg/report.json', report(5));
    expect(historyFiles([dir]).sort()).toEqual([a, b, c].sort());
    expect(readHistoryReports([dir]).map((e) => e.report.startedAt.slice(0, 10))).toHaveLength(3);
  });

  it('takes files as given, each file once even when named twice or also found in a folder', () => {
    const dir = scratch();
    const a = writeReportAt(dir, 'x/report.json', report(1));
    const b = writeReportAt(dir, 'renamed-run.json', report(2));
    expect(historyFiles([b, a, path.join(dir, 'x'), b])).toEqual([b, a]);
  });

  it('survives a symlink loop: each real folder is entered once', () => {
    const dir = scratch();
    const a = writeReportAt(dir, 'r/report.json', report(1));
    symlinkSync(dir, path.join(dir, 'r/loop'));
    symlinkSync(path.join(dir, 'r'), path.join(dir, 'alias'));
    // Entered once each: 4 names in all (alias, r, r/loop, r/report.json), far below the cap.
    expect(historyFiles([dir], { maxEntries: 10 })).toEqual([a]);
  });

  it('caps the count of reports and of names looked at, with an error saying what to do', () => {
    const dir = scratch();
    for (let i = 1; i <= 4; i++) writeReportAt(dir, `run-${i}/report.json`, report(i));
    expect(historyFiles([dir], { maxReports: 4 })).toHaveLength(4);
    expect(codeOf(() => historyFiles([dir], { maxReports: 3 }))).toBe(
      `E_REPORT_HISTORY: more than 3 report.json files under ${dir}: give a narrower folder or the files themselves`,
    );
    expect(codeOf(() => historyFiles([dir], { maxEntries: 5 }))).toMatch(/^E_REPORT_HISTORY: .* more than 5 entries/);
  });

  it('does not go deeper than maxDepth', () => {
    const dir = scratch();
    const shallow = writeReportAt(dir, 'a/report.json', report(1));
    writeReportAt(dir, 'a/b/c/report.json', report(2));
    expect(historyFiles([dir], { maxDepth: 1 })).toEqual([shallow]);
  });

  it('a folder without reports, a missing path and an invalid report are errors naming them', () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'empty'));
    expect(codeOf(() => historyFiles([path.join(dir, 'empty')]))).toBe(
      `E_REPORT_HISTORY: no report.json under ${path.join(dir, 'empty')}`,
    );
    expect(codeOf(() => historyFiles([path.join(dir, 'nope.json')]))).toMatch(/^E_REPORT_READ: .*nope\.json: no such/);
    const bad = path.join(dir, 'bad/report.json');
    mkdirSync(path.dirname(bad));
    writeFileSync(bad, JSON.stringify({ ...report(1), status: 'maybe' }));
    expect(codeOf(() => readHistoryReports([dir]))).toMatch(
      /^E_REPORT_INVALID: .*bad\/report\.json: not a valid report/,
    );
  });
});
