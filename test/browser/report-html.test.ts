// report.html in a real headless Chromium (Debian's `chromium`, driven by playwright-core): the report
// of a full stub chain (training curve, validation, latency with histograms, sizes) loads without
// console or page errors and without touching the network, no chart is empty, the page never scrolls
// sideways at desktop or phone width, nothing in the gates scrolls sideways or is cut, the verdict and
// every headline card are in the first screen, and no artifact's full path is shown as text.
// Screenshots go to reports/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { browserPath, launchChromium, REPO, requireBrowserInCi, SHOTS } from './chromium.test-util.js';
import { runChain } from '../../src/tipc/run/chain.js';
import { stubRoot } from '../../src/tipc/run/stub-chain.test-util.js';

requireBrowserInCi('report.html');

interface Box {
  key: string;
  bottom: number;
}
interface Layout {
  verdict: Box;
  cards: Box[];
  gateRows: number;
  /** Elements in the gates that scroll sideways or reach past the section's right edge. */
  sideways: string[];
  /** What the page shows as text. */
  text: string;
}

// Evaluated in the page (a string: this project's TypeScript has no DOM types).
const LAYOUT = `(() => {
  const box = (e, key) => ({ key, bottom: e.getBoundingClientRect().bottom });
  const gates = document.querySelector('#gates');
  const right = gates.getBoundingClientRect().right;
  const sideways = [...gates.querySelectorAll('*')]
    .filter((e) => (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) || e.getBoundingClientRect().right > right + 1)
    .map((e) => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60));
  return {
    verdict: box(document.querySelector('.verdict'), 'verdict'),
    cards: [...document.querySelectorAll('[data-card]')].map((e) => box(e, e.getAttribute('data-card'))),
    gateRows: gates.querySelectorAll('tbody tr').length,
    sideways,
    text: document.body.innerText,
  };
})()`;

describe.skipIf(!browserPath)('report.html in headless Chromium', () => {
  let context: BrowserContext;
  let htmlUrl: string;
  let artifactPaths: string[];
  const temps: string[] = [];

  beforeAll(async () => {
    const { root, params } = stubRoot();
    temps.push(root);
    copyFileSync(
      path.join(REPO, 'src/tipc/__fixtures__/stub_gates.yaml'),
      path.join(path.dirname(params), 'gates.yaml'),
    );
    const r = await runChain({ params, mode: 'lite_train_lite_infer', root, gpuAvailable: false, out: () => {} });
    htmlUrl = pathToFileURL(r.htmlPath).href;
    artifactPaths = r.report.artifacts.map((a) => a.path);
    context = await launchChromium(temps);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  it.each([
    [1280, 800],
    [390, 844],
  ])('at %i×%i px: loads cleanly, verdict first, every chart has data, no horizontal scroll', async (width, height) => {
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
        return {
          name: e.getAttribute('data-chart'),
          points: Number(e.getAttribute('data-points')),
          w: b.width,
          h: b.height,
        };
      }),
    );
    const names = charts.map((c) => c.name);
    for (const want of ['loss', 'lr', 'val-top1', 'latency', 'latency-histogram-0', 'sizes'])
      expect(names).toContain(want);
    for (const c of charts) {
      expect(c.points, `${c.name} has no data`).toBeGreaterThan(0);
      expect(c.w, `${c.name} is not laid out`).toBeGreaterThan(100);
      expect(c.h).toBeGreaterThan(50);
      expect(c.w).toBeLessThanOrEqual(width);
    }
    // Evaluated in the page (a string: this project's TypeScript has no DOM types).
    const scroll = await page.evaluate<{ scrollWidth: number; innerWidth: number; viewport: string | null }>(`({
      scrollWidth: document.scrollingElement.scrollWidth,
      innerWidth: window.innerWidth,
      viewport: document.querySelector('meta[name=viewport]')?.getAttribute('content'),
    })`);
    expect(scroll.viewport).toBe('width=device-width, initial-scale=1');
    expect(scroll.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(scroll.innerWidth);
    expect(problems).toEqual([]);
    expect(network).toEqual([]);
    const layout = await page.evaluate<Layout>(LAYOUT);
    expect(layout.cards.map((c) => c.key)).toEqual(['size', 'top1', 'latency', 'agreement']);
    for (const c of [layout.verdict, ...layout.cards])
      expect(c.bottom, `${c.key} is below the first screen`).toBeLessThanOrEqual(height);
    expect(layout.gateRows, 'the gates were not found').toBeGreaterThan(5);
    // Nothing in the gates scrolls sideways or sticks out of the section (a cut detail column).
    expect(layout.sideways).toEqual([]);
    expect(layout.text).toContain('norm_train_gpus_-1_autocast_null_nodes_1/inference.onnx');
    for (const p of artifactPaths)
      expect(layout.text, 'a full artifact path is shown').not.toContain(p.replace(/^\.\//, ''));
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `report-${width}.png`), fullPage: true });
    expect(existsSync(path.join(SHOTS, `report-${width}.png`))).toBe(true);
    await page.close();
  });
});
