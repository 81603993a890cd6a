#!/usr/bin/env node
// Training-step benchmark: samples/s and peak RSS for CTRGCN_light and CTRGCN at batch 16, T = 64
// (a warm-up step, then a few timed steps of the real train step: forward, loss, backward, SGD
// update, BN commit). Each model runs in its own process so that peak RSS is per model.
// JSON on stdout, progress on stderr. Options: --batch N --steps N --accum N --models a,b --no-other-kernels
//   (the first model also runs on the other kernel set of libtensorflow, oneDNN or Eigen, than the one
//   this machine's default chose; --no-other-kernels skips it). Which set ran is read from
//   libtensorflow's own load banner, never guessed.
//   --profile: one more step under tf.profile, its kernel time by kernel, by phase (forward, loss +
//   backward, BN commit, optimiser) and by block part (classified from kernel name and shapes), and
//   the cost of preparing one batch (crop, resize, rotation) on the main thread, and the graph
//   aggregation on the step's own shapes in four formulations with their gradients (aggregation-formulations.mjs).
// Every result carries the same-run backend matmul peak (GFLOP/s of a 1024³ fp32 matMul) and the
// training efficiency: step FLOPs (3 × 2 × MACs/sample × batch) / step time ÷ that peak.
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
const profile = process.argv.includes('--profile');

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
  const { modelSummary } = await imp('model/summary.js');
  const macsPerSample = modelSummary(variantTree(model), frames).macsPerSample;
  const peak = matmulPeak(tf);
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
  const stepFlops = 3 * 2 * macsPerSample * batch;
  const prof = profile ? await profileStep(tf, m, opt, input, accum, imp, peak.gflops) : undefined;
  const peakAfter = matmulPeak(tf);
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
    macs_per_sample: macsPerSample,
    step_gflop: +(stepFlops / 1e9).toFixed(1),
    matmul_peak_gflops: +Math.max(peak.gflops, peakAfter.gflops).toFixed(1),
    matmul_peak: { before_steps: peak, after_steps: peakAfter },
    // Step FLOPs per second as a share of what the backend's best kernel reaches in this run.
    efficiency: +(stepFlops / mean / 1e9 / Math.max(peak.gflops, peakAfter.gflops)).toFixed(3),
    peak_rss_mb: Math.round(peakRssMb()),
    rss_before_mb: Math.round(rssBefore),
    tensors_stable: tf.memory().numTensors === tensorsAfterWarmup,
    ...(prof ? { profile: prof } : {}),
  };
  opt.dispose();
  m.dispose();
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** GFLOP/s of a 1024³ fp32 matMul (best of 7 after 2 warm-ups) on the active backend. */
function matmulPeak(tf, n = 1024, reps = 7) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const times = [];
  for (let r = 0; r < reps + 2; r++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    const dt = (performance.now() - t0) / 1000;
    c.dispose();
    if (r >= 2) times.push(dt);
  }
  tf.dispose([a, b]);
  times.sort((x, y) => x - y);
  // The peak is the best run: on a shared machine slower runs measure the neighbours, not the backend.
  const best = times[0];
  return {
    n,
    best_ms: +(best * 1e3).toFixed(2),
    median_ms: +(times[times.length >> 1] * 1e3).toFixed(2),
    gflops: +((2 * n ** 3) / best / 1e9).toFixed(1),
  };
}

const numel = (shape) => shape.reduce((a, b) => a * b, 1);
const tail2 = (shape) => shape.slice(-2).join('x');
const ELEMENTWISE = new Set([
  'Add',
  'AddV2',
  'Sub',
  'Mul',
  'Multiply',
  'Div',
  'RealDiv',
  'Neg',
  'Square',
  'Sqrt',
  'Rsqrt',
  'Sign',
  'Relu',
  'Maximum',
  'Minimum',
  'Step',
  'Greater',
  'GreaterEqual',
  'Select',
  'IsNan',
  'Cast',
  'SquaredDifference',
  'AddN',
  'Exp',
  'Log',
  'Softmax',
  'LogSoftmax',
]);
const LAYOUT = new Set([
  'Transpose',
  'Concat',
  'ConcatV2',
  'Split',
  'SplitV',
  'Slice',
  'StridedSlice',
  'Pad',
  'PadV2',
  'MirrorPad',
  'Reshape',
  'Tile',
  'BroadcastTo',
  'Pack',
  'Unpack',
  'Fill',
  'ZerosLike',
  'OnesLike',
  'Identity',
]);

