#!/usr/bin/env node
// Training-step and inference speed of the tfjs model: forward + backward (+ BN stat commit) per
// step at a given batch, on the active backend. Prints one JSON object on stdout.
//   node scripts/bench-model.mjs [--model ctrgcn_light] [--batch 16] [--frames 64] [--steps 5] [--no-checkpoint]
// Needs the compiled tree (npm run build).
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    model: { type: 'string', default: 'ctrgcn_light' },
    batch: { type: 'string', default: '16' },
    frames: { type: 'string', default: '64' },
    steps: { type: 'string', default: '5' },
    'no-checkpoint': { type: 'boolean', default: false },
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
  },
});
const { initBackend } = await import(`${o.dist}/util/backend.js`);
const { createModel } = await import(`${o.dist}/model/ctrgcn.js`);
const { variantTree } = await import(`${o.dist}/model/variants.js`);
const { tf, backend } = await initBackend();
const [N, T, steps] = [Number(o.batch), Number(o.frames), Number(o.steps)];
const model = createModel(variantTree(o.model), { seed: 1, checkpoint: !o['no-checkpoint'] });
const x = tf.randomNormal([N, 3, T, 25, 2]);
const y = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: N }, (_, i) => i % 60),
    'int32',
  ),
  60,
);
const params = [...model.params.values()];

function step() {
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true })),
    params,
  );
  value.dataSync();
  model.commitBatchStats();
  tf.dispose([value, ...Object.values(grads)]);
}
let cpuMs = 0;
const time = (f, n) => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const c = process.cpuUsage(c0);
  cpuMs = (c.user + c.system) / 1000 / n;
  return (performance.now() - t0) / n;
};
step(); // warm-up
const trainMs = time(step, steps);
const trainCpuMs = cpuMs;
const evalMs =
  time(() => model.forward(x, { training: false }).dispose(), 1) &&
  time(() => model.forward(x, { training: false }).dispose(), steps);
const result = {
  backend,
  model: o.model,
  batch: N,
  checkpoint: !o['no-checkpoint'],
  frames: T,
  train_step_ms: Math.round(trainMs),
  // CPU time (all threads): comparable across runs when the machine is shared.
  train_step_cpu_ms: Math.round(trainCpuMs),
  eval_forward_ms: Math.round(evalMs),
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  tensors_after: tf.memory().numTensors,
};
process.stdout.write(JSON.stringify(result) + '\n');
