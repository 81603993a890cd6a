// A self-contained report.html: gate table, step table, and inline SVG charts (html-charts.ts): loss
// and learning rate on their own axes, validation top-1 per epoch, latency p50/p90/p99 with a histogram
// per benchmark, artifact sizes against the budget. No scripts, no links, readable from phone to desktop
// (viewport meta; wide tables scroll inside their own box, never the page).
import type { TrainStepRecord, ValidationRecord } from '../../contracts/index.js';
import type { Report } from './report.js';
import { barChart, bytes, esc, histogramChart, lineChart, num } from './html-charts.js';

const CSS = [
  '*{box-sizing:border-box}',
  'body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:16px;max-width:1100px;color:#222}',
  'h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #ddd}h3{font-size:15px}',
  '.scroll{overflow-x:auto;max-width:100%;margin:8px 0 16px}',
  'table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}',
  'td.n{text-align:right;white-space:nowrap}td{min-width:5em}td:last-child{min-width:14em}',
  'code{font-size:12px;word-break:break-all}',
  '.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:12px}',
  'figure.chart{margin:0}figure.chart svg{width:100%;height:auto;display:block}',
  '.muted{color:#777}.st{font-size:20px;font-weight:bold}p,li{overflow-wrap:anywhere}',
].join('');

/** A complete page around `body`. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
${body}
</body></html>
`;
}

/** A table in its own horizontally scrolling box. */
export function table(head: string[], rows: string[][], numeric: readonly number[] = []): string {
  const td = (c: string, i: number) => (numeric.includes(i) ? `<td class="n">${c}</td>` : `<td>${c}</td>`);
  return `<div class="scroll"><table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows
    .map((r) => `<tr>${r.map(td).join('')}</tr>`)
    .join('')}</table></div>`;
}

const STATUS_COLOR = (s: string) => (s === 'pass' ? '#2a7' : s === 'skipped' || s === 'not-set' ? '#888' : '#c33');
const statusCell = (s: string) => `<b style="color:${STATUS_COLOR(s)}">${esc(s.toUpperCase())}</b>`;

/** A gate's value or threshold as text (bytes in kB/MB, ratios and fractions to 4 digits). */
function gateValue(v: unknown, unit: string): string {
  if (typeof v === 'number') return unit === 'B' ? `${bytes(v)} <span class="muted">(${v} B)</span>` : esc(num(v));
  return v === null || v === undefined ? '–' : esc(typeof v === 'string' ? v : JSON.stringify(v));
}

/** The training records of the run's train step (chain records). */
export interface TrainingCurve {
  steps: TrainStepRecord[];
  val: ValidationRecord[];
}

type Latency = Report['measurements']['latency'][number];

const latName = (l: Latency) =>
  `${l.target === 'reference' ? 'reference' : 'model'} (${l.device}, ${l.threads ?? 'default'} threads)`;

/** Loss, learning rate and validation top-1 of the train step. */
function trainingCharts(training: TrainingCurve): string[] {
  const steps = training.steps;
  const loss = lineChart(
    'loss',
    'Training loss',
    [{ name: 'loss', color: '#c60', points: steps.map((p) => ({ x: p.global_step, y: p.loss })) }],
    { xLabel: 'step', yLabel: 'loss' },
  );
  const lr = lineChart(
    'lr',
    'Learning rate',
    [{ name: 'lr', color: '#393', points: steps.map((p) => ({ x: p.global_step, y: p.lr })) }],
    { xLabel: 'step', yLabel: 'learning rate', yMin: 0 },
  );
  const val = lineChart(
    'val-top1',
    'Validation top-1 per epoch',
    [
      { name: 'val top-1', color: '#26a', markers: true, points: training.val.map((v) => ({ x: v.epoch, y: v.top1 })) },
      {
        name: 'train top-1 (batch)',
        color: '#bbb',
        points: steps.map((p) => ({ x: p.epoch - 1 + (p.iter + 1) / (p.steps ?? p.iter + 1), y: p.top1 })),
      },
    ],
    { xLabel: 'epoch', yLabel: 'top-1', yMin: 0, yMax: 1 },
  );
  return [loss, lr, val];
}