/**
 * The block part a kernel belongs to, from its name and shapes (channels-last maps [N', T, V, C];
 * V = 25 joints). Rules, first match wins:
 * - BatchMatMul with a [1, rows] operand: BN (its reductions run as matMuls with a ones row);
 * - BatchMatMul of rank-3 operands with a 25-long axis in both: graph aggregation x3·Âᵀ and its grads;
 * - other rank-3 BatchMatMul, Tanh/TanhGrad, anything on V×V maps: graph relation maps (q−k, tanh,
 *   lift conv4, Â = lift·α + PA);
 * - other BatchMatMul: 1×1 convs (entry/branch/value/down/shortcut projections and their grads);
 * - Conv2D*: temporal 5×1 convs; MaxPool*: temporal max-pool;
 * - elementwise with a per-channel operand (≤ C elements): BN normalise/scale (or a conv bias);
 *   elementwise on full-size operands: ReLU / residual adds / gradient sums;
 * - Sum/Mean/Max: reductions; Transpose/Concat/Split/Slice/Pad/…: layout.
 */
function partOf(k) {
  const ins = k.inputShapes ?? [];
  const outs = k.outputShapes ?? [];
  const all = [...ins, ...outs].filter(Boolean);
  const name = k.name;
  if (name === 'BatchMatMul' || name === 'MatMul' || name === '_FusedMatMul') {
    if (ins.some((s) => s.length === 2 && s[0] === 1) || ins.some((s) => s.length === 3 && s[0] === 1 && s[1] === 1))
      return 'BN';
    if (ins.length === 2 && ins.every((s) => s.length === 3 && s.slice(1).includes(25))) return 'graph aggregation';
    if (ins.some((s) => s.length === 3 && s[0] > 1)) return 'graph relation maps';
    return '1x1 convs';
  }
  if (name === 'Tanh' || name === 'TanhGrad') return 'graph relation maps';
  if (all.some((s) => s.length >= 3 && (tail2(s) === '25x25' || tail2(s) === '25x1' || tail2(s) === '1x25')))
    return 'graph relation maps';
  if (name.startsWith('Conv2D') || name.startsWith('DepthwiseConv')) return 'temporal convs';
  if (name.startsWith('MaxPool')) return 'temporal max-pool';
  if (ELEMENTWISE.has(name)) {
    const sizes = ins.map(numel);
    if (ins.length >= 2 && Math.min(...sizes) <= 512 && Math.max(...sizes) > 512) return 'BN';
    return 'ReLU / residual / elementwise';
  }
  if (['Sum', 'Mean', 'Max', 'Prod', 'ArgMax'].includes(name)) return 'reductions';
  if (LAYOUT.has(name)) return 'layout (transpose, concat, split, pad, slice)';
  return 'other';
}

/**
 * FLOPs of a matMul or conv kernel from its shapes (0 for other kernels): a matMul's output has
 * batch·m·n elements and its contraction length is |a| / (batch·m); a conv's is the filter's
 * kh·kw·cin (forward, input and filter gradients alike).
 */
function kernelFlop(k) {
  const [a, b] = k.inputShapes ?? [];
  const out = k.outputShapes?.[0];
  if (!a || !b || !out) return 0;
  if (k.name === 'BatchMatMul') return 2 * numel(a) * out[out.length - 1];
  if (k.name === 'Conv2D') return 2 * numel(out) * (numel(b) / b[3]);
  // Conv2DBackpropInput gets (dy, filter), Conv2DBackpropFilter (x, dy).
  if (k.name === 'Conv2DBackpropInput') return 2 * numel(a) * (numel(b) / b[3]);
  if (k.name === 'Conv2DBackpropFilter') return 2 * numel(b) * (numel(out) / out[3]);
  return 0;
}

