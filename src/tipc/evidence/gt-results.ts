// compare_results semantics (tipc.md §7): GT files keyed by fp32/fp16/int8 in their basename, keys
// `top-1 class` / `top-1 score` taken from the last whitespace token, log values the same way (last
// match wins), pass iff |gt − pred| ≤ atol + rtol·|pred| for every GT key. Unlike upstream, every
// mismatch is reported, not only the first.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Precision = 'fp32' | 'fp16' | 'int8';

export function precisionOf(name: string): Precision | null {
  const b = path.basename(name);
  for (const p of ['fp32', 'fp16', 'int8'] as const) if (b.includes(p)) return p;
  return null;
}

/** GT text → key → value (keys: lines containing `top-<k> class|score`). */
export function parseGt(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const m = /(top-\d+ (?:class|score))/.exec(line);
    if (!m) continue;
    const toks = line.replace(/\t/g, ' ').trim().split(/\s+/);
    const last = toks[toks.length - 1].replace(/^\[|\]$/g, '');
    out.set(m[1], m[1].endsWith('class') ? Number.parseInt(last, 10) : Number.parseFloat(last));
  }
  return out;
}

/** Log text → value of every key (last match wins); `.` in the token → float, else int. */
export function parseLogForKeys(text: string, keys: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  const ks = [...keys];
  for (const line of text.split(/\r?\n/)) {
    for (const k of ks) {
      if (!line.includes(k)) continue;
      const toks = line.replace(/\t/g, ' ').trim().split(/\s+/);
      const tok = toks[toks.length - 1].replace(/^\[|\]$/g, '');
      const v = tok.includes('.') ? Number.parseFloat(tok) : Number.parseInt(tok, 10);
      if (Number.isFinite(v)) out.set(k, v);
    }
  }
  return out;
}

export interface CompareResult {
  pass: boolean;
  messages: string[];
  maxAbsDiff: number;
}

export function allclose(gt: number, pred: number, atol: number, rtol: number): boolean {
  return Math.abs(gt - pred) <= atol + rtol * Math.abs(pred);
}

export function compareValues(
  gt: Map<string, number>,
  got: Map<string, number>,
  atol: number,
  rtol: number,
  label: string,
): CompareResult {
  const messages: string[] = [];
  let pass = true;
  let maxAbsDiff = 0;
  for (const [k, g] of gt) {
    const v = got.get(k);
    if (v === undefined) {
      pass = false;
      messages.push(`${label}: key "${k}" missing`);
      continue;
    }
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(g - v));
    if (!allclose(g, v, atol, rtol)) {
      pass = false;
      messages.push(`${label}: ${k} expected ${g}, got ${v} (atol ${atol}, rtol ${rtol})`);
    }
  }
  return { pass, messages, maxAbsDiff };
}

/** Expands `dir/pattern*` (only the basename may hold `*`/`?`). */
export function expandGlob(pattern: string, cwd: string): string[] {
  const abs = path.resolve(cwd, pattern);
  const base = path.basename(abs);
  if (!/[*?]/.test(base)) return [abs];
  const re = new RegExp(
    '^' +
      base
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  try {
    return readdirSync(path.dirname(abs))
      .filter((f) => re.test(f))
      .sort()
      .map((f) => path.join(path.dirname(abs), f));
  } catch {
    return [];
  }
}

/** GT files by precision; files without a precision token are ignored. */
export function loadGt(pattern: string, cwd: string): Map<Precision, Map<string, number>> {
  const out = new Map<Precision, Map<string, number>>();
  for (const f of expandGlob(pattern, cwd)) {
    const p = precisionOf(f);
    if (!p) continue;
    try {
      out.set(p, parseGt(readFileSync(f, 'utf8')));
    } catch {
      /* missing GT file: reported by the caller */
    }
  }
  return out;
}
