// A self-contained report.html, verdict first: the PASS/FAIL line and the headline cards
// (html-cards.ts), why a failing run failed, then the gates (detail text wraps; on a phone each gate
// stacks as a card), then the inline SVG charts (html-charts.ts: loss and learning rate on their own
// axes, validation top-1 per epoch, latency p50/p90/p99 with a histogram per benchmark, artifact sizes
// against the budget), then the details: measurements, steps, environment, artifacts, notes. Paths are
// shown relative to the run folder (paths.ts), the full path in a tooltip. No scripts, no links, no
// fonts to fetch; readable from phone to desktop (viewport meta; only the detail tables may scroll
// sideways inside their own box, never the page).
import type { TrainStepRecord, ValidationRecord } from '../../contracts/index.js';
import type { Report } from './report.js';
import { barChart, bytes, esc, histogramChart, lineChart, num } from './html-charts.js';
import { headlineCards, STATUS_COLOR, verdictLine } from './html-cards.js';
import { pathHtml, runFolder, textWithPaths } from './paths.js';
import { failureReasons } from './shared.js';

const CSS = [
  '*{box-sizing:border-box}',
  'body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:16px;max-width:1100px;color:#222}',
  'h1{font-size:20px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #ddd}h3{font-size:15px}',
  '.scroll{overflow-x:auto;max-width:100%;margin:8px 0 16px}',
  'table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}',
  'td.n{text-align:right;white-space:nowrap}td{min-width:5em}td:last-child{min-width:14em}',
  'code{font-size:12px;word-break:break-all}',
  '.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:12px}',
  'figure.chart{margin:0}figure.chart svg{width:100%;height:auto;display:block}',
  '.muted{color:#666}p,li{overflow-wrap:anywhere}p.why{margin:8px 0 0}ul.why{margin:2px 0}',
  // The verdict and the headline cards: four across on a desktop, two on a phone.
  '.verdict{font-size:16px;margin:4px 0 10px}.verdict b{font-size:22px;margin-right:6px}',
  '.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:8px;margin:0 0 8px}',
  '.card{border:1px solid #ccc;border-top:4px solid #666;border-radius:6px;padding:6px 8px;min-width:0}',
  '.card h3{font-size:13px;margin:0;color:#444;font-weight:600}.card p{margin:0}',
  '.card .val{font-size:19px;font-weight:600}.card .budget,.card .note{font-size:12px}.card .res{font-weight:bold;font-size:13px}',
  '.card svg{width:100%;height:auto;display:block;margin-top:2px}',
  // Gates: one table as wide as the page whose detail wraps; on a phone each gate is a card.
  '.gates table{width:100%}.gates td,.gates th{overflow-wrap:break-word}.gates td{min-width:0}.gates td.n{white-space:normal}',
  '.gates td.d{overflow-wrap:anywhere;width:45%}.gates tr.fail td{background:#fdf0f0}',
  // (the name and the result on its first line, then value, threshold, unit and detail, each labelled).
  '@media (max-width:600px){.gates thead{display:none}.gates table,.gates tbody{display:block;width:auto}' +
    '.gates tr{display:flex;flex-wrap:wrap;border:1px solid #ccc;border-radius:6px;margin:0 0 8px;padding:4px 8px}' +
    '.gates td,.gates td.d,.gates td.n{display:block;flex:1 1 100%;border:0;padding:1px 0;text-align:left;width:auto}' +
    '.gates td.g{flex:1 1 auto;order:-2;font-weight:bold}.gates td.r{flex:0 0 auto;order:-1}' +
    '.gates td.n::before,.gates td.u::before,.gates td.d::before{content:attr(data-label) ": ";color:#666}}',
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

const statusCell = (s: string) => `<b style="color:${STATUS_COLOR(s)}">${esc(s.toUpperCase())}</b>`;

/** A gate's value or threshold as text (bytes in kB/MB, ratios and fractions to 4 digits). */
function gateValue(v: unknown, unit: string): string {
  // A number and its unit never part (no-break spaces): `4.11 MB (4112685 B)` wraps only between the two.
  if (typeof v === 'number')
    return unit === 'B' ? `${bytes(v).replace(' ', '&nbsp;')} <span class="muted">(${v}&nbsp;B)</span>` : esc(num(v));
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

/** Every gate: value, threshold and result, the detail wrapping (never scrolling) beside them. */
function gatesSection(r: Report, folder: string): string {
  const cell = (label: string, html: string, cls = '') =>
    `<td${cls ? ` class="${cls}"` : ''}${label ? ` data-label="${label}"` : ''}>${html}</td>`;
  const rows = r.gates.map(
    (g) =>
      `<tr class="${g.status}">${[
        cell('', esc(g.name), 'g'),
        cell('value', gateValue(g.value, g.unit), 'n'),
        cell('threshold', gateValue(g.threshold, g.unit), 'n'),
        cell('unit', esc(g.unit), 'u'),
        cell('result', statusCell(g.status), 'r'),
        cell('detail', textWithPaths(g.detail ?? '', folder), 'd'),
      ].join('')}</tr>`,
  );
  const head = ['gate', 'value', 'threshold', 'unit', 'result', 'detail'].map((h) => `<th>${h}</th>`).join('');
  return `<section class="gates" id="gates"><h2>Gates</h2>${
    r.gates.length
      ? `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`
      : '<p class="muted">No gate was evaluated.</p>'
  }</section>`;
}

function stepsTable(r: Report, folder: string): string {
  return table(
    ['#', 'step', 'status', 'exit', 's', 'note'],
    r.steps.map((s) => [
      String(s.id),
      `${esc(s.name)}${s.resumed ? ' <span class="muted">(resumed)</span>' : ''}<br>${pathHtml(s.log, folder)}`,
      statusCell(s.status),
      String(s.exitCode ?? '–'),
      (s.durationMs / 1000).toFixed(1),
      textWithPaths(s.reason ?? '', folder),
    ]),
    [0, 3, 4],
  );
}

function certifiedSection(r: Report, folder: string): string {
  const C = r.measurements.certified;
  if (!C.length) return '';
  const item = (c: (typeof C)[number]) =>
    `<li>${pathHtml(c.checkpoint, folder)} [${esc(c.rule)}]: ${textWithPaths(c.reason, folder)}${c.artifact ? `; accuracy measured on ${pathHtml(c.artifact, folder)}` : ''}</li>`;
  return `<h3>Certified model</h3><ul>${C.map(item).join('')}</ul>`;
}

/** Accuracy and latency tables of what the run measured. */
function measuredSection(r: Report, folder: string): string {
  const M = r.measurements;
  const accuracy = M.accuracy.length
    ? `<h3>Accuracy</h3>${table(
        ['model', 'file', 'top-1', 'top-5', 'samples', 'agreement with fp32'],
        M.accuracy.map((a) => [
          esc(a.model),
          pathHtml(a.path, folder),
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
          pathHtml(l.modelFile, folder),
          `${num(l.p50)} [${l.p50Ci.map(num).join(', ')}]`,
          `${num(l.p90)} [${l.p90Ci.map(num).join(', ')}]`,
          l.p99 !== undefined ? num(l.p99) : '–',
          num(l.mean),
          String(l.batches),
        ]),
        [2, 3, 4, 5, 6],
      )}`
    : '';
  return accuracy + latency;
}

function artifactsSection(r: Report, folder: string): string {
  if (!r.artifacts.length) return '';
  return `<h3>Artifacts</h3>${table(
    ['artifact', 'size', 'bytes'],
    r.artifacts.map((a) => [pathHtml(a.path, folder), bytes(a.bytes), String(a.bytes)]),
    [1, 2],
  )}<p class="muted">Sizes in decimal units: 1 kB = 1000 B, 1 MB = 10⁶ B.</p>`;
}

function baselineSection(r: Report): string {
  if (!r.baseline) return '';
  return `<h3>Baseline</h3><p>Compared with <code>${esc(r.baseline.path)}</code> (${esc(r.baseline.startedAt)})</p>${table(
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

/** Title and verdict, the headline cards, and why a failing run failed. */
function top(r: Report, folder: string): string {
  const reasons = failureReasons(r);
  const shown = reasons.slice(0, 6).map((x) => `<li>${textWithPaths(x, folder)}</li>`);
  if (reasons.length > shown.length) shown.push(`<li class="muted">… ${reasons.length - shown.length} more below</li>`);
  return `<h1>TIPC report: ${esc(r.model)} / ${esc(r.mode)}</h1>
${verdictLine(r)}
${headlineCards(r)}
${reasons.length ? `<p class="why"><b>Why it failed:</b></p><ul class="why">${shown.join('')}</ul>` : ''}`;
}

/** The run's identity: params, driver, when, how long, shards, and the folder paths are relative to. */
function identity(r: Report, folder: string): string {
  const shards = r.shards?.length ? ` · shards ${r.shards.map((s) => `${s.index}/${s.count}`).join(', ')}` : '';
  const where = folder
    ? ` · run folder <code>${esc(folder)}</code> <span class="muted">(paths are relative to it; hover one for the full path)</span>`
    : '';
  return `<p>Params <code>${esc(r.params)}</code> · driver ${esc(r.driver)} · started ${esc(r.startedAt)} · ${(r.durationMs / 1000).toFixed(1)} s${shards}${where}</p>`;
}

function environmentSection(r: Report): string {
  const env = r.environment;
  return `<h3>Environment</h3>
<p>Node ${esc(env.node)} · ${esc(env.platform)} · ${esc(env.cpu)} × ${env.cpus} · threads ${env.threads} · GPU: ${env.gpu.available ? 'yes' : 'no'} (${esc(env.gpu.reason)}) · backends: ${esc(env.backends.join(', ') || 'none found')}</p>`;
}

function chartsSection(r: Report, training: TrainingCurve): string {
  const charts = [...trainingCharts(training), ...latencyCharts(r), ...budgetCharts(r)].filter(Boolean);
  return `<section id="charts"><h2>Charts</h2>
${charts.length ? `<div class="charts">${charts.join('\n')}</div>` : '<p class="muted">Nothing was measured.</p>'}</section>`;
}

function detailsSection(r: Report, folder: string): string {
  const notes = r.notes?.length
    ? `<h3>Notes</h3><ul>${r.notes.map((n) => `<li>${textWithPaths(n, folder)}</li>`).join('')}</ul>`
    : '';
  return `<section id="details"><h2>Details</h2>
${identity(r, folder)}
${measuredSection(r, folder)}
${certifiedSection(r, folder)}
${baselineSection(r)}
<h3>Steps</h3>
${stepsTable(r, folder)}
${environmentSection(r)}
${artifactsSection(r, folder)}
${notes}</section>`;
}

export function renderHtml(r: Report, training: TrainingCurve = { steps: [], val: [] }): string {
  const folder = runFolder(r);
  return page(
    `TIPC ${r.model} ${r.mode}: ${r.status}`,
    `${top(r, folder)}
${gatesSection(r, folder)}
${chartsSection(r, training)}
${detailsSection(r, folder)}`,
  );
}
