// Markdown summary of a run record (GitHub's job summary: $GITHUB_STEP_SUMMARY): verdict and
// counts, the step and gate tables, and for each failed step the tail of its log.
import { countsLine, duration, failureReasons, statusLabel, stepLogTail } from './shared.js';
import type { Report, ReportStep } from './report.js';

export interface MarkdownOptions {
  /** Directory the steps' log paths are relative to (the run's root). */
  root: string;
  /** Lines of log tail per failed step (default 30). */
  tailLines?: number;
}

const ICON: Record<ReportStep['status'], string> = { pass: '✅', fail: '❌', timeout: '⏱️', skipped: '⏭️' };

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Text inside HTML (the <details> summary line). */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A fenced block whose fence is longer than any backtick run inside it. */
function fenced(text: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${fence}text\n${text}\n${fence}`;
}

export function markdownSummary(r: Report, opts: MarkdownOptions): string {
  const out = [
    `## ${r.status === 'pass' ? '✅' : '❌'} TIPC ${r.model} · ${r.mode}: ${r.status.toUpperCase()}`,
    '',
    `${countsLine(r)} · ${duration(r.durationMs)} · params \`${r.params}\` · driver ${r.driver}`,
    '',
  ];
  const reasons = failureReasons(r);
  if (reasons.length) out.push('**Why it failed:**', '', ...reasons.map((x) => `- ${cell(x)}`), '');
  out.push('| # | step | status | time | note |', '|---:|---|---|---:|---|');
  for (const s of r.steps)
    out.push(
      `| ${s.id} | \`${cell(s.name)}\` | ${ICON[s.status]} ${statusLabel(s)} | ${duration(s.durationMs)} | ${cell(s.reason ?? '')} |`,
    );
  out.push('');
  if (r.gates.length) {
    out.push('| gate | value | threshold | result | detail |', '|---|---:|---:|---|---|');
    for (const g of r.gates) {
      const v = (x: number | string | null) => (x === null ? '–' : `${String(x)} ${g.unit}`.trim());
      out.push(
        `| ${g.name} | ${cell(v(g.value))} | ${cell(v(g.threshold))} | ${g.status === 'pass' ? '✅ PASS' : g.status === 'fail' ? '❌ FAIL' : '⚪ NOT SET'} | ${cell(g.detail ?? '')} |`,
      );
    }
    out.push('');
  } else out.push('_No gate was evaluated._', '');
  for (const s of r.steps.filter((x) => x.status === 'fail' || x.status === 'timeout')) {
    const tail = stepLogTail(s, opts.root, opts.tailLines ?? 30);
    out.push(
      `<details><summary>${ICON[s.status]} ${html(s.name)}: log tail (${html(s.stdout || s.log)})</summary>`,
      '',
      fenced(tail ?? '(log not readable)'),
      '',
      '</details>',
      '',
    );
  }
  return out.join('\n');
}
