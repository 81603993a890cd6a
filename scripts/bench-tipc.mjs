#!/usr/bin/env node
// Main-job benchmark: wall clock of `npm start` (prepare + lite TIPC chain of CTRGCN_light_joint), plus
// the per-step durations and gates from the report it writes. Prints one JSON document on stdout; the
// job's own output goes to stderr.
//   node scripts/bench-tipc.mjs [--repeat 1] [--cold]   (--cold deletes test_tipc/data/ntu-lite first)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { machineFacts } from './machine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  const a = process.argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : (process.argv[i + 1] ?? true);
};
const repeat = Number(arg('repeat', 1));
const cold = process.argv.includes('--cold');
const report = path.join(root, 'reports', 'CTRGCN_light_joint', 'lite_train_lite_infer', 'report.json');

function npmStart() {
  return new Promise((resolve) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['start', '--silent'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(process.stderr);
    child.stderr.pipe(process.stderr);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const runs = [];
for (let i = 0; i < repeat; i++) {
  if (cold && i === 0) fs.rmSync(path.join(root, 'test_tipc', 'data', 'ntu-lite'), { recursive: true, force: true });
  const t0 = performance.now();
  const exitCode = await npmStart();
  const wallS = (performance.now() - t0) / 1000;
  let r = null;
  try {
    r = JSON.parse(fs.readFileSync(report, 'utf8'));
  } catch {
    /* no report */
  }
  runs.push({
    wall_s: Math.round(wallS * 1000) / 1000,
    exit_code: exitCode,
    status: r?.status ?? 'no report',
    steps: (r?.steps ?? []).map((s) => ({
      name: s.name,
      kind: s.kind,
      status: s.status,
      seconds: Math.round(s.durationMs) / 1000,
    })),
    gates: (r?.gates ?? []).map((g) => ({
      name: g.name,
      value: g.value,
      threshold: g.threshold,
      unit: g.unit,
      status: g.status,
    })),
  });
}
const walls = runs.map((r) => r.wall_s).sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify(
    {
      benchmark: 'tipc',
      command: 'npm start',
      machine: machineFacts(),
      cold,
      wall_s: { min: walls[0], median: walls[Math.floor(walls.length / 2)], max: walls[walls.length - 1] },
      runs,
    },
    null,
    2,
  ) + '\n',
);
