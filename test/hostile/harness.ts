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

/** Temp files or staging folders anywhere under `dir` (what a half-finished write leaves). */
export function leftovers(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((rel) => {
    const b = path.basename(rel);
    return b.endsWith('.tmp') || b.startsWith('.ntu-staging-');
  });
}
