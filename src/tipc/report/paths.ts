// Paths as a reader of a report wants them: relative to the run folder (the chain's output folder,
// where results_python.log and every step's log live), the full path kept for a tooltip. A report's
// paths all start with the same long prefix (`./test_tipc/output/<model>/<mode>/`); shown in full they
// fill a phone's width with one path.
import path from 'node:path';
import { esc } from './html-charts.js';
import type { Report } from './report.js';

/** `./a/b/` → `a/b` (posix, no leading `./`, no trailing slash). */
function normal(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '').replace(/^\.\//, '');
}

/** The longest folder every path lies in ('' when they share none). */
function commonFolder(paths: string[]): string {
  const split = paths.map((p) => normal(p).split('/').slice(0, -1));
  if (!split.length) return '';
  const out: string[] = [];
  for (let i = 0; split.every((s) => i < s.length && s[i] === split[0][i]); i++) out.push(split[0][i]);
  return out.join('/');
}

/**
 * The run folder of a report: the folder of its results log, else the folder all its step logs share
 * ('' when neither says: paths are then shown as they are).
 */
export function runFolder(r: Pick<Report, 'resultsLog' | 'steps'>): string {
  if (r.resultsLog) {
    const dir = path.posix.dirname(normal(r.resultsLog));
    return dir === '.' ? '' : dir;
  }
  return commonFolder(r.steps.filter((s) => s.log).map((s) => s.log));
}

/** `p` relative to the run folder (`./` for the folder itself); outside it, `p` unchanged. */
export function relPath(p: string, folder: string): string {
  if (!folder) return p;
  const n = normal(p);
  if (n === folder) return './';
  return n.startsWith(`${folder}/`) ? n.slice(folder.length + 1) : p;
}

/** A path as HTML: relative to the run folder, the full path in its tooltip. */
export function pathHtml(p: string, folder: string): string {
  const rel = relPath(p, folder);
  return rel === p ? `<code class="path">${esc(p)}</code>` : `<code class="path" title="${esc(p)}">${esc(rel)}</code>`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Free text (a gate's detail, a note) as HTML, every path inside the run folder shortened to its
 * relative form with the full path as its tooltip (only where a path starts: not inside a longer
 * one). A path ends at white space or at `;`, `,`, `(`,
 * `)` or `:` (the punctuation the gates put after a path).
 */
export function textWithPaths(text: string, folder: string): string {
  if (!folder) return esc(text);
  const re = new RegExp(`(?<![\\w./-])(?:\\./)?${escapeRe(folder)}(?:/[^\\s;,():]*)?(?=$|[\\s;,():])`, 'g');
  let out = '';
  let last = 0;
  for (const m of text.matchAll(re)) {
    out += esc(text.slice(last, m.index)) + pathHtml(m[0], folder);
    last = m.index + m[0].length;
  }
  return out + esc(text.slice(last));
}
