import { describe, expect, it } from 'vitest';
import { defaultGates } from '../params/index.js';
import { buildHistory, type History } from './series.js';
import { changeText, historyMarkdown, historyTable } from './table.js';
import { historyReport, type Figures } from './reports.test-util.js';

const DEFAULTS = { ...defaultGates().regression, source: 'gates.yaml' };

const history = (runs: (Figures & { model?: string })[]): History =>
  buildHistory(
    runs.map((f, i) => ({ file: `runs/${i}/report.json`, report: historyReport(f) })),
    () => DEFAULTS,
  );

/** The terminal table's body rows, cells trimmed (a cell may span two lines: value, change). */
const tableRows = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('║'))
    .map((l) =>
      l
        .slice(1, -1)
        .split('│')
        .map((c) => c.trim()),
    );

const THREE = [
  { startedAt: '2026-01-01T00:00:00Z', size: 1_000_000, top1: 0.9, latency: 1.0 },
  { startedAt: '2026-01-02T00:00:00Z', size: null, top1: 0.85, latency: 1.05 },
  { startedAt: '2026-01-03T00:00:00Z', size: 1_200_000, top1: 0.86 },
];

describe('history as a terminal table', () => {
  it('shows each figure with its change, REGRESSED past the threshold, and "–" for what was not measured', () => {
    const text = historyTable(history(THREE));
    expect(text.split('\n')[0]).toBe('TIPC history M lite_train_lite_infer: 3 runs, 1 regression');
    const rows = tableRows(text);
    expect(rows[0]).toEqual([
      '#',
      'started (UTC)',
      'status',
      'exported fp32 size',
      'exported top-1',
      'latency ÷ reference p50',
    ]);
    expect(rows[1]).toEqual(['1', '2026-01-01 00:00:00', 'PASS', '1.00 MB', '0.9', '1×']);
    expect(rows[2]).toEqual(['2', '2026-01-02 00:00:00', 'PASS', '–', '0.85', '1.05×']);
    expect(rows[3]).toEqual(['', '', '', '', '−5.00 pt REGRESSED', '+5.00 %']);
    expect(rows[4]).toEqual(['3', '2026-01-03 00:00:00', 'PASS', '1.20 MB', '0.86', '–']);
    expect(rows[5]).toEqual(['', '', '', '', '+1.00 pt', '']);
    expect(text).toContain('#3 runs/2/report.json');
    expect(text).toContain(
      'runs #2, #3 against the one before: regressed when exported fp32 size growth > 1 %, exported top-1 drop > 1 pt, latency ÷ reference p50 growth > 10 % (from gates.yaml)',
    );
    expect(text).not.toMatch(/ 0 B/);
  });

  it('one table per model', () => {
    const text = historyTable(history([...THREE, { ...THREE[0], model: 'N' }]));
    expect(text).toContain('TIPC history M lite_train_lite_infer: 3 runs');
    expect(text).toContain('TIPC history N lite_train_lite_infer: 1 run, 0 regressions');
  });
});

describe('history as Markdown', () => {
  it('a row per run, the regression marked, missing figures "–", pipes escaped', () => {
    const h = history(THREE);
    h.groups[0].runs[0].file = 'a|b/report.json';
    const md = historyMarkdown(h).split('\n');
    expect(md[0]).toBe('## ❌ TIPC history M lite_train_lite_infer: 3 runs, 1 regression');
    expect(md).toContain('| 1 | 2026-01-01 00:00:00 | ✅ PASS | 1.00 MB | 0.9 | 1× | `a\\|b/report.json` |');
    expect(md).toContain(
      '| 2 | 2026-01-02 00:00:00 | ✅ PASS | – | 0.85 (−5.00 pt) ❌ **regressed** (drop > 1 pt) | 1.05× (+5.00 %) | `runs/1/report.json` |',
    );
    expect(md).toContain(
      '| 3 | 2026-01-03 00:00:00 | ✅ PASS | 1.20 MB | 0.86 (+1.00 pt) | – | `runs/2/report.json` |',
    );
  });

  it('a history without regressions is headed ✅', () => {
    expect(historyMarkdown(history([THREE[0]]))).toMatch(
      /^## ✅ TIPC history M lite_train_lite_infer: 1 run, 0 regressions\n/,
    );
  });
});

describe('changeText', () => {
  it('sizes and latency in %, top-1 in points with the sign of the change', () => {
    expect(changeText({ key: 'size', worsening: 0.0125 })).toBe('+1.25 %');
    expect(changeText({ key: 'latency', worsening: -0.5 })).toBe('−50.00 %');
    expect(changeText({ key: 'top1', worsening: 0.02 })).toBe('−2.00 pt');
    expect(changeText({ key: 'top1', worsening: -0.02 })).toBe('+2.00 pt');
  });
});
