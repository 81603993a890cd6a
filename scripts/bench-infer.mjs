#!/usr/bin/env node
// Inference latency benchmark (onnxruntime-node, CPU): both architectures exported in memory from
// the golden checkpoints (CTRGCN_light: the real epoch-1 weights; CTRGCN: seeded random weights),
// at batch 1 and 8, 1 and 2 intra-op threads, fp32/fp16/int8 weights, and at fp32 also the plain
// (`--no-fuse`) graph of each model as the fused graph's baseline; the same-run onnxruntime matmul
// peak per thread count (each row's efficiency = 2 × MACs × batch / p50 ÷ that peak); intra-op
// spinning off vs on, quiet and under load (--no-spinning skips it). Prints one JSON document.
//   node scripts/bench-infer.mjs [--runs N (default 60 at batch 1, 15 above)] [--warmup 3] [--batches 1,8] [--threads 1,2] [--precisions fp32,fp16,int8]
// Needs `npm run build` (reads dist/).
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { machineFacts } from './machine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const { variantTree } = await dist('model/variants.js');
const { readSafetensors } = await dist('model/safetensors.js');
const { emitCtrgcnOnnx } = await dist('export/graph/emit-ctrgcn.js');
const { encodeModel } = await dist('export/graph/onnx-builder.js');
const { createSession, defaultSpinning, runBatch } = await dist('infer/session.js');
const { summarize } = await dist('infer/latency.js');
const { runtimeVersion } = await dist('infer/runtime-info.js');
const { modelSummary } = await dist('model/summary.js');
const { OnnxGraphBuilder, DType } = await dist('export/graph/onnx-builder.js');
const ort = (await import('onnxruntime-node')).default;

function arg(name, dflt) {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  const a = process.argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[i + 1];
}
const runsArg = arg('runs', undefined);
const runsFor = (bs) => (runsArg !== undefined ? Number(runsArg) : bs === 1 ? 60 : 15);
const warmup = Number(arg('warmup', 3));
const batches = String(arg('batches', '1,8')).split(',').map(Number);
const threadsList = String(arg('threads', '1,2')).split(',').map(Number);
const precisions = String(arg('precisions', 'fp32,fp16,int8')).split(',');

const golden = path.resolve(root, '..', 'shared', 'golden');
const models = [
  {
    name: 'ctrgcn_light',
    base: 60,
    weights: path.join(golden, 'ctrgcn_light_paddle_epoch1_example', 'weights.safetensors'),
  },
  { name: 'ctrgcn', base: 64, weights: path.join(golden, 'ctrgcn_base64_seed1', 'weights.safetensors') },
];

// Deterministic input: a smooth pseudo-skeleton (values don't change the cost of a dense network).
function input(n) {
  const a = new Float32Array(n * 3 * 64 * 25 * 2);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 0.001) * 0.5;
  return a;
}

/**
 * Times `sessions` (key → session) in one rotation: each run calls every session once, in order.
 * Returns per key the wall times (ms) of the timed runs and this process's CPU ms per run.
 */
async function timeRotation(sessions, bs, runs) {
  const x = input(bs);
  const ms = new Map([...sessions.keys()].map((k) => [k, []]));
  const cpu = new Map([...sessions.keys()].map((k) => [k, 0]));
  for (let r = 0; r < warmup + runs; r++) {
    for (const [k, s] of sessions) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await runBatch(s, x, [bs, 3, 64, 25, 2]);
      const t1 = performance.now();
      const c = process.cpuUsage(c0);
      if (r >= warmup) {
        ms.get(k).push(t1 - t0);
        cpu.set(k, cpu.get(k) + (c.user + c.system) / 1000);
      }
    }
  }
  // CPU time of this process per run: less sensitive to other load than wall time.
  return new Map([...ms].map(([k, v]) => [k, { ms: v, cpuMs: Math.round((cpu.get(k) / v.length) * 100) / 100 }]));
}

