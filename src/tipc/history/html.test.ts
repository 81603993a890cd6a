import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHistory, type History } from './series.js';
import { readHistoryReports } from './files.js';
import { renderHistoryHtml } from './html.js';
import { regressionThresholds } from './thresholds.js';
import { stubHistory, type StubHistory } from './stub.test-util.js';
import { historyReport } from './reports.test-util.js';

let stub: StubHistory;
let html: string;
beforeAll(async () => {
  stub = await stubHistory();
  const h = buildHistory(readHistoryReports([stub.dir]), (r) => regressionThresholds(r, stub.root));
  html = renderHistoryHtml(h);
});
afterAll(() => rmSync(stub.root, { recursive: true, force: true }));

/** data-chart → data-points of every chart on the page. */
const charts = (page: string) =>
  Object.fromEntries([...page.matchAll(/data-chart="([^"]+)" data-points="(\d+)"/g)].map((m) => [m[1], Number(m[2])]));

/** The markup of one chart. */
const chartOf = (page: string, name: string) => {
  const at = page.indexOf(`data-chart="${name}"`);
  return page.slice(at, page.indexOf('</svg>', at));
};

describe('the history page of three stub-chain reports', () => {
  it('is one self-contained page: no script, no link, no external resource', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
  });

  it('charts every figure over the runs, each regression ringed', () => {
    // The third run measured no latency: a gap, not a zero.
    expect(charts(html)).toEqual({ 'history-0-size': 3, 'history-0-top1': 3, 'history-0-latency': 2 });
    expect([...html.matchAll(/<circle [^>]*data-regression="(\w+)"/g)].map((m) => m[1])).toEqual(['size', 'top1']);
    expect([...html.matchAll(/data-regressions="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([1, 1, 0]);
    // One x position per run on every chart, the latency chart's included.
    for (const name of ['size', 'top1', 'latency'])
      expect(chartOf(html, `history-0-${name}`).match(/>#\d<\/text>/g)).toEqual([
        '>#1</text>',
        '>#2</text>',
        '>#3</text>',
      ]);
  });

  it('breaks the line where a run lacks the figure', () => {
    const runs = buildHistory(
      [1, 2, 3, 4].map((d) => ({
        file: `${d}.json`,
        report: historyReport({ startedAt: `2026-01-0${d}T00:00:00Z`, size: d === 3 ? null : 1000 * d }),
      })),
      () => ({ maxSizeGrowth: 0.01, maxTop1Drop: 0.01, maxLatencySlowdown: 0.1, source: 'defaults' }),
    );
    const svg = chartOf(renderHistoryHtml(runs), 'history-0-size');
    // #1–#2 joined; #4 alone (no line through the missing #3).
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1].split(' ').length);
    expect(lines).toEqual([2]);
    expect(svg.match(/<circle [^>]*r="3.5"/g)).toHaveLength(3);
  });

  it('lists the runs oldest first (not by folder name), marks the two regressions and shows "–" for the missing one', () => {
    const order = [...html.matchAll(/<code>([^<]+report\.json)<\/code>/g)].map((m) => m[1]);
    expect(order).toEqual(stub.files);
    expect([...html.matchAll(/data-regressed="(\w+)"/g)].map((m) => m[1])).toEqual(['size', 'top1']);
    expect(html).toContain('regressed (growth &gt; 1 %)');
    expect(html).toContain('regressed (drop &gt; 1 pt)');
    const lastRow = html.split('<tr>').at(-1)!;
    expect(lastRow).toMatch(/<td class="n">–<\/td><td><code>/);
    expect(html).toContain('2 regressions');
  });

  it('names where each change was judged from (the gates file of the newer run)', () => {
    expect(html).toMatch(/runs #2, #3 against the one before: .* \(from [^)]*gates\.yaml\)/);
  });
});

describe('the history page', () => {
  it('says so when no run measured a figure, instead of an empty chart', () => {
    const h: History = buildHistory(
      [{ file: 'r.json', report: historyReport({ startedAt: '2026-01-01T00:00:00Z', size: 1000 }) }],
      () => ({ maxSizeGrowth: 0.01, maxTop1Drop: 0.01, maxLatencySlowdown: 0.1, source: 'defaults' }),
    );
    const page = renderHistoryHtml(h);
    expect(charts(page)).toEqual({ 'history-0-size': 1 });
    expect(page).toContain('exported top-1: not measured in any run.');
  });
});
