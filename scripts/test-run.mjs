#!/usr/bin/env node
// `npm test [-- vitest args]`: build, lint, then vitest. A whole-suite run (no arguments) records its
// wall time, exit status, commit and the machine's load in .bench/npm-test.json (the package's own
// atomic writer, from the build just made), which `npm run bench` puts in its goals table beside the
// date it was measured. A run of some files, or one whose build failed, records nothing: its time is
// not the suite's.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineFacts } from './machine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dist = (p) => import(path.join(root, 'dist', p));
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

const started = new Date();
const t0 = performance.now();
const load = [os.loadavg()[0]];
let status = step(npm, ['run', 'build']);
const built = status === 0;
if (built) status = step(npm, ['run', 'lint']);
if (status === 0)
  status = step(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...args]);
load.push(os.loadavg()[0]);
if (args.length === 0 && built) {
  const { writeFileAtomic } = await dist('util/atomic-write.js');
  const { cpus, cpu_model } = machineFacts();
  const result = {
    started_at: started.toISOString(),
    wall_s: Math.round((performance.now() - t0) / 100) / 10,
    exit_code: status,
    commit: commit(),
    ci: Boolean(process.env.CI),
    machine: { cpus, cpu_model },
    load_average_1m: { at_start: load[0], at_end: load[1] },
  };
  writeFileAtomic(path.join(root, '.bench', 'npm-test.json'), JSON.stringify(result, null, 2) + '\n');
}
process.exit(status);