/** p50/p90/p99 bars of every benchmark and a histogram of each. */
function latencyCharts(r: Report): string[] {
  const M = r.measurements;
  const latencyBars = barChart(
    'latency',
    'Latency per batch: p50 / p90 / p99 (ms)',
    M.latency.flatMap((l) => [
      {
        label: `${latName(l)} p50`,
        value: l.p50,
        color: '#2a6fd0',
        text: `${num(l.p50)} ms [${l.p50Ci.map(num).join(', ')}]`,
      },
      { label: `${latName(l)} p90`, value: l.p90, color: '#6d95d8', text: `${num(l.p90)} ms` },
      ...(l.p99 !== undefined
        ? [{ label: `${latName(l)} p99`, value: l.p99, color: '#a9c0e8', text: `${num(l.p99)} ms` }]
        : []),
    ]),
  );
  const histograms = M.latency
    .filter((l) => l.histogram)
    .map((l, i) =>
      histogramChart(
        `latency-histogram-${i}`,
        `Latency distribution: ${latName(l)}`,
        { lo: l.histogram!.loMs, hi: l.histogram!.hiMs, counts: l.histogram!.counts },
        [
          { label: 'p50', value: l.p50, color: '#c60' },
          { label: 'p90', value: l.p90, color: '#a3a' },
          ...(l.p99 !== undefined ? [{ label: 'p99', value: l.p99, color: '#c33' }] : []),
        ],
        'ms',
      ),
    );
  return [latencyBars, ...histograms];
}

/** The inference matrix's mean per cell and the artifact sizes, each against its budget. */
function budgetCharts(r: Report): string[] {
  const absGate = r.gates.find((g) => g.name === 'latency[abs]');
  const absLimit = typeof absGate?.threshold === 'number' ? absGate.threshold : null;
  const cells = r.steps.filter((s) => s.metrics?.latency?.inferenceMs !== undefined);
  const cellBars = barChart(
    'cells',
    'Inference matrix: mean ms per batch (warm-up excluded)',
    cells.map((s) => ({
      label: s.name.replace(/^infer:python_infer_/, ''),
      value: s.metrics!.latency!.inferenceMs!,
      text: `${num(s.metrics!.latency!.inferenceMs!)} ms`,
    })),
    { limit: absLimit, limitText: absLimit !== null ? `budget ${num(absLimit)} ms` : undefined },
  );
  const sizeGate = r.gates.find((g) => g.name === 'size');
  const limit = typeof sizeGate?.threshold === 'number' ? sizeGate.threshold : null;
  const sizes = barChart(
    'sizes',
    'Inference artifact sizes',
    r.artifacts.map((a) => ({ label: a.path.split('/').slice(-2).join('/'), value: a.bytes, text: bytes(a.bytes) })),
    { limit, limitText: limit !== null ? `budget ${bytes(limit)}` : undefined },
  );
  return [cellBars, sizes];
}

function gatesTable(r: Report): string {
  return table(
    ['gate', 'value', 'threshold', 'unit', 'result', 'detail'],
    r.gates.map((g) => [
      esc(g.name),
      gateValue(g.value, g.unit),
      gateValue(g.threshold, g.unit),
      esc(g.unit),
      statusCell(g.status),
      esc(g.detail ?? ''),
    ]),
    [1, 2],
  );
}

function stepsTable(r: Report): string {
  return table(
    ['#', 'step', 'status', 'exit', 's', 'note'],
    r.steps.map((s) => [
      String(s.id),
      `${esc(s.name)}${s.resumed ? ' <span class="muted">(resumed)</span>' : ''}<br><code class="muted">${esc(s.log)}</code>`,
      statusCell(s.status),
      String(s.exitCode ?? '–'),
      (s.durationMs / 1000).toFixed(1),
      esc(s.reason ?? ''),
    ]),
    [0, 3, 4],
  );
}

function certifiedSection(r: Report): string {
  const C = r.measurements.certified;
  if (!C.length) return '';
  const item = (c: (typeof C)[number]) =>
    `<li><code>${esc(c.checkpoint)}</code> [${esc(c.rule)}]: ${esc(c.reason)}${c.artifact ? `; accuracy measured on <code>${esc(c.artifact)}</code>` : ''}</li>`;
  return `<h2>Certified model</h2><ul>${C.map(item).join('')}</ul>`;
}

