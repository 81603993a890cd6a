// A self-contained report.html: gate table, step table, and inline SVG charts (training curve from
// metrics.jsonl, per-cell latency bars, artifact size bars against the budget). No scripts, no links.
import type { TrainStepRecord, ValidationRecord } from '../contracts/index.js';
import type { Report } from './report.js';

/** The training records of the run's train step (chain records). */
export interface TrainingCurve {
  steps: TrainStepRecord[];
  val: ValidationRecord[];
}

function esc(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? n.toExponential(2) : String(Math.round(n * 1000) / 1000);
}

/** Polyline chart of one or more series over x. */
function lineChart(
  title: string,
  xs: number[],
  series: { name: string; ys: (number | undefined)[]; color: string }[],
  w = 640,
  h = 240,
): string {
  const pad = { l: 50, r: 110, t: 24, b: 30 };
  const all = series.flatMap((s) => s.ys.filter((y): y is number => y !== undefined && Number.isFinite(y)));
  if (!xs.length || !all.length) return '';
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...all), Math.max(...all)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const X = (x: number) => pad.l + ((x - x0) / (x1 - x0 || 1)) * (w - pad.l - pad.r);
  const Y = (y: number) => h - pad.b - ((y - y0) / (y1 - y0)) * (h - pad.t - pad.b);
  const lines = series
    .map((s, k) => {
      const pts = xs.map((x, i) => [x, s.ys[i]] as const).filter(([, y]) => y !== undefined && Number.isFinite(y));
      if (!pts.length) return '';
      const d = pts.map(([x, y]) => `${X(x).toFixed(1)},${Y(y!).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${d}"/><text x="${w - pad.r + 8}" y="${pad.t + 14 * (k + 1)}" fill="${s.color}" font-size="11">${esc(s.name)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">
<text x="${pad.l}" y="14" font-size="12" font-weight="bold">${esc(title)}</text>
<line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="#888"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${h - pad.b}" stroke="#888"/>
<text x="${pad.l - 4}" y="${pad.t + 4}" font-size="10" text-anchor="end">${fmt(y1)}</text><text x="${pad.l - 4}" y="${h - pad.b}" font-size="10" text-anchor="end">${fmt(y0)}</text>
<text x="${pad.l}" y="${h - 10}" font-size="10">${fmt(x0)}</text><text x="${w - pad.r}" y="${h - 10}" font-size="10" text-anchor="end">${fmt(x1)} (step)</text>
${lines}</svg>`;
}

/** Horizontal bars; an optional limit line. */
function barChart(
  title: string,
  bars: { label: string; value: number; color?: string }[],
  unit: string,
  limit?: number | null,
  w = 640,
): string {
  if (!bars.length) return '';
  const rowH = 22;
  const pad = { l: 260, r: 90, t: 24 };
  const h = pad.t + rowH * bars.length + 16;
  const max = Math.max(...bars.map((b) => b.value), limit ?? 0) || 1;
  const X = (v: number) => pad.l + (v / max) * (w - pad.l - pad.r);
  const rows = bars
    .map((b, i) => {
      const y = pad.t + i * rowH;
      return `<text x="${pad.l - 6}" y="${y + 14}" font-size="11" text-anchor="end">${esc(b.label.length > 42 ? b.label.slice(0, 41) + '…' : b.label)}</text><rect x="${pad.l}" y="${y + 3}" width="${Math.max(1, X(b.value) - pad.l).toFixed(1)}" height="${rowH - 6}" fill="${b.color ?? '#4a7bd0'}"/><text x="${(X(b.value) + 4).toFixed(1)}" y="${y + 14}" font-size="10">${fmt(b.value)} ${esc(unit)}</text>`;
    })
    .join('');
  const lim =
    limit != null
      ? `<line x1="${X(limit).toFixed(1)}" y1="${pad.t - 4}" x2="${X(limit).toFixed(1)}" y2="${h - 10}" stroke="#c33" stroke-dasharray="4 3"/><text x="${X(limit).toFixed(1)}" y="${h - 2}" font-size="10" fill="#c33" text-anchor="middle">budget ${fmt(limit)} ${esc(unit)}</text>`
      : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + 8}" role="img" aria-label="${esc(title)}"><text x="4" y="14" font-size="12" font-weight="bold">${esc(title)}</text>${rows}${lim}</svg>`;
}

export function renderHtml(r: Report, training: TrainingCurve = { steps: [], val: [] }): string {
  const color = (s: string) => (s === 'pass' ? '#2a7' : s === 'skipped' || s === 'not-set' ? '#999' : '#c33');
  const train = training.steps;
  const xs = train.map((p) => p.global_step);
  const curve = train.length
    ? lineChart('Training curve (train records)', xs, [
        { name: 'loss', ys: train.map((p) => p.loss), color: '#c60' },
        { name: 'top1', ys: train.map((p) => p.top1), color: '#26a' },
        { name: 'lr', ys: train.map((p) => p.lr), color: '#6a6' },
      ])
    : '<p class="muted">No training records found.</p>';
  const lat = r.steps.filter((s) => s.metrics?.latency?.inferenceMs !== undefined);
  const latencyGate = r.gates.find((g) => g.name === 'latency[abs]');
  const latency = lat.length
    ? barChart(
        'Inference latency per cell (mean ms per batch, warm-up excluded)',
        lat.map((s) => ({
          label: s.name.replace(/^infer:python_infer_/, ''),
          value: s.metrics!.latency!.inferenceMs!,
        })),
        'ms',
        typeof latencyGate?.threshold === 'number' ? latencyGate.threshold : null,
      )
    : '<p class="muted">No latency reports.</p>';
  const sizeGate = r.gates.find((g) => g.name.startsWith('size'));
  const sizes = r.artifacts.length
    ? barChart(
        'Inference artifact sizes',
        [
          ...r.artifacts.map((a) => ({ label: a.path.split('/').pop()!, value: a.bytes })),
          ...(typeof sizeGate?.value === 'number' ? [{ label: 'total', value: sizeGate.value, color: '#335' }] : []),
        ],
        'B',
        typeof sizeGate?.threshold === 'number' ? sizeGate.threshold : null,
      )
    : '<p class="muted">No artifacts measured.</p>';
  const gateRows = r.gates
    .map(
      (g) =>
        `<tr><td>${esc(g.name)}</td><td>${esc(g.value ?? '-')}</td><td>${esc(g.threshold ?? '-')}</td><td>${esc(g.unit)}</td><td style="color:${color(g.status)}"><b>${g.status.toUpperCase()}</b></td><td>${esc(g.detail ?? '')}</td></tr>`,
    )
    .join('\n');
  const stepRows = r.steps
    .map(
      (s) =>
        `<tr><td>${s.id}</td><td>${esc(s.name)}</td><td style="color:${color(s.status)}"><b>${s.status}</b></td><td>${s.exitCode ?? '-'}</td><td>${(s.durationMs / 1000).toFixed(2)}</td><td><code>${esc(s.log)}</code></td><td>${esc(s.reason ?? '')}</td></tr>`,
    )
    .join('\n');
  const env = r.environment;
  const M = r.measurements;
  const certified = M.certified.length
    ? `<h2>Certified model</h2><ul>${M.certified
        .map(
          (c) =>
            `<li><code>${esc(c.checkpoint)}</code> [${esc(c.rule)}]: ${esc(c.reason)}${c.artifact ? `; accuracy measured on <code>${esc(c.artifact)}</code>` : ''}</li>`,
        )
        .join('')}</ul>`
    : '';
  const accRows = M.accuracy
    .map(
      (a) =>
        `<tr><td>${esc(a.model)}</td><td><code>${esc(a.path)}</code></td><td>${fmt(a.top1)}</td><td>${fmt(a.top5)}</td><td>${a.samples ?? '-'}</td><td>${a.agreementWithFp32 !== undefined ? fmt(a.agreementWithFp32) : '-'}</td></tr>`,
    )
    .join('');
  const latRows = M.latency
    .map(
      (l) =>
        `<tr><td>${esc(l.target)}</td><td>${esc(l.device)}</td><td><code>${esc(l.modelFile)}</code></td><td>${fmt(l.p50)} [${l.p50Ci.map(fmt).join(', ')}]</td><td>${fmt(l.p90)} [${l.p90Ci.map(fmt).join(', ')}]</td><td>${l.batches}</td></tr>`,
    )
    .join('');
  const measured =
    (accRows
      ? `<h3>Accuracy</h3><table><tr><th>model</th><th>file</th><th>top-1</th><th>top-5</th><th>samples</th><th>agreement with fp32</th></tr>${accRows}</table>`
      : '') +
    (latRows
      ? `<h3>Latency (ms, ${(M.latency[0].confidence * 100).toFixed(0)} % CI)</h3><table><tr><th>model</th><th>device</th><th>file</th><th>p50</th><th>p90</th><th>batches</th></tr>${latRows}</table>`
      : '');
  const deltas = r.baseline
    ? `<h2>Baseline</h2><p>Compared with <code>${esc(r.baseline.path)}</code> (${esc(r.baseline.startedAt)})</p><table><tr><th>metric</th><th>item</th><th>baseline</th><th>now</th><th>change</th><th>result</th></tr>${r.baseline.deltas
        .map(
          (d) =>
            `<tr><td>${esc(d.metric)}</td><td>${esc(d.key)}</td><td>${esc(d.baseline ?? '-')}</td><td>${esc(d.current ?? '-')}</td><td>${d.change === null ? '-' : fmt(d.change)}</td><td style="color:${color(d.status)}">${esc(d.status)}${d.note ? ` (${esc(d.note)})` : ''}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TIPC ${esc(r.model)} ${esc(r.mode)}: ${r.status}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}code{font-size:12px}.muted{color:#888}.st{font-size:20px;font-weight:bold}</style></head>
<body>
<h1>TIPC report: ${esc(r.model)} / ${esc(r.mode)}</h1>
<p class="st" style="color:${r.status === 'pass' ? '#2a7' : '#c33'}">${r.status.toUpperCase()}</p>
<p>Params <code>${esc(r.params)}</code> · driver ${esc(r.driver)} · started ${esc(r.startedAt)} · ${(r.durationMs / 1000).toFixed(1)} s${r.shards?.length ? ` · shards ${r.shards.map((s) => `${s.index}/${s.count}`).join(', ')}` : ''}</p>
<p>Steps: ${r.summary.pass} passed, ${r.summary.fail} failed, ${r.summary.timeout} timed out, ${r.summary.skipped} skipped · gates ${r.summary.gatesPassed} passed, ${r.summary.gatesFailed} failed, ${r.summary.gatesNotSet} not set${r.strict ? ' (strict)' : ''}</p>
<h2>Gates</h2>
<table><tr><th>gate</th><th>value</th><th>threshold</th><th>unit</th><th>result</th><th>detail</th></tr>
${gateRows}</table>
${certified}
${measured ? `<h2>Measured</h2>${measured}` : ''}
${deltas}
<h2>Charts</h2>
${curve}
${latency}
${sizes}
<h2>Steps</h2>
<table><tr><th>#</th><th>step</th><th>status</th><th>exit</th><th>s</th><th>log</th><th>note</th></tr>
${stepRows}</table>
<h2>Environment</h2>
<p>Node ${esc(env.node)} · ${esc(env.platform)} · ${esc(env.cpu)} × ${env.cpus} · threads ${env.threads} · GPU: ${env.gpu.available ? 'yes' : 'no'} (${esc(env.gpu.reason)}) · backends: ${esc(env.backends.join(', ') || 'none found')}</p>
${r.notes?.length ? `<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
