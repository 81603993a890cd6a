// The history page (`tipc report --history … --html`) in a real headless Chromium (Debian's `chromium`,
// driven by playwright-core), rendered from three report.json files of the stub chain: it loads without
// console or page errors and without touching the network, every chart has data and fits, and the page
// never scrolls sideways at desktop or phone width. Skipped like report-html.test.ts when there is no
// Chromium (an error in CI unless .ci/run said it could not install one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { browserPath, launchChromium, requireBrowserInCi } from './chromium.test-util.js';
import {
  buildHistory,
  readHistoryReports,
  regressionThresholds,
  renderHistoryHtml,
} from '../../src/tipc/history/index.js';
import { stubHistory } from '../../src/tipc/history/stub.test-util.js';

requireBrowserInCi('history page');

describe.skipIf(!browserPath)('the history page in headless Chromium', () => {
  let context: BrowserContext;
  let htmlUrl: string;
  const temps: string[] = [];

  beforeAll(async () => {
    const stub = await stubHistory();
    temps.push(stub.root);
    const history = buildHistory(readHistoryReports(stub.files), (r) => regressionThresholds(r, stub.root));
    expect(history.groups[0].runs).toHaveLength(3);
    const htmlPath = path.join(stub.root, 'history.html');
    writeFileSync(htmlPath, renderHistoryHtml(history));
    htmlUrl = pathToFileURL(htmlPath).href;
    context = await launchChromium(temps);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  it.each([
    [1280, 800],
    [390, 844],
  ])('at %i×%i px: loads cleanly, every chart has data, no horizontal scroll', async (width, height) => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    const problems: string[] = [];
    const network: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      network.push(url);
      return route.abort();
    });
    await page.goto(htmlUrl, { waitUntil: 'load' });
    const charts = await page.$$eval('[data-chart]', (els) =>
      els.map((e) => {
        const b = e.getBoundingClientRect();
        return { name: e.getAttribute('data-chart'), points: Number(e.getAttribute('data-points')), w: b.width };
      }),
    );
    expect(charts.map((c) => c.name)).toEqual(['history-0-size', 'history-0-top1', 'history-0-latency']);
    for (const c of charts) {
      expect(c.points, `${c.name} has no data`).toBeGreaterThan(0);
      expect(c.w, `${c.name} is not laid out`).toBeGreaterThan(100);
      expect(c.w).toBeLessThanOrEqual(width);
    }
    // Evaluated in the page (a string: this project's TypeScript has no DOM types).
    const scroll = await page.evaluate<{ scrollWidth: number; innerWidth: number; rows: number }>(`({
      scrollWidth: document.scrollingElement.scrollWidth,
      innerWidth: window.innerWidth,
      rows: document.querySelectorAll('table tr').length,
    })`);
    expect(scroll.rows).toBe(4);
    expect(scroll.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(scroll.innerWidth);
    expect(problems).toEqual([]);
    expect(network).toEqual([]);
    await page.close();
  });
});