// Every graph of a thread count — light and original, each precision, and at fp32 the plain graphs —
// is timed in one rotation, run by run, so that all of them see the same background load (every
// ratio stays meaningful on a busy machine even when absolute times are not).
const results = [];
/** a / b to 4 decimals (every ratio in the output). */
const ratio = (a, b) => Math.round((a / b) * 1e4) / 1e4;
/** Timed runs of each result row (not printed), for the paired ratios. */
const runTimes = new WeakMap();
/**
 * Median over runs of a[r] / b[r]: both were timed in the same rotation r, so load that drifts
 * during the benchmark cancels run by run (steadier than the ratio of the two p50s).
 */
function pairedP50(a, b) {
  const x = runTimes.get(a);
  const y = runTimes.get(b);
  const q = x.map((v, i) => v / y[i]).sort((p, r) => p - r);
  const mid = q.length >> 1;
  return ratio(q.length % 2 ? q[mid] : (q[mid - 1] + q[mid]) / 2, 1);
}
const tensors = new Map(models.map((m) => [m.name, readSafetensors(m.weights)]));
const timed = precisions.flatMap((precision) =>
  (precision === 'fp32'
    ? [...models, ...models.map((m) => ({ ...m, name: `${m.name}_plain`, arch: m.name, fuse: false }))]
    : models
  ).map((m) => ({ ...m, precision, key: `${m.name}:${precision}` })),
);
const bytes = new Map(
  timed.map((m) => [
    m.key,
    encodeModel(
      emitCtrgcnOnnx(variantTree(m.arch ?? m.name, { baseChannel: m.base }), tensors.get(m.arch ?? m.name), {
        window: 64,
        precision: m.precision,
        fuse: m.fuse ?? true,
      }).model,
    ),
  ]),
);
for (const threads of threadsList) {
  const sessions = new Map();
  for (const m of timed)
    sessions.set(m.key, (await createSession(bytes.get(m.key), { provider: 'cpu', threads })).session);
  for (const bs of batches) {
    const times = await timeRotation(sessions, bs, runsFor(bs));
    for (const m of timed) {
      const { ms: v, cpuMs } = times.get(m.key);
      const s = summarize(v);
      const row = {
        model: m.name,
        precision: m.precision,
        threads,
        batch: bs,
        onnx_bytes: bytes.get(m.key).length,
        p50_ms: s.p50,
        p90_ms: s.p90,
        p50_ci_ms: s.p50_ci,
        p90_ci_ms: s.p90_ci,
        mean_ms: s.mean,
        per_sample_p50_ms: ratio(s.p50, bs),
        cpu_ms_per_run: cpuMs,
      };
      runTimes.set(row, v);
      results.push(row);
      process.stderr.write(
        `${m.name} ${m.precision} threads=${threads} bs=${bs}: p50 ${s.p50} ms, p90 ${s.p90} ms, cpu ${cpuMs} ms/run\n`,
      );
    }
  }
  for (const s of sessions.values()) await s.release();
}

/** A 1024³ fp32 MatMul graph (input [n, n] × initializer [n, n]). */
function matmulGraph(n) {
  const g = new OnnxGraphBuilder('matmul_peak');
  const a = g.addInput('a', DType.FLOAT, [n, n]);
  const b = g.floatConst(
    'b',
    [n, n],
    Float32Array.from({ length: n * n }, (_, i) => Math.sin(i) * 0.1),
  );
  const y = g.op('MatMul', [a, b]);
  g.addOutput(y, DType.FLOAT, [n, n]);
  return encodeModel(g.build({ producer: 'bench-infer' }));
}

/**
 * onnxruntime's matmul peak at a thread count: GFLOP/s of a 1024³ MatMul (best of 15 runs after
 * 3 warm-ups), the same engine and threads as the timed graphs. Copy in/out is included (8 MB).
 */
