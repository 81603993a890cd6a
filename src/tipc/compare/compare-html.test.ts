import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareTable, VariantCatalog } from './compare.js';
import { renderCompareHtml } from './compare-html.js';
import { FIXTURE_VARIANTS, fixtureCompare } from './compare-fixture.test-util.js';

const CATALOG: VariantCatalog = {
  known: FIXTURE_VARIANTS.map((v) => v.variant),
  base: 'CTRGCN_joint',
  published: {
    CTRGCN_joint: { top1: 89.93, sizeMiB: 14.5, cpuMs: 300, gpuMs: 31, source: 'base paper' },
    CTRGCN_light_joint: { top1: 90.95, sizeMiB: 9.7, cpuMs: 180, gpuMs: 23, source: 'light' },
    CTRGCN_lightV1_joint: { top1: 91.1, sizeMiB: null, cpuMs: 240, gpuMs: 15, source: 'v1' },
  },
};

/** The <svg> of the chart named `name`. */
const chart = (html: string, name: string) =>
  new RegExp(`<figure class="chart[^"]*"><svg[^>]*data-chart="${name}"[\\s\\S]*?</figure>`).exec(html)?.[0] ?? '';
const kinds = (svg: string, kind: string) =>
  [...svg.matchAll(new RegExp(`data-kind="${kind}" data-variant="([^"]+)"`, 'g'))].map((m) => m[1]).sort();
/** The cells of the variant's row in the first table, by column (each up to its first tag but <br>). */
const cells = (html: string, variant: string) =>
  (new RegExp(`<tr><td>${variant}</td>.*?</tr>`).exec(html)?.[0] ?? '')
    .split(/<td[^>]*>/)
    .slice(1)
    .map((c) => /^[^<]*(<br>)?/.exec(c)![0]);
const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MiB`;

describe('renderCompareHtml', () => {
  let root = '';
  let t: CompareTable;
  beforeAll(async () => {
    ({ root, table: t } = await fixtureCompare(CATALOG));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('draws top-1 against size and against latency, one marker per variant measured, the rest named', () => {
    const html = renderCompareHtml(t);
    const size = chart(html, 'tradeoff-size');
    const latency = chart(html, 'tradeoff-latency');
    expect(kinds(size, 'measured')).toEqual(['CTRGCN_joint', 'CTRGCN_lightV2_joint', 'CTRGCN_light_joint']);
    expect(size).toMatch(/Not measured \(not drawn\): CTRGCN_lightV1_joint, CTRGCNLite_joint</);
    expect(kinds(latency, 'measured')).toEqual(['CTRGCN_joint', 'CTRGCN_lightV2_joint', 'CTRGCN_light_joint']);
    expect(latency).toMatch(/Not measured \(not drawn\): CTRGCN_lightV1_joint, CTRGCNLite_joint</);
    expect(latency).toMatch(/CPU p50 latency ÷ CTRGCN&#39;s/);
    // the baseline is marked, and the front of this table is the light variant alone on both charts
    for (const svg of [size, latency]) {
      expect(svg).toMatch(/data-kind="measured" data-variant="CTRGCN_joint" data-baseline="true"/);
      expect(svg).toMatch(/data-front="CTRGCN_light_joint"/);
    }
    expect(html.indexOf('data-chart="tradeoff-size"')).toBeLessThan(html.indexOf('<table>'));
  });

  it('labels fp32 sizes in MiB in the table and on the chart alike', () => {
    const html = renderCompareHtml(t);
    const bars = chart(html, 'size-fp32');
    for (const v of FIXTURE_VARIANTS.filter((f) => f.fp32Bytes !== null)) {
      expect(cells(html, v.variant)[3], v.variant).toBe(`${mib(v.fp32Bytes!)}<br>`);
      expect(bars).toContain(`>${mib(v.fp32Bytes!)}`);
    }
    expect(bars).not.toMatch(/\d B[ <]/);
  });

  it('shows published figures only when asked: hollow markers and their own table', () => {
    const plain = renderCompareHtml(t);
    expect(plain).not.toContain('data-kind="published"');
    expect(plain).not.toContain('Published figures');
    const html = renderCompareHtml(t, { published: true });
    expect(html).toContain('<h2>Published figures</h2>');
    expect(kinds(chart(html, 'tradeoff-size'), 'published')).toEqual(['CTRGCN_joint', 'CTRGCN_light_joint']);
    expect(chart(html, 'tradeoff-size')).toMatch(
      /Not published \(not drawn\): CTRGCN_lightV2_joint, CTRGCN_lightV1_joint, CTRGCNLite_joint/,
    );
    expect(kinds(chart(html, 'tradeoff-latency'), 'published')).toEqual([
      'CTRGCN_joint',
      'CTRGCN_lightV1_joint',
      'CTRGCN_light_joint',
    ]);
    // published latency is a ratio to the published CTRGCN: 180 / 300
    expect(html).toMatch(
      /<td>CTRGCN_light_joint<\/td><td class="n">90\.950 %<\/td><td class="n">9\.7 MiB<\/td>(<td[^>]*>[^<]*<\/td>){2}<td class="n">×0\.60<\/td>/,
    );
    expect(html).toMatch(/CTRGCN_light_joint \(published\): 0\.6, 90\.95/);
  });

  it('puts each ratio under its value and links each report relative to the page', () => {
    const html = renderCompareHtml(t, { pageDir: 'out/pages' });
    expect(html).toMatch(/<td class="n">94\.00 %<br><span class="muted">×1\.06<\/span><\/td>/);
    expect(html).toContain(
      '<a href="../../reports/CTRGCN_light_joint/lite_train_lite_infer/report.json"><code>../../reports/CTRGCN_light_joint/lite_train_lite_infer/report.json</code></a>',
    );
    expect(renderCompareHtml(t)).toContain('<a href="reports/CTRGCN_light_joint/lite_train_lite_infer/report.json">');
  });
});
