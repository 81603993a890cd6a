#!/usr/bin/env node
// `npm test [-- vitest args]`: build, lint, then vitest. A whole-suite run (no arguments) records its
// wall time, exit status, commit and the machine's load in .bench/npm-test.json (temp file, then
// rename), which `npm run bench` puts in its goals table beside the date it was measured. A run
// of some files only records nothing: its time is not the suite's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function commit() {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout.trim()}${dirty.stdout?.trim() ? ' (with uncommitted changes)' : ''}` : null;
}

function record(result) {
  const dir = path.join(root, '.bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'npm-test.json');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

const started = new Date();
const t0 = performance.now();
const load = [os.loadavg()[0]];
let status = step(npm, ['run', 'build']);
if (status === 0) status = step(npm, ['run', 'lint']);
if (status === 0)
  status = step(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...args]);
load.push(os.loadavg()[0]);
if (args.length === 0) {
  record({
    started_at: started.toISOString(),
    wall_s: Math.round((performance.now() - t0) / 100) / 10,
    exit_code: status,
    commit: commit(),
    ci: Boolean(process.env.CI),
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? 'unknown' },
    load_average_1m: { at_start: load[0], at_end: load[1] },
  });
}
process.exit(status);
