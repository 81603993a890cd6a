#!/usr/bin/env node
// `npm run bench [-- NAME…]`: runs scripts/bench-<NAME>.mjs (all of them without a name) and
// prints one JSON object { <name>: <result>, … } on stdout; each benchmark prints JSON itself.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performanceGoals } from './perf-goals.mjs';
import { machineFacts } from './machine.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(here)
  .map((f) => /^bench-(.+)\.mjs$/.exec(f)?.[1])
  .filter(Boolean)
  .sort();
const argv = process.argv.slice(2);
// Flags (--profile, --steps N, …) go to every chosen benchmark; the other words name benchmarks.
const flags = [];
const args = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--') && argv[i] !== '--help') {
    flags.push(argv[i]);
    if (i + 1 < argv.length && !argv[i + 1].startsWith('-') && !available.includes(argv[i + 1])) flags.push(argv[++i]);
  } else args.push(argv[i]);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    `Usage: npm run bench [-- NAME… [--flag [value]]…]\n\nBenchmarks: ${available.join(', ')}\nOutput: JSON on stdout; progress on stderr.\n`,
  );
  process.exit(0);
}
const unknown = args.filter((a) => !available.includes(a));
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(', ')} (available: ${available.join(', ')})\n`);
  process.exit(2);
}
const chosen = args.length ? args : available;
const results = {};
let failed = false;
for (const name of chosen) {
  process.stderr.write(`bench: running ${name} …\n`);
  const r = spawnSync(process.execPath, [path.join(here, `bench-${name}.mjs`), ...flags], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) {
    failed = true;
    results[name] = { error: `exit ${r.status}` };
    continue;
  }
  try {
    results[name] = JSON.parse(r.stdout);
  } catch {
    failed = true;
    results[name] = { error: 'benchmark did not print JSON', stdout: r.stdout.slice(-2000) };
  }
}
// The last whole `npm test` of this checkout (scripts/test-run.mjs writes it): too long to run here.
const npmTestFile = path.join(here, '..', '.bench', 'npm-test.json');
const npmTest = fs.existsSync(npmTestFile) ? JSON.parse(fs.readFileSync(npmTestFile, 'utf8')) : undefined;
const out = {
  date: new Date().toISOString(),
  machine: machineFacts(),
  // The performance goals, each beside its same-run baseline (null where its benchmark did not run).
  goals: performanceGoals({ ...results, npm_test: npmTest }),
  results,
};
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
process.exit(failed ? 1 : 0);
