#!/usr/bin/env node
// Peak memory of `ctrgcn predict` as a child process (exit-hook maxRSS and /proc VmHWM, see
// peak-rss.mjs) over many inputs and a large batch, beside the baseline of one input in the same
// run. The model is CTRGCN_light with seeded initial weights (memory does not depend on the values).
//   node scripts/bench-predict.mjs [--inputs 2000] [--batch 256] [--batch-inputs 512] [--threads 2]
// Needs `npm run build` (reads dist/).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMeasured } from './peak-rss.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const { variantTree } = await dist('model/variants.js');
const { initialValues } = await dist('model/init.js');
const { emitCtrgcnOnnx } = await dist('export/graph/emit-ctrgcn.js');
const { encodeModel } = await dist('export/graph/onnx-builder.js');
const { writeNpy } = await dist('data/npy.js');

function arg(name, dflt) {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  const a = process.argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[i + 1];
}
const inputs = Number(arg('inputs', 2000));
const batch = Number(arg('batch', 256));
const batchInputs = Number(arg('batch-inputs', 512));
const threads = Number(arg('threads', 2));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-predict-'));
try {
  const tree = variantTree('ctrgcn_light', { baseChannel: 60 });
  const specs = tree.tensors;
  const vals = initialValues(specs, 1);
  const tensors = new Map(specs.map((s, i) => [s.name, { shape: s.shape, data: vals[i] }]));
  const model = path.join(dir, 'inference.onnx');
  fs.writeFileSync(model, encodeModel(emitCtrgcnOnnx(tree, tensors, { window: 64, precision: 'fp32' }).model));

  // Inputs: (3, 300, 25, 2) float32, 72 non-zero frames (like the example file), one per sample.
  const n = Math.max(inputs, batchInputs);
  const files = [];
  for (let k = 0; k < n; k++) {
    const a = new Float32Array(3 * 300 * 25 * 2);
    for (let c = 0; c < 3; c++)
      for (let t = 0; t < 72; t++)
        for (let i = 0; i < 50; i++) a[(c * 300 + t) * 50 + i] = Math.sin(0.01 * (k + 1) * (t + 1) + i + c);
    const f = path.join(dir, 'in', `s${String(k).padStart(5, '0')}.npy`);
    writeNpy(f, '<f4', [3, 300, 25, 2], a);
    files.push(f);
  }
  const list = (m) => {
    const f = path.join(dir, `list-${m}.txt`);
    fs.writeFileSync(f, files.slice(0, m).join('\n') + '\n');
    return f;
  };
  const config = path.join(root, 'configs', 'ctrgcn_light_ntucs_joint.yaml');
  const predict = async (label, m, bs) => {
    const r = await runMeasured(
      [
        path.join(root, 'bin', 'ctrgcn.js'),
        'predict',
        '-c',
        config,
        '--model_file',
        model,
        '--use_gpu=False',
        `--cpu_threads=${threads}`,
        '--time_test_file=True',
        '-i',
        list(m),
        '-b',
        String(bs),
      ],
      { cwd: root },
    );
    if (r.code !== 0) throw new Error(`${label}: exit ${r.code}: ${r.stderr.slice(-500)}`);
    const printed = (r.stdout.match(/^Current video file: /gm) ?? []).length;
    if (printed !== m) throw new Error(`${label}: printed ${printed} results for ${m} inputs`);
    process.stderr.write(`${label}: ${m} inputs, batch ${bs}: peak RSS ${r.peakRssMb} MB, ${r.ms} ms\n`);
    return { inputs: m, batch_size: bs, peak_rss_mb: r.peakRssMb, wall_ms: r.ms };
  };
  const baseline = await predict('baseline', 1, 1);
  const many = await predict('many inputs', inputs, 1);
  const big = await predict('large batch', batchInputs, batch);
  process.stdout.write(
    JSON.stringify(
      {
        benchmark: 'predict-memory',
        limit_mb: 1536,
        machine: { cpus: os.cpus().length, node: process.version, threads },
        model: 'CTRGCN_light base 60, seeded initial weights, window 64',
        baseline_one_input: baseline,
        many_inputs: many,
        large_batch: big,
        growth_mb: {
          many_inputs: many.peak_rss_mb - baseline.peak_rss_mb,
          large_batch: big.peak_rss_mb - baseline.peak_rss_mb,
        },
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
