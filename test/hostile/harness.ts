// Runs one hostile probe: the real CLI (bin/ctrgcn.js → dist/) as a child, measured by
// scripts/peak-rss.mjs (exit-hook maxRSS of every node process + /proc VmHWM polling).
import fs from 'node:fs';
import path from 'node:path';
import { runMeasured, type MeasuredRun } from '../../scripts/peak-rss.mjs';
import { CLI, REPO } from './fixtures.js';

export type ChildResult = MeasuredRun;
export const run = runMeasured;

/** uid that cannot read a chmod-000 file: ourselves, or `nobody` when the tests run as root. */
export const IS_ROOT = process.getuid?.() === 0;
export const NOBODY = 65534;

export function cli(args: string[], opts: { uid?: number; timeoutMs: number }): Promise<ChildResult> {
  return run([CLI, ...args], {
    cwd: REPO,
    // In-process launcher (no stderr-filter child): one node process per probe, half the start-up cost.
    env: { TF_CPP_MIN_LOG_LEVEL: '3', CTRGCN_RAW_STDERR: '1' },
    timeoutMs: opts.timeoutMs,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
}

/**
 * Temp files or staging folders anywhere under `dir` (what a half-finished write leaves). A walk
 * that does not follow symbolic links (Node 20's recursive readdir does, and probes plant links to /).
 */
export function leftovers(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return; // a chmod-000 probe folder
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.name.endsWith('.tmp') || e.name.startsWith('.ntu-staging-')) found.push(path.relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found;
}
