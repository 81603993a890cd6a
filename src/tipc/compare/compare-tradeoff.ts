// The two trade-off charts of the compare page: top-1 of the exported model against its fp32 size, and
// against its CPU p50 latency as a ratio to the CTRGCN reference timed in the same run (a ratio, not
// milliseconds: rows come from runs minutes apart on a machine whose speed drifts, and only a ratio
// puts the published figures, timed on another machine, on the same axis).
import type { CompareRow, CompareTable } from './compare.js';
import type { TradePoint } from './pareto.js';
import { toMiB } from './size-units.js';
import { tradeoffChart } from './tradeoff-chart.js';

const PUBLISHED_LEGEND = 'published (Paddle Inference, V100 machine)';

const top1Pct = (r: CompareRow) => (r.top1 ? r.top1.value * 100 : null);
const pct = (v: number) => `${Number(v.toFixed(2))} %`;

function sizeChart(t: CompareTable, published: boolean): string {
  return tradeoffChart({
    name: 'tradeoff-size',
    title: 'Top-1 against fp32 model size',
    xLabel: 'fp32 inference model (MiB): ONNX measured here; Paddle model where published',
    yLabel: 'top-1 of the exported model (%)',
    measured: t.rows.map((r) => ({ key: r.variant, x: r.size.fp32 ? toMiB(r.size.fp32.bytes) : null, y: top1Pct(r) })),
    baseline: t.base,
    published: published
      ? t.rows.map((r) => ({ key: r.variant, x: r.published?.sizeMiB ?? null, y: r.published?.top1 ?? null }))
      : undefined,
    publishedLegend: PUBLISHED_LEGEND,
    xTick: (v) => `${Number(v.toFixed(2))}`,
    yTick: pct,
  });
}

function latencyChart(t: CompareTable, published: boolean): string {
  const basePub = t.rows.find((r) => r.variant === t.base)?.published;
  const pubPoint = (r: CompareRow): TradePoint => ({
    key: r.variant,
    x: r.published && basePub ? r.published.cpuMs / basePub.cpuMs : null,
    y: r.published?.top1 ?? null,
  });
  return tradeoffChart({
    name: 'tradeoff-latency',
    title: 'Top-1 against CPU latency',
    xLabel: "CPU p50 latency ÷ CTRGCN's (the reference timed in the same run; published: ÷ published CTRGCN)",
    yLabel: 'top-1 of the exported model (%)',
    measured: t.rows.map((r) => ({ key: r.variant, x: r.cpu?.p50.ratio ?? null, y: top1Pct(r) })),
    baseline: t.base,
    published: published ? t.rows.map(pubPoint) : undefined,
    publishedLegend: PUBLISHED_LEGEND,
    refX: { value: 1, label: 'CTRGCN = 1' },
    xTick: (v) => `×${Number(v.toFixed(2))}`,
    yTick: pct,
  });
}

/** Size and latency trade-off charts ('' for a chart with nothing to draw). */
export function tradeoffCharts(t: CompareTable, o: { published?: boolean } = {}): string[] {
  return [sizeChart(t, !!o.published), latencyChart(t, !!o.published)];
}
