#!/usr/bin/env node
// `npm run bench [-- NAME…]`: runs scripts/bench-<NAME>.mjs (all of them without a name) and
// prints one JSON object { <name>: <result>, … } on stdout; each benchmark prints JSON itself.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performanceGoals } from './perf-goals.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(here)
  .map((f) => /^bench-(.+)\.mjs$/.exec(f)?.[1])
  .filter(Boolean)
  .sort();
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    `Usage: npm run bench [-- NAME…]\n\nBenchmarks: ${available.join(', ')}\nOutput: JSON on stdout; progress on stderr.\n`,
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
  const r = spawnSync(process.execPath, [path.join(here, `bench-${name}.mjs`)], {
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
const os = await import('node:os');
const out = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
  },
  // The performance goals, each beside its same-run baseline (null where its benchmark did not run).
  goals: performanceGoals(results),
  results,
};
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
process.exit(failed ? 1 : 0);
