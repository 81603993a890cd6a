import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHistory, type History } from './history.js';
import { readHistoryReports } from './history-files.js';
import { renderHistoryHtml } from './history-html.js';
import { regressionThresholds } from './history-thresholds.js';
import { stubHistory, type StubHistory } from './history-stub.test-util.js';
import { historyReport } from './history.test-util.js';

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

describe('the history page of three stub-chain reports', () => {
  it('is one self-contained page: no script, no link, no external resource', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
  });

  it('charts every figure over the runs, the regressions as extra red markers', () => {
    // Size: 3 runs + 1 regression marker; top-1: 3 + 1; latency: the third run measured none.
    expect(charts(html)).toEqual({ 'history-0-size': 4, 'history-0-top1': 4, 'history-0-latency': 2 });
    expect(html.match(/<circle [^>]*fill="#c33"/g)).toHaveLength(2);
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
