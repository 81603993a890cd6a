import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.js';
import { validateReport } from './report.js';
import { gate, RUN, sampleGates, sampleReport, UNIT } from './report.test-util.js';

/** The card of one headline figure (its whole <article>). */
function cardOf(html: string, key: string): string {
  const m = new RegExp(`<article class="card" data-card="${key}"[\\s\\S]*?</article>`).exec(html);
  if (!m) throw new Error(`no ${key} card`);
  return m[0];
}

/** What a reader sees of some HTML: the text without tags, attributes (tooltips) or styles. */
const visible = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<title>[\s\S]*?<\/title>/g, '')
    .replace(/<[^>]*>/g, '');

/** The x of the budget line of a card's scale and of the right end of what it draws. */
function budgetX(card: string): number {
  return Number(/<line x1="([\d.]+)"[^>]*stroke="#333"/.exec(card)![1]);
}

describe('report.html headline cards', () => {
  it('the sample report is a valid report (the cards below read a real shape)', () => {
    expect(validateReport(sampleReport()).errors).toEqual([]);
  });

  it('take each value and budget from the report’s gates and measurements', () => {
    const html = renderHtml(sampleReport());
    const size = cardOf(html, 'size');
    expect(size).toContain('data-status="pass"');
    expect(visible(size)).toMatch(
      /4\.11 MB[\s\S]*budget ≤ 10\.49 MB \(10 MiB\)[\s\S]*39\.2 % of the budget[\s\S]*PASS/,
    );
    expect(visible(cardOf(html, 'top1'))).toMatch(/94\.0 %[\s\S]*minimum ≥ 80\.0 %/);
    const latency = visible(cardOf(html, 'latency'));
    expect(latency).toContain('0.6021×');
    expect(latency).toContain('budget ≤ 1.15× CTRGCN');
    // The interval comes from the two benchmarks: 36 / 64 … 38 / 63.1.
    expect(latency).toContain(`interval ${(36 / 64).toPrecision(4)}–${(38 / 63.1).toPrecision(4)}`);
    const agreement = visible(cardOf(html, 'agreement'));
    expect(agreement).toMatch(/99\.5 %[\s\S]*threshold ≥ 99\.0 %/);
    expect(agreement).toContain('fp16 100.0 %');
  });

  it('draw the value against the budget line', () => {
    const html = renderHtml(sampleReport());
    const size = cardOf(html, 'size');
    const bar = Number(/<rect x="[\d.]+" y="\d+" width="([\d.]+)"/.exec(size)![1]);
    // 4.11 MB of a 10.49 MB budget: the bar ends at about 39 % of the way to the budget line.
    expect(bar / (budgetX(size) - 4)).toBeCloseTo(4112685 / 10485760, 1);
    const latency = cardOf(html, 'latency');
    expect(latency).toMatch(/data-marks="1"/);
    const whiskers = [...latency.matchAll(/<line x1="([\d.]+)" y1="\d+" x2="([\d.]+)" y2="\d+"\/>/g)];
    expect(Math.max(...whiskers.map((m) => Number(m[2])))).toBeLessThan(budgetX(latency));
    expect(cardOf(html, 'agreement')).toMatch(/data-marks="2"/);
  });

  it('a figure with no gate is not measured: no number, no budget', () => {
    const gates = sampleGates().filter((g) => !g.name.startsWith('agreement') && g.name !== 'latency');
    const html = renderHtml(sampleReport({ gates }));
    for (const key of ['agreement', 'latency']) {
      const card = cardOf(html, key);
      expect(card).toContain('data-status="not-measured"');
      expect(visible(card)).toContain('not measured');
      expect(visible(card.replace(/<h3>.*?<\/h3>/, ''))).not.toMatch(/\d/);
      expect(card).not.toContain('<svg');
    }
    expect(cardOf(html, 'size')).toContain('data-status="pass"');
  });

  it('a failing gate shows FAIL on its card', () => {
    const gates = sampleGates().map((g) =>
      g.name === 'agreement[int8]' ? gate(g.name, 0.95, 0.99, g.unit, 'fail') : g,
    );
    const html = renderHtml(sampleReport({ gates }));
    const card = cardOf(html, 'agreement');
    expect(card).toContain('data-status="fail"');
    expect(visible(card)).toMatch(/95\.0 %[\s\S]*FAIL/);
    expect(visible(cardOf(html, 'size'))).toContain('PASS');
  });

  it('a gate that measured nothing shows its result and a dash, not a number', () => {
    const gates = sampleGates().map((g) => (g.name === 'size' ? gate('size', null, 10485760, 'B', 'fail') : g));
    const card = cardOf(renderHtml(sampleReport({ gates })), 'size');
    expect(card).toContain('data-status="fail"');
    expect(visible(card)).toMatch(/–[\s\S]*budget ≤ 10\.49 MB[\s\S]*FAIL/);
  });
});

describe('report.html layout', () => {
  it('leads with the verdict and its gate counts, then the cards, gates, charts and details', () => {
    const gates = [...sampleGates(), gate('training', null, 0.8, 'top1', 'not-set')];
    const html = renderHtml(sampleReport({ gates }));
    expect(visible(/<p class="verdict"[\s\S]*?<\/p>/.exec(html)![0])).toMatch(
      /FAIL[\s\S]*gates: 8 passed, 0 failed, 1 not set/,
    );
    const at = ['class="verdict"', 'class="cards"', 'id="gates"', 'id="charts"', 'id="details"'].map((s) =>
      html.indexOf(s),
    );
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('shows paths relative to the run folder, the full path only in tooltips', () => {
    const r = sampleReport();
    const html = renderHtml(r);
    const text = visible(html);
    for (const a of r.artifacts) {
      expect(text).not.toContain(a.path.replace(/^\.\//, ''));
      expect(html).toContain(`title="${a.path}"`);
    }
    expect(text).toContain('norm_train_gpus_-1_autocast_null_nodes_1/int8/inference.onnx');
    // Gate details too: the size gate names the artifact by its relative path.
    expect(text).toContain('artifact norm_train_gpus_-1_autocast_null_nodes_1/inference.*');
    expect(text).not.toContain(`${UNIT}/inference.*`.slice(2));
    expect(text).toContain(RUN); // said once, as the folder the paths are relative to
  });

  it('lists the gates in a table whose rows stack on a phone, with no script and no link', () => {
    const html = renderHtml(sampleReport());
    expect(html).toMatch(/<section class="gates" id="gates">[\s\S]*<thead>/);
    expect(html).toMatch(/@media \(max-width:600px\)\{\.gates thead\{display:none\}/);
    expect(html).toContain('data-label="detail"');
    expect(html).not.toMatch(/<script|href=|src=|@import|url\(/);
  });
});
