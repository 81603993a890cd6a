#!/usr/bin/env node
// Benchmark of the NTU data pipeline: synthesises ~200 raw .skeleton files, converts them
// (parse → denoise → centre/pad → xsub + xview .npy/.pkl) and prints the throughput as JSON.
// Usage: node scripts/bench-data.mjs [--samples N] [--keep]   (needs `npm run build`)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;
if (!fs.existsSync(path.join(root, 'dist', 'data', 'ntu-pipeline.js'))) {
  process.stderr.write('bench-data: dist/ is missing; run `npm run build` first\n');
  process.exit(2);
}
const { generateSynthNtu } = await import(dist('data/synth/generate.js'));
const { prepareNtu } = await import(dist('data/ntu-pipeline.js'));

const args = process.argv.slice(2);
const want = Number(args[args.indexOf('--samples') + 1] ?? 200) || 200;
const keep = args.includes('--keep');
// 10 classes × 2 cameras × 2 replications × P performers ≈ want
const performers = Math.max(1, Math.min(40, Math.round(want / 40)));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-data-'));
try {
  const t0 = performance.now();
  const synth = generateSynthNtu({
    out: path.join(dir, 'raw'),
    classes: 10,
    seed: 1,
    performers,
    cameras: 2,
    replications: 2,
  });
  const t1 = performance.now();
  const summary = await prepareNtu({
    raw: path.join(dir, 'raw'),
    out: path.join(dir, 'out'),
    benchmarks: ['xview', 'xsub'],
  });
  const t2 = performance.now();
  const outBytes = summary.outputs.reduce((s, o) => s + fs.statSync(path.join(dir, 'out', o)).size, 0);
  const ntuS = (t2 - t1) / 1000;
  const result = {
    bench: 'data',
    samples: summary.samples,
    raw_mb: +(synth.bytes / 1e6).toFixed(1),
    out_mb: +(outBytes / 1e6).toFixed(1),
    synth_s: +((t1 - t0) / 1000).toFixed(3),
    ntu_s: +ntuS.toFixed(3),
    samples_per_s: +(summary.samples / ntuS).toFixed(1),
    raw_mb_per_s: +(synth.bytes / 1e6 / ntuS).toFixed(1),
    case_b: summary.caseB,
    node: process.version,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`kept ${dir}\n`);
}