/** Accuracy, latency and size tables of what the run measured. */
function measuredSection(r: Report): string {
  const M = r.measurements;
  const accuracy = M.accuracy.length
    ? `<h3>Accuracy</h3>${table(
        ['model', 'file', 'top-1', 'top-5', 'samples', 'agreement with fp32'],
        M.accuracy.map((a) => [
          esc(a.model),
          `<code>${esc(a.path)}</code>`,
          num(a.top1),
          num(a.top5),
          String(a.samples ?? '–'),
          a.agreementWithFp32 !== undefined ? num(a.agreementWithFp32) : '–',
        ]),
        [2, 3, 4, 5],
      )}`
    : '';
  const latency = M.latency.length
    ? `<h3>Latency (ms per batch, ${(M.latency[0].confidence * 100).toFixed(0)} % confidence intervals)</h3>${table(
        ['model', 'file', 'p50', 'p90', 'p99', 'mean', 'batches'],
        M.latency.map((l) => [
          esc(latName(l)),
          `<code>${esc(l.modelFile)}</code>`,
          `${num(l.p50)} [${l.p50Ci.map(num).join(', ')}]`,
          `${num(l.p90)} [${l.p90Ci.map(num).join(', ')}]`,
          l.p99 !== undefined ? num(l.p99) : '–',
          num(l.mean),
          String(l.batches),
        ]),
        [2, 3, 4, 5, 6],
      )}`
    : '';
  const sizeTable = M.sizes.length
    ? `<h3>Sizes</h3>${table(
        ['artifact', 'size', 'bytes'],
        r.artifacts.map((a) => [`<code>${esc(a.path)}</code>`, bytes(a.bytes), String(a.bytes)]),
        [1, 2],
      )}`
    : '';
  if (!(accuracy || latency || sizeTable)) return '';
  return `<h2>Measured</h2>${accuracy}${latency}${sizeTable}<p class="muted">Sizes in decimal units: 1 kB = 1000 B, 1 MB = 10⁶ B.</p>`;
}

function baselineSection(r: Report): string {
  if (!r.baseline) return '';
  return `<h2>Baseline</h2><p>Compared with <code>${esc(r.baseline.path)}</code> (${esc(r.baseline.startedAt)})</p>${table(
    ['metric', 'item', 'baseline', 'now', 'change', 'result'],
    r.baseline.deltas.map((d) => [
      esc(d.metric),
      esc(d.key),
      esc(d.baseline ?? '–'),
      esc(d.current ?? '–'),
      d.change === null ? '–' : num(d.change),
      statusCell(d.status) + (d.note ? ` (${esc(d.note)})` : ''),
    ]),
    [2, 3, 4],
  )}`;
}

/** Title, verdict, the run's identity and its counts. */
function header(r: Report): string {
  const S = r.summary;
  const shards = r.shards?.length ? ` · shards ${r.shards.map((s) => `${s.index}/${s.count}`).join(', ')}` : '';
  return `<h1>TIPC report: ${esc(r.model)} / ${esc(r.mode)}</h1>
<p class="st" style="color:${STATUS_COLOR(r.status)}">${r.status.toUpperCase()}${r.interrupted ? ` <span class="muted">(interrupted by ${esc(r.interrupted.signal)})</span>` : ''}</p>
<p>Params <code>${esc(r.params)}</code> · driver ${esc(r.driver)} · started ${esc(r.startedAt)} · ${(r.durationMs / 1000).toFixed(1)} s${shards}</p>
<p>Steps: ${S.pass} passed, ${S.fail} failed, ${S.timeout} timed out, ${S.skipped} skipped · gates ${S.gatesPassed} passed, ${S.gatesFailed} failed, ${S.gatesNotSet} not set${r.allowNotSet ? ' (--allow-not-set: not-set gates were warnings, not failures)' : ''}</p>`;
}

function environmentSection(r: Report): string {
  const env = r.environment;
  return `<h2>Environment</h2>
<p>Node ${esc(env.node)} · ${esc(env.platform)} · ${esc(env.cpu)} × ${env.cpus} · threads ${env.threads} · GPU: ${env.gpu.available ? 'yes' : 'no'} (${esc(env.gpu.reason)}) · backends: ${esc(env.backends.join(', ') || 'none found')}</p>`;
}

export function renderHtml(r: Report, training: TrainingCurve = { steps: [], val: [] }): string {
  const charts = [...trainingCharts(training), ...latencyCharts(r), ...budgetCharts(r)].filter(Boolean);
  return page(
    `TIPC ${r.model} ${r.mode}: ${r.status}`,
    `${header(r)}
<h2>Gates</h2>
${gatesTable(r)}
${certifiedSection(r)}
${measuredSection(r)}
${baselineSection(r)}
<h2>Charts</h2>
${charts.length ? `<div class="charts">${charts.join('\n')}</div>` : '<p class="muted">Nothing was measured.</p>'}
<h2>Steps</h2>
${stepsTable(r)}
${environmentSection(r)}
${r.notes?.length ? `<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}`,
  );
}
