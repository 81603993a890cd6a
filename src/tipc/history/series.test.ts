import { describe, expect, it } from 'vitest';
import { defaultGates } from '../params/index.js';
import { buildHistory, historyFigures, type HistoryEntry, type RegressionThresholds } from './series.js';
import { historyReport, type Figures } from './reports.test-util.js';
import { validateReport } from '../report/report.js';

const DEFAULTS: RegressionThresholds = { ...defaultGates().regression, source: 'defaults' };
const byDefaults = () => DEFAULTS;

const entry = (file: string, f: Figures & { model?: string }): HistoryEntry => ({ file, report: historyReport(f) });

describe('history test reports', () => {
  it('are valid run records', () => {
    const r = historyReport({ startedAt: '2026-01-01T00:00:00.000Z', size: 1, top1: null, latency: 1 });
    expect(validateReport(r).errors).toEqual([]);
  });
});

describe('buildHistory', () => {
  it('orders the runs by startedAt, not by the order they were given', () => {
    const a = entry('a.json', { startedAt: '2026-03-01T00:00:00.000Z', size: 3 });
    const b = entry('b.json', { startedAt: '2026-01-01T00:00:00.000Z', size: 1 });
    const c = entry('c.json', { startedAt: '2026-02-01T10:00:00.000+02:00', size: 2 });
    for (const order of [
      [a, b, c],
      [c, a, b],
      [b, c, a],
    ]) {
      const h = buildHistory(order, byDefaults);
      expect(h.groups[0].runs.map((r) => r.file)).toEqual(['b.json', 'c.json', 'a.json']);
    }
  });

  it('marks a change beyond the threshold, never one exactly at it (defaults: 1 %, 1 pt, 10 %)', () => {
    const h = buildHistory(
      [
        entry('1', { startedAt: '2026-01-01T00:00:00Z', size: 1000, top1: 0.9, latency: 1.0 }),
        // Exactly at each threshold: +1 % size, −1 pt top-1 (0.9 − 0.89 is 0.0100000000000000009), +10 % latency.
        entry('2', { startedAt: '2026-01-02T00:00:00Z', size: 1010, top1: 0.89, latency: 1.1 }),
        // Just beyond: +1.0891 % size, −1.01 pt top-1, +10.01 % latency.
        entry('3', { startedAt: '2026-01-03T00:00:00Z', size: 1021, top1: 0.8799, latency: 1.2111 }),
      ],
      byDefaults,
    );
    const g = h.groups[0];
    expect(g.changes[0]).toEqual([]);
    expect(g.changes[1].map((c) => [c.key, c.regressed])).toEqual([
      ['size', false],
      ['top1', false],
      ['latency', false],
    ]);
    expect(g.changes[1].map((c) => c.worsening)).toEqual([0.01, 0.01, 0.1]);
    expect(g.changes[2].map((c) => [c.key, c.regressed])).toEqual([
      ['size', true],
      ['top1', true],
      ['latency', true],
    ]);
    expect(h.regressions).toBe(3);
  });

  it('an improvement is never a regression', () => {
    const h = buildHistory(
      [
        entry('1', { startedAt: '2026-01-01T00:00:00Z', size: 2000, top1: 0.5, latency: 2 }),
        entry('2', { startedAt: '2026-01-02T00:00:00Z', size: 1000, top1: 0.9, latency: 1 }),
      ],
      byDefaults,
    );
    expect(h.groups[0].changes[1].map((c) => c.regressed)).toEqual([false, false, false]);
    expect(h.groups[0].changes[1].find((c) => c.key === 'top1')?.worsening).toBe(-0.4);
  });

  it("judges each change by the newer run's thresholds", () => {
    const loose = { ...DEFAULTS, maxSizeGrowth: 0.5, source: 'loose' };
    const strict = { ...DEFAULTS, maxSizeGrowth: 0.001, source: 'strict' };
    const h = buildHistory(
      [
        entry('1', { startedAt: '2026-01-01T00:00:00Z', size: 1000 }),
        entry('2', { startedAt: '2026-01-02T00:00:00Z', size: 1100 }),
        entry('3', { startedAt: '2026-01-03T00:00:00Z', size: 1102 }),
      ],
      (r) => (r.startedAt.startsWith('2026-01-02') ? loose : strict),
    );
    const g = h.groups[0];
    expect(g.changes[1][0]).toMatchObject({ regressed: false, threshold: 0.5 });
    expect(g.changes[2][0]).toMatchObject({ regressed: true, threshold: 0.001 });
  });

  it('a figure missing from a run is null and not compared, on either side', () => {
    const h = buildHistory(
      [
        entry('1', { startedAt: '2026-01-01T00:00:00Z', size: 1000, top1: 0.9 }),
        entry('2', { startedAt: '2026-01-02T00:00:00Z', size: null, top1: 0.5 }),
        entry('3', { startedAt: '2026-01-03T00:00:00Z', size: 5000, top1: 0.1 }),
      ],
      byDefaults,
    );
    const g = h.groups[0];
    expect(g.runs.map((r) => r.figures)).toEqual([
      { size: 1000, top1: 0.9, latency: null },
      { size: null, top1: 0.5, latency: null },
      { size: 5000, top1: 0.1, latency: null },
    ]);
    expect(g.changes[1].map((c) => c.key)).toEqual(['top1']);
    expect(g.changes[2].map((c) => c.key)).toEqual(['top1']);
  });

  it('groups runs of different models, each oldest first, groups in name order', () => {
    const h = buildHistory(
      [
        entry('b2', { model: 'B', startedAt: '2026-01-04T00:00:00Z', size: 2000 }),
        entry('a1', { model: 'A', startedAt: '2026-01-03T00:00:00Z', size: 1000 }),
        entry('b1', { model: 'B', startedAt: '2026-01-01T00:00:00Z', size: 1000 }),
        entry('a2', { model: 'A', startedAt: '2026-01-05T00:00:00Z', size: 1000 }),
      ],
      byDefaults,
    );
    expect(h.groups.map((g) => [g.model, g.runs.map((r) => r.file)])).toEqual([
      ['A', ['a1', 'a2']],
      ['B', ['b1', 'b2']],
    ]);
    // A's runs are compared with each other only: B's doubling is B's regression.
    expect(h.groups.map((g) => g.changes.flat().filter((c) => c.regressed).length)).toEqual([0, 1]);
    expect(h.regressions).toBe(1);
  });
});

describe('historyFigures', () => {
  it('reads the headline gates: fp32 size (not size[int8]), exported top-1, latency ratio', () => {
    const r = historyReport({
      startedAt: '2026-01-01T00:00:00Z',
      size: 5e6,
      top1: 0.9,
      latency: 1.2,
      gates: [
        { name: 'size[int8]', value: 1e6, threshold: 1e7, unit: 'B', status: 'pass' },
        { name: 'accuracy[checkpoint]', value: 0.1, threshold: 0.8, unit: 'top1', status: 'fail' },
      ],
    });
    expect(historyFigures(r)).toEqual({ size: 5e6, top1: 0.9, latency: 1.2 });
    expect(historyFigures({ gates: [] })).toEqual({ size: null, top1: null, latency: null });
  });
});