/** One training step under tf.profile: kernel time by kernel, phase and block part. */
async function profileStep(tf, m, opt, input, accum, imp, peakGflops) {
  const { trainStep } = await imp('train/step.js');
  const { transformSample } = await imp('data/augment.js');
  const { Rng } = await imp('train/rng.js');
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const state = tf.engine().state;
  const marks = {};
  const mark = (key) => (marks[key] = state.activeProfile?.kernels.length ?? 0);
  // Phase boundaries: instance methods wrapped (the step itself is unchanged).
  const fwd = m.forward.bind(m);
  const commit = m.commitBatchStats.bind(m);
  const optStep = opt.step.bind(opt);
  m.forward = (...a) => {
    mark('forwardStart');
    const r = fwd(...a);
    mark('forwardEnd');
    return r;
  };
  m.commitBatchStats = (...a) => {
    mark('commitStart');
    const r = commit(...a);
    mark('commitEnd');
    return r;
  };
  opt.step = (...a) => {
    mark('optStart');
    const r = optStep(...a);
    mark('optEnd');
    return r;
  };
  const t0 = performance.now();
  const info = await tf.profile(() => {
    trainStep(m, opt, input, 0, 0.01, accum);
  });
  const wall = (performance.now() - t0) / 1000;
  m.forward = fwd;
  m.commitBatchStats = commit;
  opt.step = optStep;
  const ks = info.kernels;
  const phaseOf = (i) =>
    i < marks.forwardStart
      ? 'input'
      : i < marks.forwardEnd
        ? 'forward'
        : i < marks.commitStart
          ? 'loss + backward (incl. checkpoint replays)'
          : i < marks.commitEnd
            ? 'BN commit'
            : i >= marks.optStart && i < marks.optEnd
              ? 'optimiser'
              : 'other';
  const add = (map, key, ms) => {
    const e = (map[key] ??= { ms: 0, calls: 0 });
    e.ms += ms;
    e.calls += 1;
  };
  const byKernel = {};
  const byPart = {};
  const byPhase = {};
  const byShape = {};
  let total = 0;
  // tf.customGrad's forward runs as a scope that profiles like a kernel around the kernels inside
  // it ("unnamed scope", "forward", "logSoftmax__op"): only registered kernels count.
  const backendName = tf.getBackend();
  ks.forEach((k, i) => {
    if (!tf.getKernel(k.name, backendName)) return;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : (k.kernelTimeMs?.kernelMs ?? 0);
    total += ms;
    add(byKernel, k.name, ms);
    const key = `${k.name} ${(k.inputShapes ?? []).map((sh) => `[${sh}]`).join(' ')}`;
    add(byShape, key, ms);
    byShape[key].flop = (byShape[key].flop ?? 0) + kernelFlop(k);
    const phase = phaseOf(i);
    add(byPhase, phase, ms);
    add(byPart, phase === 'optimiser' || phase === 'BN commit' ? phase : partOf(k), ms);
  });
  // Input pipeline: one batch of raw 300-frame samples through the train transform (crop, resize,
  // rotation), as the data loader does on the main thread between steps.
  const B = input.shape[0];
  const rng = new Rng(3);
  const raws = Array.from({ length: B }, () => Float32Array.from({ length: 3 * 300 * 50 }, () => rng.normal()));
  const opts = { window: input.shape[2], pInterval: [0.5, 1], rotation: 0.3 };
  transformSample(raws[0], opts, rng);
  const td = performance.now();
  for (const r of raws) transformSample(r, opts, rng);
  const dataMs = performance.now() - td;
  add(byPart, 'data loading (one batch: crop, resize, rotation)', dataMs);
  // The aggregation's shapes as this step ran them ([items, T, V] × [items, V, V]), timed in other
  // formulations beside the same-run peak (scripts/aggregation-formulations.mjs).
  const aggShapes = new Map();
  for (const k of ks) {
    const [a, b] = k.inputShapes ?? [];
    if (k.name === 'BatchMatMul' && partOf(k) === 'graph aggregation' && b?.[1] === 25 && b?.[2] === 25)
      aggShapes.set(`${a[0]}x${a[1]}`, { items: a[0], frames: a[1] });
  }
  const { aggregationFormulations } = await import('./aggregation-formulations.mjs');
  const aggregation = aggregationFormulations(tf, [...aggShapes.values()], { peakGflops });
  const table = (map) =>
    Object.fromEntries(
      Object.entries(map)
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([k, v]) => [
          k,
          {
            ms: +v.ms.toFixed(1),
            share: +(v.ms / total).toFixed(3),
            calls: v.calls,
            // FLOP rate of matMul/conv kernels and its share of the same-run matmul peak.
            ...(v.flop
              ? {
                  gflops: +(v.flop / v.ms / 1e6).toFixed(1),
                  of_peak: +(v.flop / v.ms / 1e6 / peakGflops).toFixed(3),
                }
              : {}),
          },
        ]),
    );
  return {
    wall_sec: +wall.toFixed(3),
    kernel_ms_total: +total.toFixed(1),
    kernels: ks.length,
    by_phase: table(byPhase),
    by_part: table(byPart),
    by_kernel: table(byKernel),
    top_kernel_shapes: Object.fromEntries(Object.entries(table(byShape)).slice(0, 25)),
    data_batch_ms: +dataMs.toFixed(1),
    aggregation_formulations: aggregation,
  };
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else {
  if (!fs.existsSync(path.join(dist, 'train/step.js'))) {
    process.stderr.write('bench-train: dist/ is missing; run `npm run build` first\n');
    process.exit(2);
  }
  const models = String(arg('models', 'ctrgcn_light,ctrgcn')).split(',');
  const passThrough = [
    ...['batch', 'steps', 'accum', 'frames'].flatMap((k) => (arg(k) !== undefined ? [`--${k}`, arg(k)] : [])),
    ...(profile ? ['--profile'] : []),
  ];
  // libtensorflow announces oneDNN's kernels when it loads them (at log level 0): the child runs at that
  // level, its stderr is read for the banner and its own progress lines are passed on.
  const runChild = (model, env = {}) => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', model, ...passThrough], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, TF_CPP_MIN_LOG_LEVEL: '0' },
      maxBuffer: 64 << 20,
    });
    const lines = (r.stderr ?? '').split('\n');
    for (const l of lines) if (r.status !== 0 || l.startsWith('bench-train:')) process.stderr.write(l + '\n');
    if (r.status !== 0) return { error: `exit ${r.status}` };
    const kernels = lines.some((l) => l.includes('oneDNN custom operations are on')) ? 'oneDNN' : 'Eigen';
    return {
      ...JSON.parse(r.stdout.trim().split('\n').pop()),
      kernels,
      TF_ENABLE_ONEDNN_OPTS: env.TF_ENABLE_ONEDNN_OPTS ?? process.env.TF_ENABLE_ONEDNN_OPTS ?? null,
    };
  };
  const results = {};
  for (const model of models) results[model] = runChild(model);
  // The first model again on the other kernel set: the same-run baseline of the machine's default.
  const first = results[models[0]];
  if (!process.argv.includes('--no-other-kernels') && first?.kernels) {
    const other = first.kernels === 'oneDNN' ? 'Eigen' : 'oneDNN';
    const alt = runChild(models[0], { TF_ENABLE_ONEDNN_OPTS: other === 'oneDNN' ? '1' : '0' });
    results[`${models[0]}_${other.toLowerCase()}`] = alt;
    const [onednn, eigen] = other === 'oneDNN' ? [alt, first] : [first, alt];
    if (!alt.error && alt.kernels === other)
      results.onednn_over_eigen = {
        model: models[0],
        step_time: +(onednn.mean_step_sec / eigen.mean_step_sec).toFixed(3),
        peak_rss: +(onednn.peak_rss_mb / eigen.peak_rss_mb).toFixed(3),
      };
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
