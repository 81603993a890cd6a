// The report.json files of a history: files as given, and for a folder every report.json under it.
// The walk is bounded: each real folder is entered once (a symlink loop ends there; real entries are
// walked before links, so a report is named by its real path when it can be), it goes at most
// HISTORY_LIMITS.maxDepth folders deep, looks at most at maxEntries names, skips node_modules and .git,
// and more than maxReports reports is an error naming the count. Every report is read and validated.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { CodedError } from '../../util/errors.js';
import type { HistoryEntry } from './series.js';
import { readReport } from '../report/index.js';

export const HISTORY_LIMITS = { maxReports: 200, maxDepth: 16, maxEntries: 100_000 } as const;

export interface HistoryFileLimits {
  maxReports?: number;
  maxDepth?: number;
  maxEntries?: number;
}

const SKIP = new Set(['node_modules', '.git']);

interface Walk {
  found: string[];
  seenDirs: Set<string>;
  seenFiles: Set<string>;
  entries: number;
  /** report.json files met under the argument being walked (found before or not). */
  hits: number;
  limits: Required<HistoryFileLimits>;
  /** The argument being walked, for messages. */
  top: string;
}

function tooMany(w: Walk): CodedError {
  return new CodedError(
    'E_REPORT_HISTORY',
    `more than ${w.limits.maxReports} report.json files under ${w.top}: give a narrower folder or the files themselves`,
  );
}

function addFile(w: Walk, file: string): void {
  const real = realpathSync(file);
  if (w.seenFiles.has(real)) return;
  w.seenFiles.add(real);
  w.found.push(file);
  if (w.found.length > w.limits.maxReports) throw tooMany(w);
}

/** Whether `p` is a folder (following links); a dangling link or unreadable entry is neither. */
function kindOf(p: string): 'dir' | 'file' | null {
  try {
    const st = statSync(p);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

/** The names of a folder, sorted, real entries before symbolic links (a report is named by its real path when it can be). */
function listDir(dir: string): string[] {
  const isLink = (name: string) => {
    try {
      return lstatSync(path.join(dir, name)).isSymbolicLink();
    } catch {
      return false;
    }
  };
  const names = readdirSync(dir).sort();
  return [...names.filter((n) => !isLink(n)), ...names.filter(isLink)];
}

function walkDir(w: Walk, dir: string, depth: number): void {
  const real = realpathSync(dir);
  if (w.seenDirs.has(real) || depth > w.limits.maxDepth) return;
  w.seenDirs.add(real);
  const names = listDir(dir);
  w.entries += names.length;
  if (w.entries > w.limits.maxEntries)
    throw new CodedError(
      'E_REPORT_HISTORY',
      `${w.top} holds more than ${w.limits.maxEntries} entries: give a narrower folder or the report files themselves`,
    );
  for (const name of names) {
    if (SKIP.has(name)) continue;
    const p = path.join(dir, name);
    const kind = kindOf(p);
    if (kind === 'dir') walkDir(w, p, depth + 1);
    else if (kind === 'file' && name === 'report.json') {
      w.hits++;
      addFile(w, p);
    }
  }
}

/** The report files named by `args` (files, or folders to search), each once, in the order found. */
export function historyFiles(args: string[], limits: HistoryFileLimits = {}): string[] {
  const w: Walk = {
    found: [],
    seenDirs: new Set(),
    seenFiles: new Set(),
    entries: 0,
    hits: 0,
    limits: { ...HISTORY_LIMITS, ...limits },
    top: '',
  };
  for (const arg of args) {
    w.top = arg;
    const kind = kindOf(arg);
    if (kind === null) throw new CodedError('E_REPORT_READ', `${arg}: no such report file or folder`);
    if (kind === 'file') addFile(w, arg);
    else {
      w.hits = 0;
      walkDir(w, arg, 0);
      if (!w.hits) throw new CodedError('E_REPORT_HISTORY', `no report.json under ${arg}`);
    }
  }
  return w.found;
}

/** Reads and validates every report of `args` (an unreadable or invalid one is an error naming it). */
export function readHistoryReports(args: string[], limits: HistoryFileLimits = {}): HistoryEntry[] {
  return historyFiles(args, limits).map((file) => ({ file, report: readReport(file) }));
}