async function matmulPeak(threads, n = 1024) {
  const { session } = await createSession(matmulGraph(n), { provider: 'cpu', threads });
  const x = new ort.Tensor(
    'float32',
    Float32Array.from({ length: n * n }, (_, i) => Math.cos(i) * 0.1),
    [n, n],
  );
  const times = [];
  for (let r = 0; r < 18; r++) {
    const t0 = performance.now();
    const out = await session.run({ [session.inputNames[0]]: x });
    const dt = performance.now() - t0;
    out[session.outputNames[0]].dispose();
    if (r >= 3) times.push(dt);
  }
  await session.release();
  times.sort((p, q) => p - q);
  // The peak is the best run: on a shared machine slower runs measure the neighbours, not the engine.
  const best = times[0];
  return {
    threads,
    n,
    best_ms: ratio(best, 1),
    median_ms: ratio(times[times.length >> 1], 1),
    gflops: ratio((2 * n ** 3) / (best / 1000) / 1e9, 1),
  };
}
const peaks = [];
for (const threads of threadsList) peaks.push(await matmulPeak(threads));
// Inference efficiency: 2 × MACs × batch / p50 ÷ the same-run matmul peak at the same threads.
const macsPerSample = new Map(
  models.map((m) => [m.name, modelSummary(variantTree(m.name, { baseChannel: m.base })).macsPerSample]),
);
for (const r of results) {
  const peak = peaks.find((p) => p.threads === r.threads);
  const macs = macsPerSample.get(r.model.replace(/_plain$/, ''));
  r.gflops = ratio((2 * macs * r.batch) / (r.p50_ms / 1000) / 1e9, 1);
  r.efficiency = ratio(r.gflops, peak.gflops);
}

/**
 * Intra-op spinning (session.intra_op.allow_spinning) off vs on, light fp32 at batch 1, each
 * thread count, in one rotation: quiet (nothing else of ours running) and under load (`load`
 * busy processes started for it, as many as CPUs). spinning_off_over_on < 1: off is faster.
 */
async function spinningComparison(threads, load) {
  const busy = Array.from({ length: load }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    const sessions = new Map();
    for (const spinning of [true, false])
      sessions.set(
        spinning ? 'on' : 'off',
        (await createSession(bytes.get('ctrgcn_light:fp32'), { provider: 'cpu', threads, spinning })).session,
      );
    const rowsOf = {};
    const times = await timeRotation(sessions, 1, runsFor(1));
    for (const [k, t] of times) {
      const s = summarize(t.ms);
      rowsOf[k] = { p50_ms: s.p50, cpu_ms_per_run: t.cpuMs };
      runTimes.set(rowsOf[k], t.ms);
    }
    for (const s of sessions.values()) await s.release();
    return {
      threads,
      load_processes: load,
      load_avg_1m: Math.round(os.loadavg()[0] * 100) / 100,
      spinning_on: rowsOf.on,
      spinning_off: rowsOf.off,
      spinning_off_over_on_paired: pairedP50(rowsOf.off, rowsOf.on),
      spinning_off_over_on_cpu: ratio(rowsOf.off.cpu_ms_per_run, rowsOf.on.cpu_ms_per_run),
    };
  } finally {
    for (const b of busy) b.kill();
  }
}
const spinning = [];
if (precisions.includes('fp32') && !process.argv.includes('--no-spinning'))
  for (const load of [0, os.cpus().length])
    for (const threads of threadsList) {
      const r = await spinningComparison(threads, load);
      spinning.push(r);
      process.stderr.write(
        `spinning off/on threads=${threads} load=${load}: ${r.spinning_off_over_on_paired} (p50 on ${r.spinning_on.p50_ms} ms, off ${r.spinning_off.p50_ms} ms)\n`,
      );
    }

