import { describe, expect, it } from 'vitest';
import { tradeoffChart, type TradeoffChart } from './tradeoff-chart.js';

interface Marker {
  kind: string;
  variant: string;
  baseline: boolean;
  hollow: boolean;
  shape: string;
  at: [number, number];
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** Every data marker of the SVG with its centre (a circle's cx/cy, a diamond's mean vertex). */
function markers(svg: string): Marker[] {
  return [...svg.matchAll(/<(circle|path)\s[^>]*data-kind="[^"]*"[^>]*>/g)].map(([tag, shape]) => {
    let at: [number, number];
    if (shape === 'circle') at = [Number(attr(tag, 'cx')), Number(attr(tag, 'cy'))];
    else {
      const v = [...attr(tag, 'd')!.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      at = [v.reduce((a, p) => a + p[0], 0) / v.length, v.reduce((a, p) => a + p[1], 0) / v.length];
    }
    return {
      kind: attr(tag, 'data-kind')!,
      variant: attr(tag, 'data-variant')!,
      baseline: attr(tag, 'data-baseline') === 'true',
      hollow: attr(tag, 'fill') === 'none',
      shape,
      at,
    };
  });
}

/** The front's variants and its vertices (point, corner, point, …). */
function front(svg: string): { keys: string[]; vertices: [number, number][] } | null {
  const tag = /<polyline class="front"[^>]*>/.exec(svg)?.[0];
  if (!tag) return null;
  return {
    keys: attr(tag, 'data-front')!.split(' ').filter(Boolean),
    vertices: attr(tag, 'points')!
      .split(' ')
      .map((p) => p.split(',').map(Number) as [number, number]),
  };
}

const near = (a: [number, number], b: [number, number]) => Math.abs(a[0] - b[0]) < 0.2 && Math.abs(a[1] - b[1]) < 0.2;

const CHART: TradeoffChart = {
  name: 'tradeoff-size',
  title: 'Top-1 against fp32 model size',
  xLabel: 'fp32 size (MiB)',
  yLabel: 'top-1 (%)',
  baseline: 'BASE',
  measured: [
    { key: 'BASE', x: 5.5, y: 89 }, // dominated by MID (smaller and more accurate)
    { key: 'SMALL', x: 3.9, y: 90 },
    { key: 'MID', x: 4.3, y: 92 },
    { key: 'BIG', x: 6, y: 94 },
    { key: 'WORSE', x: 4.6, y: 91 }, // dominated by MID
    { key: 'NO_TOP1', x: 4, y: null },
  ],
  published: [
    { key: 'SMALL', x: 1, y: 99 }, // would dominate every measured point: never on the measured front
    { key: 'MID', x: 9.7, y: 90.9 },
    { key: 'NO_SIZE', x: null, y: 91 },
  ],
  publishedLegend: 'published',
};

describe('tradeoffChart', () => {
  const svg = tradeoffChart(CHART);
  const ms = markers(svg);

  it('draws one filled, labelled marker per measured variant with both figures; the baseline as a diamond', () => {
    const measured = ms.filter((m) => m.kind === 'measured');
    expect(measured.map((m) => m.variant).sort()).toEqual(['BASE', 'BIG', 'MID', 'SMALL', 'WORSE']);
    expect(svg).toMatch(/data-chart="tradeoff-size" data-points="5"/);
    expect(measured.every((m) => !m.hollow)).toBe(true);
    expect(measured.filter((m) => m.baseline).map((m) => [m.variant, m.shape])).toEqual([['BASE', 'path']]);
    expect(measured.filter((m) => !m.baseline).every((m) => m.shape === 'circle')).toBe(true);
    for (const v of ['BASE', 'SMALL', 'MID', 'BIG', 'WORSE']) expect(svg).toContain(`>${v}</text>`);
    // higher accuracy is drawn higher (smaller y), a larger size further right
    const at = (v: string) => measured.find((m) => m.variant === v)!.at;
    expect(at('BIG')[1]).toBeLessThan(at('SMALL')[1]);
    expect(at('BIG')[0]).toBeGreaterThan(at('SMALL')[0]);
  });

  it('lists a variant missing a figure under the chart instead of drawing it at 0', () => {
    expect(ms.some((m) => m.variant === 'NO_TOP1' || m.variant === 'NO_SIZE')).toBe(false);
    expect(svg).toMatch(
      /<figcaption[^>]*>Not measured \(not drawn\): NO_TOP1<br>Not published \(not drawn\): NO_SIZE</,
    );
    expect(tradeoffChart({ ...CHART, measured: CHART.measured.slice(0, 5), published: [] })).not.toContain(
      '<figcaption',
    );
  });

  it('draws published figures only as hollow markers, with their own legend entry', () => {
    const published = ms.filter((m) => m.kind === 'published');
    expect(published.map((m) => m.variant)).toEqual(['SMALL', 'MID']);
    expect(published.every((m) => m.hollow && m.shape === 'circle')).toBe(true);
    expect(ms.filter((m) => m.hollow).every((m) => m.kind === 'published')).toBe(true);
    expect(svg).toContain('data-legend="published"');
    const none = tradeoffChart({ ...CHART, published: undefined });
    expect(markers(none).some((m) => m.hollow)).toBe(false);
    expect(none).not.toContain('data-legend="published"');
  });

  it('steps the Pareto front through exactly the non-dominated measured points, in size order', () => {
    const f = front(svg)!;
    expect(f.keys).toEqual(['SMALL', 'MID', 'BIG']);
    const centre = (v: string) => ms.find((m) => m.kind === 'measured' && m.variant === v)!.at;
    const points = f.vertices.filter((_, i) => i % 2 === 0);
    const corners = f.vertices.filter((_, i) => i % 2 === 1);
    expect(points).toHaveLength(3);
    f.keys.forEach((k, i) => expect(near(points[i], centre(k)), k).toBe(true));
    // each corner: the next point's size at the previous point's accuracy (a staircase)
    corners.forEach((c, i) => expect(near(c, [points[i + 1][0], points[i][1]])).toBe(true));
    for (const m of ms.filter((m) => !f.keys.includes(m.variant) || m.kind === 'published'))
      expect(
        points.some((p) => near(p, m.at)),
        `${m.kind} ${m.variant}`,
      ).toBe(false);
  });

  it('marks a reference line where asked, and draws nothing without a point', () => {
    expect(tradeoffChart({ ...CHART, refX: { value: 1, label: 'CTRGCN = 1' } })).toContain('>CTRGCN = 1</text>');
    expect(svg).not.toContain('CTRGCN = 1');
    expect(tradeoffChart({ ...CHART, measured: [{ key: 'A', x: null, y: 1 }], published: [] })).toBe('');
  });
});
