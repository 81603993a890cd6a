// The performance goals table: each figure read from this run's benchmark results, beside the
// baseline measured in the same run and the goal. Pure function of the results (no timing here);
// a figure whose benchmark did not run is listed with value null and met null, never guessed.

const near = (a, b) => Math.round((a / b) * 1e4) / 1e4;

/** The row of bench-infer's results for a model, precision, threads and batch. */
function inferRow(infer, model, precision, threads = 2, batch = 1) {
  return infer?.results?.find(
    (r) => r.model === model && r.precision === precision && r.threads === threads && r.batch === batch,
  );
}

/** A same-run ratio row of bench-infer (light_over_original, …) for threads 2, batch 1. */
function ratioRow(list, match) {
  return list?.find((r) => r.threads === 2 && r.batch === 1 && Object.entries(match).every(([k, v]) => r[k] === v));
}

function goal(figure, unit, value, baseline, target, cmp, note) {
  const reported = target === undefined;
  const met =
    reported || value === null || value === undefined ? null : cmp === '<=' ? value <= target : value >= target;
  return {
    figure,
    unit,
    value: value ?? null,
    baseline,
    goal: reported ? 'reported' : `${cmp} ${target}`,
    met,
    ...(note ? { note } : {}),
  };
}

/** Which libtensorflow kernels trained (this machine's default), and the same step on the other set in this run. */
function kernelNote(train) {
  const light = train?.ctrgcn_light;
  if (!light?.kernels) return undefined;
  const vs = train.onednn_over_eigen;
  const other = train[light.kernels === 'oneDNN' ? 'ctrgcn_light_eigen' : 'ctrgcn_light_onednn'];
  return vs && other
    ? `${light.kernels} kernels (this machine's default); on ${other.kernels}'s in the same run: ${other.mean_step_sec} s a step, ${other.peak_rss_mb} MiB (oneDNN / Eigen: step time ${vs.step_time}, peak RSS ${vs.peak_rss})`
    : `${light.kernels} kernels (this machine's default)`;
}

/** Where the `npm test` figure comes from: .bench/npm-test.json, written by the whole-suite run itself. */
function npmTestNote(run) {
  if (!run)
    return 'no whole `npm test` recorded on this checkout (.bench/npm-test.json): run `npm test`, then the bench';
  const where = `${run.machine?.cpus ?? '?'} CPUs, load ${run.load_average_1m?.at_start ?? '?'} → ${run.load_average_1m?.at_end ?? '?'}`;
  const what = `measured by \`npm test\` itself at ${run.started_at} (commit ${run.commit ?? 'unknown'}, ${where})`;
  return run.exit_code === 0 ? what : `that run failed (exit ${run.exit_code}): its time is not the suite's; ${what}`;
}

/**
 * @param {Record<string, any>} results `{ infer, train, tipc, … }` as printed by `npm run bench`
 * @returns {Array<{figure: string, unit: string, value: number|null, baseline: object|null, goal: string, met: boolean|null}>}
 */