const ratios = [];
for (const r of results.filter((x) => x.model === 'ctrgcn_light')) {
  const o = results.find(
    (x) => x.model === 'ctrgcn' && x.precision === r.precision && x.threads === r.threads && x.batch === r.batch,
  );
  if (o) {
    ratios.push({
      precision: r.precision,
      threads: r.threads,
      batch: r.batch,
      light_over_original_p50: ratio(r.p50_ms, o.p50_ms),
      light_over_original_paired: pairedP50(r, o),
      light_over_original_cpu: ratio(r.cpu_ms_per_run, o.cpu_ms_per_run),
    });
  }
}
// Each reduced-precision export beside the fp32 export of the same model, threads and batch.
const overFp32 = [];
for (const r of results.filter((x) => x.precision !== 'fp32')) {
  const o = results.find(
    (x) => x.model === r.model && x.precision === 'fp32' && x.threads === r.threads && x.batch === r.batch,
  );
  if (o)
    overFp32.push({
      model: r.model,
      precision: r.precision,
      threads: r.threads,
      batch: r.batch,
      bytes: r.onnx_bytes,
      fp32_bytes: o.onnx_bytes,
      size_over_fp32: ratio(r.onnx_bytes, o.onnx_bytes),
      p50_over_fp32: ratio(r.p50_ms, o.p50_ms),
      p50_over_fp32_paired: pairedP50(r, o),
      cpu_over_fp32: ratio(r.cpu_ms_per_run, o.cpu_ms_per_run),
    });
}
// The fused graph beside the plain graph of the same model (fp32, same threads and batch, same run).
const fusedOverUnfused = [];
for (const r of results.filter((x) => x.precision === 'fp32' && !x.model.endsWith('_plain'))) {
  const o = results.find((x) => x.model === `${r.model}_plain` && x.threads === r.threads && x.batch === r.batch);
  if (o)
    fusedOverUnfused.push({
      model: r.model,
      threads: r.threads,
      batch: r.batch,
      fused_p50_ms: r.p50_ms,
      unfused_p50_ms: o.p50_ms,
      fused_over_unfused_p50: ratio(r.p50_ms, o.p50_ms),
      fused_over_unfused_paired: pairedP50(r, o),
      fused_over_unfused_cpu: ratio(r.cpu_ms_per_run, o.cpu_ms_per_run),
    });
}
// How much of that fusion onnxruntime's own optimiser already does: the same two light graphs with
// graph optimisation disabled (batch 1, the largest thread count), timed alternately.
const unoptimised = [];
if (precisions.includes('fp32')) {
  const threads = Math.max(...threadsList);
  const light = models[0];
  const sessions = new Map();
  for (const name of [light.name, `${light.name}_plain`])
    sessions.set(
      name,
      (await createSession(bytes.get(`${name}:fp32`), { provider: 'cpu', threads, optimize: false })).session,
    );
  const times = await timeRotation(sessions, 1, runsFor(1));
  for (const s of sessions.values()) await s.release();
  const [f, u] = [...times.values()].map((t) => summarize(t.ms).p50);
  unoptimised.push({
    model: light.name,
    threads,
    batch: 1,
    graph_optimization: 'disabled',
    fused_p50_ms: f,
    unfused_p50_ms: u,
    fused_over_unfused_p50: ratio(f, u),
  });
  process.stderr.write(`${light.name} fp32 unoptimised: fused p50 ${f} ms, plain p50 ${u} ms\n`);
}
process.stdout.write(
  JSON.stringify(
    {
      benchmark: 'infer',
      runtime: runtimeVersion(),
      machine: {
        load_avg_1m: Math.round(os.loadavg()[0] * 100) / 100,
        ...machineFacts(),
      },
      protocol: {
        warmup,
        runs: runsArg !== undefined ? Number(runsArg) : { batch1: 60, larger: 15 },
        input: '[batch, 3, 64, 25, 2] float32',
        timing: 'session.run incl. copy in/out, per batch',
      },
      results,
      light_over_original: ratios,
      precision_over_fp32: overFp32,
      fused_over_unfused: fusedOverUnfused,
      fused_over_unfused_ort_unoptimised: unoptimised,
      matmul_peak: peaks,
      spinning_off_over_on: spinning,
      default_spinning: defaultSpinning(),
    },
    null,
    2,
  ) + '\n',
);
