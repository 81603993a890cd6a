// `tipc compare --html`: the variant table as a page of report.html's style. First the trade-offs (top-1
// against size and against latency, compare-tradeoff.ts), then the measured table (each ratio to CTRGCN
// under its value, so the table fits a desktop window), the published figures when asked for, and one
// bar chart per figure (parameters, fp32 size, CPU p50, top-1) labelled with its ratio to CTRGCN.
import path from 'node:path';
import { barChart, esc, num } from '../report/index.js';
import { page, table } from '../report/index.js';
import type { CompareRow, CompareTable, Measured } from './compare.js';
import { tradeoffCharts } from './compare-tradeoff.js';
import { formatMiB, MIB, toMiB } from './size-units.js';

export interface CompareHtmlOptions {
  /** Add the published figures (their own table, hollow markers on the trade-off charts). */
  published?: boolean;
  /** Folder the page is written to (relative to the root the report paths are relative to). */
  pageDir?: string;
}

const ratio = (m: Measured | null | undefined) => (m && m.ratio !== null ? ` ×${m.ratio.toFixed(2)}` : '');
/** A table cell: the value, its ratio to CTRGCN on a line of its own. */
const cell = (text: string, m: Measured | null | undefined) =>
  m && m.ratio !== null ? `${text}<br><span class="muted">×${m.ratio.toFixed(2)}</span>` : text;
const pct = (v: number) => `${(v * 100).toFixed(2)} %`;

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

/** The report's path from the page, as a link (relative, so the page and reports move together). */
function reportLink(report: string, pageDir: string | undefined): string {
  const rel = (pageDir === undefined ? report : path.relative(pageDir, report)).split(path.sep).join('/');
  return `<a href="${esc(encodeURI(rel))}"><code>${esc(rel)}</code></a>`;
}

function measuredTable(t: CompareTable, pageDir: string | undefined): string {
  const cells = t.rows.map((r) => [
    `${esc(r.variant)}${r.status === 'pass' ? '' : ' <b style="color:#c33">(chain failed)</b>'}`,
    r.params ? cell(`${num(r.params.value / 1e6)} M`, r.params) : '–',
    r.gmacs ? cell(num(r.gmacs.value), r.gmacs) : '–',
    ...(['fp32', 'fp16', 'int8'] as const).map((p) => (r.size[p] ? cell(formatMiB(r.size[p].bytes), r.size[p]) : '–')),
    r.top1 ? cell(pct(r.top1.value), r.top1) : '–',
    r.cpu ? cell(`${num(r.cpu.p50.value)} / ${num(r.cpu.p90.value)}`, r.cpu.p50) : '–',
    reportLink(r.report, pageDir),
  ]);
  return table(
    ['variant', 'params', 'GMACs', 'size fp32', 'size fp16', 'size int8', 'top-1', 'CPU p50 / p90 (ms)', 'report'],
    cells,
    [1, 2, 3, 4, 5, 6, 7],
  );
}

function publishedTable(t: CompareTable): string {
  const base = t.rows.find((r) => r.variant === t.base)?.published;
  const cells = t.rows.map((r) => {
    const p = r.published;
    if (!p) return [esc(r.variant), '–', '–', '–', '–', '–', 'not published'];
    return [
      esc(r.variant),
      `${p.top1.toFixed(3)} %`,
      p.sizeMiB === null ? '–' : formatMiB(p.sizeMiB * MIB, 1),
      num(p.cpuMs),
      num(p.gpuMs),
      base ? `×${(p.cpuMs / base.cpuMs).toFixed(2)}` : '–',
      esc(p.source),
    ];
  });
  return `<h2>Published figures</h2>
<p class="muted">Paddle Inference on a V100 notebook machine, as published; not measured here. Sizes are the Paddle inference model's.</p>
${table(['variant', 'top-1', 'size', 'CPU ms', 'GPU ms', `CPU ÷ ${t.base}`, 'source'], cells, [1, 2, 3, 4, 5])}`;
}

function barCharts(rows: CompareRow[]): string[] {
  return [
    figure('params', 'Parameters (M)', rows, (r) => r.params && { ...r.params, value: r.params.value / 1e6 }, num),
    figure(
      'size-fp32',
      'fp32 model size (MiB)',
      rows,
      (r) => r.size.fp32 && { ...r.size.fp32, value: toMiB(r.size.fp32.bytes) },
      (v) => formatMiB(v * MIB),
    ),
    figure(
      'cpu-p50',
      'CPU p50 latency (ms)',
      rows,
      (r) => r.cpu?.p50,
      (v) => `${num(v)} ms`,
    ),
    figure('top1', 'Top-1 of the exported fp32 model', rows, (r) => r.top1, pct),
  ].filter(Boolean);
}

export function renderCompareHtml(t: CompareTable, o: CompareHtmlOptions = {}): string {
  return page(
    `TIPC compare (${t.mode})`,
    `<h1>Variants compared: ${esc(t.mode)}</h1>
<p>Measured on ${esc(t.machine.cpu)} × ${t.machine.cpus} at ${esc(t.createdAt)}; × = ratio to ${esc(t.base)} (${esc(t.ratioNote)}). Sizes in MiB (1 MiB = 2²⁰ B).</p>
<h2>Trade-offs</h2>
<div class="charts">${tradeoffCharts(t, o).filter(Boolean).join('\n')}</div>
<h2>Measured</h2>
${measuredTable(t, o.pageDir)}
${o.published ? publishedTable(t) : ''}
<h2>Per figure</h2>
<div class="charts">${barCharts(t.rows).join('\n')}</div>`,
  );
}