export function performanceGoals(results) {
  const { infer, train, tipc, npm_test: npmTest } = results;
  const light = inferRow(infer, 'ctrgcn_light', 'fp32');
  const original = inferRow(infer, 'ctrgcn', 'fp32');
  const plain = inferRow(infer, 'ctrgcn_light_plain', 'fp32');
  const int8 = inferRow(infer, 'ctrgcn_light', 'int8');
  // Paired ratios (median over runs of the two graphs timed in the same rotation) where the
  // benchmark printed them, else the ratio of the two p50s.
  const paired = {
    lightOverOriginal: ratioRow(infer?.light_over_original, { precision: 'fp32' })?.light_over_original_paired,
    fusedOverUnfused: ratioRow(infer?.fused_over_unfused, { model: 'ctrgcn_light' })?.fused_over_unfused_paired,
    int8OverFp32: ratioRow(infer?.precision_over_fp32, { model: 'ctrgcn_light', precision: 'int8' })
      ?.p50_over_fp32_paired,
  };
  const lightTrain = train?.ctrgcn_light;
  const kernels = kernelNote(train);
  const peakAt2 = infer?.matmul_peak?.find((p) => p.threads === 2);
  const originalTrain = train?.ctrgcn;
  const startRun = tipc?.runs?.[0];
  const trainSteps = startRun?.steps?.filter((s) => s.kind === 'train') ?? [];
  const trainSeconds = trainSteps.length ? trainSteps.reduce((a, s) => a + s.seconds, 0) : undefined;
  const base = (what, value, unit) => (value === undefined ? null : { what, value, unit });
  return [
    goal(
      'light p50, batch 1, 2 threads (fp32)',
      'ms',
      light?.p50_ms,
      base('CTRGCN p50, same engine and run', original?.p50_ms, 'ms'),
      11,
      '<=',
    ),
    goal(
      'light / CTRGCN p50, same engine and run',
      'ratio',
      paired.lightOverOriginal ?? (light && original ? near(light.p50_ms, original.p50_ms) : null),
      base('CTRGCN p50', original?.p50_ms, 'ms'),
      0.55,
      '<=',
    ),
    goal(
      'fused / unfused export p50 (light, batch 1, 2 threads)',
      'ratio',
      paired.fusedOverUnfused ?? (light && plain ? near(light.p50_ms, plain.p50_ms) : null),
      base('plain (--no-fuse) graph p50, same run', plain?.p50_ms, 'ms'),
      0.7,
      '<=',
    ),
    goal(
      'int8 light export size',
      'bytes',
      int8?.onnx_bytes,
      base('fp32 light export size', light?.onnx_bytes, 'bytes'),
      1_200_000,
      '<=',
    ),
    goal(
      'int8 / fp32 light p50 (batch 1, 2 threads)',
      'ratio',
      paired.int8OverFp32 ?? (int8 && light ? near(int8.p50_ms, light.p50_ms) : null),
      base('fp32 light p50, same run', light?.p50_ms, 'ms'),
      1.0,
      '<=',
    ),
    goal(
      'training samples/s, light, batch 16',
      'samples/s',
      lightTrain?.samples_per_sec,
      // Torch eager, the baseline, is not measured here: Python is never a dependency.
      base('CTRGCN training samples/s, same run', originalTrain?.samples_per_sec, 'samples/s'),
      9,
      '>=',
    ),
    goal(
      'training efficiency, light, batch 16: step FLOPs / step time ÷ same-run backend matmul peak',
      'ratio',
      lightTrain?.efficiency,
      base('backend fp32 matmul peak (1024³), same run', lightTrain?.matmul_peak_gflops, 'GFLOP/s'),
      0.3,
      '>=',
      kernels,
    ),
    goal(
      'training peak RSS, light, batch 16',
      'MiB',
      lightTrain?.peak_rss_mb,
      base('RSS of the same process before the first step', lightTrain?.rss_before_mb, 'MiB'),
      1536,
      '<=',
      kernels,
    ),
    goal(
      '`npm start` wall time',
      's',
      tipc?.wall_s?.median,
      base('its training step(s), same run', trainSeconds, 's'),
      150,
      '<=',
    ),
    goal(
      '`npm test` wall time (build, lint, every test), last whole run on this checkout',
      's',
      npmTest?.exit_code === 0 ? npmTest.wall_s : null,
      null,
      900,
      '<=',
      npmTestNote(npmTest),
    ),
    goal(
      'inference efficiency, light, batch 1, 2 threads: 2 × MACs / p50 ÷ same-run onnxruntime matmul peak',
      'ratio',
      light?.efficiency,
      base('CTRGCN efficiency, same engine and run', original?.efficiency, 'ratio'),
      undefined,
      undefined,
      peakAt2 ? `onnxruntime 1024³ MatMul peak at 2 threads: ${peakAt2.gflops} GFLOP/s` : undefined,
    ),
  ];
}
