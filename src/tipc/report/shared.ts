// Small pieces every writer of a run record shares (terminal table, JUnit XML, Markdown summary, and
// a live view or the HTML page when they want them): step labels, durations, the counts line, the
// reasons a report fails, and the bounded tail of a step's log.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { stripAnsi } from '../evidence/index.js';
import { isHardwareSkip, type Report, type ReportStep } from './report.js';

/** PASS, FAIL, TIMEOUT, SKIPPED (the exit code or signal is in the step's reason). */
export function statusLabel(s: Pick<ReportStep, 'status'>): string {
  return s.status.toUpperCase();
}

/** 0.4 s, 12.3 s, 3 min 25 s, 1 h 02 min. */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "7 passed, 0 failed, 0 timed out, 1 skipped; gates 6/6 (1 not set)". */
export function countsLine(r: Report): string {
  const s = r.summary;
  return (
    `${s.pass} passed, ${s.fail} failed, ${s.timeout} timed out, ${s.skipped} skipped; ` +
    `gates ${s.gatesPassed}/${s.gatesPassed + s.gatesFailed + s.gatesNotSet}` +
    (s.gatesNotSet ? ` (${s.gatesNotSet} not set)` : '')
  );
}

/** Why a report is not a pass, one line each (empty for a pass). */
export function failureReasons(r: Report): string[] {
  if (r.status === 'pass') return [];
  const out: string[] = [];
  for (const s of r.steps) {
    if (s.status === 'fail' || s.status === 'timeout')
      out.push(`${s.name}: ${statusLabel(s)}${s.reason ? ` (${s.reason})` : ''}`);
    else if (s.status === 'skipped' && !isHardwareSkip(s)) out.push(`${s.name}: skipped (${s.reason ?? 'no reason'})`);
  }
  for (const g of r.gates) {
    if (g.status === 'fail') out.push(`gate ${g.name} failed${g.detail ? `: ${g.detail}` : ''}`);
    else if (g.status === 'not-set' && !r.allowNotSet)
      out.push(`gate ${g.name} not set (nothing to compare fails the run)${g.detail ? `: ${g.detail}` : ''}`);
  }
  // A run stopped before its steps (a broken params file) says why in its notes.
  if (!r.steps.some((s) => s.status !== 'skipped')) out.push('no step ran', ...(r.notes ?? []));
  else if (!out.length) out.push(...(r.notes ?? []));
  return out.length ? out : ['the report failed'];
}

/**
 * The last `maxLines` lines of a file (at most `maxBytes` read from its end), without ANSI colour
 * codes and with carriage-return progress redraws reduced to their final state; undefined when the
 * file cannot be read.
 */
export function tailOf(file: string, maxLines = 40, maxBytes = 16_384): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - maxBytes);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    let text = buf.toString('utf8');
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    const lines = stripAnsi(text)
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => l.replace(/\r$/, '').split('\r').at(-1)!);
    return lines.slice(-maxLines).join('\n');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The tail of what a step printed (its `> log` target, relative to the run directory `root`). */
export function stepLogTail(s: ReportStep, root: string, maxLines?: number): string | undefined {
  if (s.status === 'skipped') return undefined;
  return tailOf(path.resolve(root, s.stdout || s.log), maxLines);
}
