// `tipc compare --html`: the variant table as a page of report.html's style, with one bar chart per
// figure (parameters, fp32 size, CPU p50, top-1), each bar labelled with its ratio to CTRGCN.
import { barChart, bytes, esc, num } from '../report/index.js';
import { page, table } from '../report/index.js';
import type { CompareRow, CompareTable, Measured } from './compare.js';

const ratio = (m: Measured | null | undefined) => (m && m.ratio !== null ? ` ×${m.ratio.toFixed(2)}` : '');

function figure(
  name: string,
  title: string,
  rows: CompareRow[],
  pick: (r: CompareRow) => Measured | null | undefined,
  text: (v: number) => string,
): string {
  return barChart(
    name,
    title,
    rows.flatMap((r) => {
      const m = pick(r);
      return m ? [{ label: r.variant, value: m.value, text: `${text(m.value)}${ratio(m)}` }] : [];
    }),
  );
}

export function renderCompareHtml(t: CompareTable): string {
  const rows = t.rows;
  const cells = rows.map((r) => [
    `${esc(r.variant)}${r.status === 'pass' ? '' : ' <b style="color:#c33">(chain failed)</b>'}`,
    r.params ? `${num(r.params.value / 1e6)} M${ratio(r.params)}` : '–',
    r.gmacs ? `${num(r.gmacs.value)}${ratio(r.gmacs)}` : '–',
    ...(['fp32', 'fp16', 'int8'] as const).map((p) =>
      r.size[p] ? `${bytes(r.size[p].bytes)}${ratio(r.size[p])}` : '–',
    ),
    r.top1 ? `${(r.top1.value * 100).toFixed(2)} %${ratio(r.top1)}` : '–',
    r.cpu ? `${num(r.cpu.p50.value)} / ${num(r.cpu.p90.value)}${ratio(r.cpu.p50)}` : '–',
    `<code>${esc(r.report)}</code>`,
  ]);
  const charts = [
    figure('params', 'Parameters (M)', rows, (r) => r.params && { ...r.params, value: r.params.value / 1e6 }, num),
    figure('size-fp32', 'fp32 model size', rows, (r) => r.size.fp32, bytes),
    figure(
      'cpu-p50',
      'CPU p50 latency (ms)',
      rows,
      (r) => r.cpu?.p50,
      (v) => `${num(v)} ms`,
    ),
    figure(
      'top1',
      'Top-1 of the exported fp32 model',
      rows,
      (r) => r.top1,
      (v) => `${(v * 100).toFixed(2)} %`,
    ),
  ].filter(Boolean);
  return page(
    `TIPC compare (${t.mode})`,
    `<h1>Variants compared: ${esc(t.mode)}</h1>
<p>Measured on ${esc(t.machine.cpu)} × ${t.machine.cpus} at ${esc(t.createdAt)}; × = ratio to ${esc(t.base)} (${esc(t.ratioNote)}). Sizes in decimal units (1 MB = 10⁶ B).</p>
${table(['variant', 'params', 'GMACs', 'size fp32', 'size fp16', 'size int8', 'top-1', 'CPU p50 / p90 (ms)', 'report'], cells, [1, 2, 3, 4, 5, 6, 7])}
<h2>Charts</h2>
<div class="charts">${charts.join('\n')}</div>`,
  );
}
