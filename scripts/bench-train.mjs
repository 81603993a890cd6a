#!/usr/bin/env node
// Training-step benchmark: samples/s and peak RSS for CTRGCN_light and CTRGCN at batch 16, T = 64
// (a warm-up step, then a few timed steps of the real train step: forward, loss, backward, SGD
// update, BN commit). Each model runs in its own process so that peak RSS is per model.
// JSON on stdout, progress on stderr. Options: --batch N --steps N --accum N --models a,b
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const batch = Number(arg('batch', 16));
const steps = Number(arg('steps', 3));
const accum = Number(arg('accum', 1));
const frames = Number(arg('frames', 64));

function peakRssMb() {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

async function child(model) {
  const imp = (p) => import(pathToFileURL(path.join(dist, p)).href);
  const { initBackend } = await imp('util/backend.js');
  const { createModel } = await imp('model/ctrgcn.js');
  const { variantTree } = await imp('model/variants.js');
  const { MomentumSgd } = await imp('train/optimizer.js');
  const { trainStep } = await imp('train/step.js');
  const { Rng } = await imp('train/rng.js');
  const { tf, backend } = await initBackend();
  const m = createModel(variantTree(model), { seed: 1 });
  const opt = new MomentumSgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
  const rng = new Rng(1);
  const data = Float32Array.from({ length: batch * 3 * frames * 50 }, () => rng.normal());
  const labels = Int32Array.from({ length: batch }, () => rng.int(60));
  const input = { data, shape: [batch, 3, frames, 25, 2], targets: { labels } };
  const rssBefore = process.memoryUsage().rss / 2 ** 20;
  const times = [];
  let tensorsAfterWarmup = 0;
  for (let s = 0; s <= steps; s++) {
    const t0 = performance.now();
    trainStep(m, opt, input, 0, 0.01, accum);
    times.push((performance.now() - t0) / 1000);
    if (s === 0) tensorsAfterWarmup = tf.memory().numTensors;
    process.stderr.write(`bench-train: ${model} step ${s}${s === 0 ? ' (warm-up)' : ''}: ${times[s].toFixed(2)} s\n`);
  }
  const timed = times.slice(1);
  const mean = timed.reduce((a, b) => a + b, 0) / timed.length;
  const out = {
    model,
    backend,
    batch_size: batch,
    accum_steps: accum,
    frames,
    steps: timed.length,
    warmup_step_sec: +times[0].toFixed(3),
    mean_step_sec: +mean.toFixed(3),
    samples_per_sec: +(batch / mean).toFixed(2),
    peak_rss_mb: Math.round(peakRssMb()),
    rss_before_mb: Math.round(rssBefore),
    tensors_stable: tf.memory().numTensors === tensorsAfterWarmup,
  };
  opt.dispose();
  m.dispose();
  process.stdout.write(JSON.stringify(out) + '\n');
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else {
  if (!fs.existsSync(path.join(dist, 'train/step.js'))) {
    process.stderr.write('bench-train: dist/ is missing; run `npm run build` first\n');
    process.exit(2);
  }
  const models = String(arg('models', 'ctrgcn_light,ctrgcn')).split(',');
  const results = {};
  for (const model of models) {
    const passThrough = ['batch', 'steps', 'accum', 'frames'].flatMap((k) =>
      arg(k) !== undefined ? [`--${k}`, arg(k)] : [],
    );
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', model, ...passThrough], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    });
    results[model] = r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : { error: `exit ${r.status}` };
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
