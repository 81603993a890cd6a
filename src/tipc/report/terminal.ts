// The terminal summary of a run record: the verdict and the headline figures first (verdict.ts), then
// the step table and the gate table, fitted to a width (100 columns by default: long step names and
// notes wrap) or, with `wide`, every column at its natural width (exit code and log path included).
import { table, type ColumnUserConfig } from 'table';
import { statusLabel } from './shared.js';
import type { Report } from './report.js';
import { wrapText } from './text-wrap.js';
import { verdictLines } from './verdict.js';

export const DEFAULT_WIDTH = 100;

export interface TableOptions {
  /** Every column, nothing wrapped (may be wider than the terminal). */
  wide?: boolean;
  /** Columns available (default 100); narrower than 60 is treated as 60. */
  width?: number;
  /** Colour the verdict and status words (the caller applies the colour policy; default off). */
  color?: boolean;
}

/**
 * Column widths that fit `total` columns of table output: fixed columns keep their natural width,
 * `flex` columns share what is left in proportion to their natural width (at least `minFlex` each).
 */
function fit(rows: string[][], flex: number[], total: number, minFlex = 10): number[] {
  const natural = rows[0].map((_, c) => Math.max(1, ...rows.map((r) => r[c].length)));
  const overhead = 3 * natural.length + 1; // "║ " + " │ " … + " ║"
  const room = total - overhead - natural.reduce((a, w, c) => a + (flex.includes(c) ? 0 : w), 0);
  const want = flex.reduce((a, c) => a + natural[c], 0);
  if (want <= room) return natural;
  const widths = [...natural];
  let left = room;
  flex.forEach((c, i) => {
    const last = i === flex.length - 1;
    const share = last ? left : Math.floor((room * natural[c]) / want);
    widths[c] = last ? Math.max(4, Math.min(natural[c], share)) : Math.max(minFlex, Math.min(natural[c], share));
    left -= widths[c];
  });
  return widths;
}

function render(rows: string[][], flex: number[], width: number | undefined, alignRight: number[] = []): string {
  const widths =
    width === undefined ? rows[0].map((_, c) => Math.max(1, ...rows.map((r) => r[c].length))) : fit(rows, flex, width);
  const columns: ColumnUserConfig[] = widths.map((w, c) => ({
    width: w,
    wrapWord: true,
    ...(alignRight.includes(c) ? { alignment: 'right' as const } : {}),
  }));
  return table(rows, { columns });
}

// Table cells show a value to 4 significant digits (0.8667, not 0.8666666666666667); the report
// JSON keeps the exact figure.
function shownNumber(v: number | string | null): string {
  if (v === null) return '-';
  if (typeof v === 'string') return v;
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

export function summaryTable(r: Report, opts: TableOptions = {}): string {
  const width = opts.wide ? undefined : Math.max(60, opts.width ?? DEFAULT_WIDTH);
  const steps = opts.wide
    ? render(
        [
          ['#', 'step', 'status', 'exit', 'time (s)', 'note', 'log'],
          ...r.steps.map((s) => [
            String(s.id),
            s.name,
            s.status.toUpperCase(),
            s.exitCode === null ? '-' : String(s.exitCode),
            (s.durationMs / 1000).toFixed(1),
            s.reason ?? '',
            s.stdout || s.log,
          ]),
        ],
        [],
        undefined,
        [0, 3, 4],
      )
    : render(
        [
          ['#', 'step', 'status', 'time (s)', 'note'],
          ...r.steps.map((s) => [
            String(s.id),
            s.name,
            statusLabel(s),
            (s.durationMs / 1000).toFixed(1),
            s.reason ?? '',
          ]),
        ],
        [1, 4],
        width,
        [0, 3],
      );
  const gates = r.gates.length
    ? render(
        [
          ['gate', 'value', 'threshold', 'unit', 'result', ...(opts.wide ? ['detail'] : [])],
          ...r.gates.map((g) => [
            g.name,
            shownNumber(g.value),
            shownNumber(g.threshold),
            g.unit,
            g.status.toUpperCase(),
            ...(opts.wide ? [g.detail ?? ''] : []),
          ]),
        ],
        [1, 2, 3],
        width,
      )
    : '(no gates evaluated)\n';
  // Which checkpoint the gates certify, and why (one line each, wrapped like the heading).
  const cert = r.measurements.certified.map((c) => {
    const line = `certified: ${c.checkpoint} [${c.rule}] ${c.reason}${c.artifact ? `; accuracy measured on ${c.artifact}` : ''}`;
    return `${width === undefined ? line : wrapText(line, width)}\n`;
  });
  return `${verdictLines(r, { width, color: opts.color })}${steps}${gates}${cert.join('')}`;
}
