// The `tipc compare --html` page in a real headless Chromium (Debian's `chromium`, driven by
// playwright-core), built from fixture lite-chain reports (no training) with the published figures on:
// it loads without console or page errors and without touching the network, the page never scrolls
// sideways at desktop or phone width (the table scrolls inside its own box on a phone, and fits whole
// at 1280 px), and both trade-off charts are drawn with one marker per measured variant. Screenshots go
// to reports/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { browserPath, launchChromium, requireBrowserInCi, SHOTS } from './chromium.test-util.js';
import { renderCompareHtml } from '../../src/tipc/compare/compare-html.js';
import type { CompareTable } from '../../src/tipc/compare/compare.js';
import { fixtureCompare } from '../../src/tipc/compare/compare-fixture.test-util.js';
import { registryCatalog } from '../../src/cli/tipc-compare.js';

requireBrowserInCi('compare.html');

interface Layout {
  scrollWidth: number;
  innerWidth: number;
  viewport: string | null;
  /** Each table box: its visible width and the width of what it holds. */
  tables: { client: number; scroll: number }[];
  charts: { name: string; points: number; measured: string[]; published: number; w: number; h: number }[];
}

// Evaluated in the page (a string: this project's TypeScript has no DOM types).
const LAYOUT = `(() => ({
  scrollWidth: document.scrollingElement.scrollWidth,
  innerWidth: window.innerWidth,
  viewport: document.querySelector('meta[name=viewport]')?.getAttribute('content') ?? null,
  tables: [...document.querySelectorAll('.scroll')].map((s) => ({ client: s.clientWidth, scroll: s.scrollWidth })),
  charts: [...document.querySelectorAll('svg[data-chart]')].map((e) => {
    const b = e.getBoundingClientRect();
    return {
      name: e.getAttribute('data-chart'),
      points: Number(e.getAttribute('data-points')),
      measured: [...e.querySelectorAll('[data-kind=measured]')].map((m) => m.getAttribute('data-variant')),
      published: e.querySelectorAll('[data-kind=published]').length,
      w: b.width,
      h: b.height,
    };
  }),
}))()`;

describe.skipIf(!browserPath)('compare.html in headless Chromium', () => {
  let context: BrowserContext;
  let htmlUrl: string;
  let table: CompareTable;
  const temps: string[] = [];

  beforeAll(async () => {
    const fixture = await fixtureCompare(registryCatalog());
    temps.push(fixture.root);
    table = fixture.table;
    const html = path.join(fixture.root, 'out/compare.html');
    mkdirSync(path.dirname(html), { recursive: true });
    writeFileSync(html, renderCompareHtml(table, { published: true, pageDir: 'out' }));
    htmlUrl = pathToFileURL(html).href;
    context = await launchChromium(temps);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  it.each([
    [1280, 800],
    [390, 844],
  ])('at %i×%i px: loads cleanly, both trade-off charts drawn, no horizontal scroll', async (width, height) => {
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
    const layout = await page.evaluate<Layout>(LAYOUT);

    // one marker per variant with both figures of the chart, and published figures beside them
    const withFigures = (x: (r: CompareTable['rows'][number]) => unknown) =>
      table.rows.filter((r) => r.top1 && x(r) != null).map((r) => r.variant);
    const expected = {
      'tradeoff-size': withFigures((r) => r.size.fp32),
      'tradeoff-latency': withFigures((r) => r.cpu?.p50.ratio),
    };
    for (const [name, variants] of Object.entries(expected)) {
      const c = layout.charts.find((x) => x.name === name);
      expect(c, `${name} is missing`).toBeDefined();
      expect(variants.length).toBeGreaterThan(1);
      expect(c!.points).toBe(variants.length);
      expect([...c!.measured].sort()).toEqual([...variants].sort());
      expect(c!.published).toBeGreaterThan(0);
    }
    for (const c of layout.charts) {
      expect(c.w, `${c.name} is not laid out`).toBeGreaterThan(100);
      expect(c.h).toBeGreaterThan(50);
      expect(c.w).toBeLessThanOrEqual(width);
    }
    expect(layout.viewport).toBe('width=device-width, initial-scale=1');
    expect(layout.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(layout.innerWidth);
    // at desktop width the tables are whole: nothing hidden behind their own scroll bars
    if (width >= 1280)
      for (const t of layout.tables) expect(t.scroll, 'a table is cut at 1280 px').toBeLessThanOrEqual(t.client);
    expect(problems).toEqual([]);
    expect(network).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `compare-${width}.png`), fullPage: true });
    expect(existsSync(path.join(SHOTS, `compare-${width}.png`))).toBe(true);
    await page.close();
  });
});
