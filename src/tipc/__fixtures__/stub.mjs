#!/usr/bin/env node
// Test stand-in for the chain's commands: `stub.mjs <train|eval|export|predict> [flags…]`. It writes
// the same chain records as the package's commands, through the package's own record writer
// (dist/contracts), to $TIPC_RECORDS. Behaviour comes from the TIPC_STUB environment variable (JSON,
// per kind), e.g.
//   { "train": { "exit": 1, "hang": true, "valTop1": 0.8, "noSelect": true, "noRecords": true, "kill": "SIGKILL",
//                "grandchild": "<pid file>" },
//     "eval": { "acc": 0.5, "onnx": { "fp32": 0.9, "int8": 0.88 }, "noRecords": true },
//     "export": { "bytes": 1000, "bytesFor": { "int8": 400 }, "break": ["int8"] },
//     "predict": { "cls": 7, "score": 0.5, "accScore": 0.4, "ms": 3.2, "refMs": 6, "refCls": 3, "refScore": 0.2 } }
// A model file whose content starts with BROKEN (export.break) evaluates at chance. Flags --bytes (export),
// --acc (eval), --ms (predict) set defaults per params file; `summary --params N --macs M` prints a model summary.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';

const here = path.dirname(new URL(import.meta.url).pathname);
const contracts = path.resolve(here, '../../../dist/contracts/index.js');
if (!fs.existsSync(contracts)) {
  console.error(`stub: ${contracts} is missing: run \`npm run build\` first`);
  process.exit(90);
}
const { RecordWriter } = await import(contracts);

const [kind, ...args] = process.argv.slice(2);
const rules = JSON.parse(process.env.TIPC_STUB || '{}');
const r = rules[kind] || {};
const flag = (name) => {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(name + '=')) return args[i].slice(name.length + 1);
    if (args[i] === name) return args[i + 1];
  }
  return undefined;
};
const oValue = (key) => {
  for (let i = 0; i < args.length - 1; i++)
    if (args[i] === '-o' && args[i + 1].startsWith(key + '=')) return args[i + 1].slice(key.length + 1);
  return undefined;
};
const sha = (f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const records = new RecordWriter([], r.noRecords ? {} : process.env);
(kind === 'summary' ? console.error : console.log)(`[stub] ${kind} ${args.join(' ')}`);
console.error(`[stub] stderr line of ${kind}`);
if (r.grandchild) {
  // A worker that ignores SIGTERM, like a stuck data-loader process.
  const w = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], {
    stdio: 'ignore',
  });
  fs.writeFileSync(r.grandchild, String(w.pid));
}

/** 20 validation samples, labels 0..4; `acc` of them predicted right, the rest shifted by one class. */
const LABELS = Array.from({ length: 20 }, (_, i) => i % 5);
const predictionsFor = (acc, shift = 1) => LABELS.map((y, i) => (i < Math.round(acc * LABELS.length) ? y : (y + shift) % 5));

function evalRecord(source, model, precision, acc) {
  const predictions = predictionsFor(acc, precision === 'int8' ? 2 : 1);
  const top1 = predictions.filter((p, i) => p === LABELS[i]).length / LABELS.length;
  console.log(`[TEST] finished, avg_acc1= ${top1}, avg_acc5= ${r.acc5 ?? 0.75}`);
  records.write('eval', {
    source,
    model_name: 'TIPC_STUB',
    model,
    model_sha256: fs.existsSync(model) ? sha(model) : '0'.repeat(64),
    precision,
    runtime: 'stub',
    data: 'val_data.npy',
    labels: 'val_label.pkl',
    samples: LABELS.length,
    batches: 2,
    batch_size: 10,
    top1,
    top5: r.acc5 ?? 0.75,
    top1_batch_mean: top1,
    top5_batch_mean: r.acc5 ?? 0.75,
    loss: 1,
    predictions,
    wall_s: 0.1,
  });
}

function stage(ms) {
  const lo = Math.max(0, ms * 0.95);
  return { mean: ms, p50: ms, p90: ms * 1.1, p99: ms * 1.2, p50_ci: [lo, ms * 1.05], p90_ci: [ms, ms * 1.2] };
}

if (r.hang) setInterval(() => {}, 1000);
else if (r.kill) process.kill(process.pid, r.kill);
else {
  if (kind === 'train') {
    const out = oValue('output_dir');
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      const ckpt = path.join(out, 'TIPC_STUB_epoch_00001.pdparams');
      fs.writeFileSync(ckpt, 'weights epoch 1');
      records.write('checkpoint', { epoch: 1, global_step: 2, tag: 'epoch_00001', file: ckpt });
      const steps = [0, 1, 2, 3].map((i) => ({
        epoch: 1 + (i >> 1),
        iter: i % 2,
        global_step: i + 1,
        loss: 4 - i * 0.5,
        lr: 0.01,
        top1: 0.1 * i,
        top5: 0.5,
        batch_cost: 0.1,
        reader_cost: 0.01,
        ips: 100,
        rss_mb: 100,
        peak_rss_mb: 120,
      }));
      for (const s of steps) records.write('train_step', s);
      const last = path.join(out, 'TIPC_STUB_epoch_00002.pdparams');
      fs.writeFileSync(last, 'weights epoch 2');
      records.write('checkpoint', { epoch: 2, global_step: 4, tag: 'epoch_00002', file: last });
      let selected = last;
      let rule = 'last';
      if (r.valTop1 !== undefined) {
        records.write('val', {
          epoch: 2,
          global_step: 4,
          loss: 1,
          top1: r.valTop1,
          top5: 1,
          top1_batch_mean: r.valTop1,
          top5_batch_mean: 1,
          samples: 20,
          rss_mb: 100,
        });
        selected = path.join(out, 'TIPC_STUB_best.pdparams');
        fs.writeFileSync(selected, 'weights best');
        rule = 'best';
      }
      if (!r.noSelect) {
        const alias = path.join(out, 'TIPC_STUB_selected.pdparams');
        fs.copyFileSync(selected, alias);
        records.write('selected', {
          rule,
          file: selected,
          alias,
          epoch: 2,
          val_top1: r.valTop1 ?? null,
          sha256: sha(selected),
          reason: rule === 'best' ? 'best validation top-1 (stub)' : 'last checkpoint (stub)',
        });
      }
      records.write('train_end', {
        model_name: 'TIPC_STUB',
        epochs: 2,
        steps: 4,
        wall_s: 0.4,
        mean_step_s: 0.1,
        samples_per_s: 100,
        peak_rss_mb: 120,
        last_val_top1: r.valTop1 ?? null,
        best_val_top1: r.valTop1 ?? null,
      });
    }
  } else if (kind === 'eval') {
    const onnx = flag('--onnx');
    if (onnx) {
      const precision = /(^|\/)(fp16|int8)\//.exec(onnx)?.[2] ?? 'fp32';
      const broken = fs.existsSync(onnx) && fs.readFileSync(onnx, 'utf8').startsWith('BROKEN');
      const acc = broken ? 0.2 : (r.onnx?.[precision] ?? r.acc ?? Number(flag('--acc') ?? 0.9));
      evalRecord('onnx', onnx, precision, acc);
    } else evalRecord('checkpoint', flag('-w') ?? 'none', null, r.acc ?? 0.9);
  } else if (kind === 'export') {
    const out = flag('-o');
    if (out) {
      const precision = flag('--precision') ?? 'fp32';
      fs.mkdirSync(out, { recursive: true });
      let weights = flag('-p') ?? 'none';
      if (flag('--init-seed') !== undefined) {
        weights = path.join(out, `init_seed${flag('--init-seed')}.safetensors`);
        fs.writeFileSync(weights, 'initial weights');
      }
      const bytes = r.bytesFor?.[precision] ?? r.bytes ?? Number(flag('--bytes') ?? 1000);
      const broken = (r.break ?? []).includes(precision);
      const model = Buffer.alloc(bytes);
      if (broken) model.write('BROKEN');
      fs.writeFileSync(path.join(out, 'inference.onnx'), model);
      fs.writeFileSync(path.join(out, 'inference.json'), '{}');
      records.write('export', {
        model_name: 'TIPC_STUB',
        precision,
        dir: out,
        files: { 'inference.onnx': bytes, 'inference.json': 2 },
        total_bytes: bytes + 2,
        source: {
          weights,
          sha256: fs.existsSync(weights) ? sha(weights) : '0'.repeat(64),
          parameters: 100,
        },
        nodes: 10,
        // `noFileHashes`: an export that records no file hashes (the provenance gate must fail)
        ...(r.noFileHashes
          ? {}
          : {
              files_sha256: {
                'inference.onnx': sha(path.join(out, 'inference.onnx')),
                'inference.json': sha(path.join(out, 'inference.json')),
              },
            }),
      });
      // `tamper`: the file changes after the export recorded it (what is evaluated is not what was exported)
      if (r.tamper) fs.writeFileSync(path.join(out, 'inference.onnx'), Buffer.concat([model, Buffer.from('x')]));
    }
  } else if (kind === 'summary') {
    // `model summary --json`: what tipc compare reads
    console.log(JSON.stringify({ model: 'stub', trainable: Number(flag('--params') ?? 1000), macsPerSample: Number(flag('--macs') ?? 2e9) }));
  } else if (kind === 'predict') {
    const bench = /^(true|t|1)$/i.test(flag('--enable_benchmark') ?? 'false');
    const list = /^(true|t|1)$/i.test(flag('--time_test_file') ?? 'false');
    const input = flag('--input_file');
    const files = list ? fs.readFileSync(input, 'utf8').split('\n').filter(Boolean) : [input];
    const model = flag('--model_file') ?? '';
    const isRef = model.includes('/reference/');
    const cls = isRef ? (r.refCls ?? 3) : (r.cls ?? 7);
    const score = isRef ? (r.refScore ?? 0.25) : ((bench ? r.score : (r.accScore ?? r.score)) ?? 0.6840217);
    const results = r.noTop1 ? [] : files.map((file) => ({ file, classes: [cls], scores: [score] }));
    for (const x of results) {
      console.log(`Current video file: ${x.file}`);
      console.log(`\ttop-1 class: ${x.classes[0]}`);
      console.log(`\ttop-1 score: ${x.scores[0]}`);
    }
    records.write('predict', {
      model_name: 'TIPC_STUB',
      model_file: model,
      precision: flag('--precision') ?? 'fp32',
      batch_size: 1,
      benchmark: bench,
      results,
    });
    if (bench) {
      const ms = isRef ? (r.refMs ?? 6.5) : (r.ms ?? Number(flag('--ms') ?? 3.25));
      const ts = '[2026/01/01 00:00:00] root INFO: ';
      console.log(`${ts} ----------------------- Perf info -----------------------`);
      console.log(`${ts} total time spent(s): 0.1`);
      console.log(`${ts} preprocess_time(ms): 1.5, inference_time(ms): ${ms}, postprocess_time(ms): 0.2`);
      const n = Math.max(1, files.length - 3);
      records.write('latency', {
        model_name: 'TIPC_STUB',
        model_file: model,
        precision: flag('--precision') ?? 'fp32',
        provider: 'cpu',
        batch_size: 1,
        cpu_threads: Number(flag('--cpu_threads') ?? 1),
        warmup: 3,
        batches: n,
        data_num: n + 3,
        confidence: 0.95,
        ci_exact: n >= 40,
        preprocess_ms: stage(1.5),
        inference_ms: stage(ms),
        postprocess_ms: stage(0.2),
        // n batches around ms: most near it, a tail to 1.5 ms (like a real run's distribution).
        inference_histogram: {
          lo_ms: ms * 0.9,
          hi_ms: ms * 1.5,
          counts: [Math.ceil(n * 0.6), Math.floor(n * 0.3), 0, n - Math.ceil(n * 0.6) - Math.floor(n * 0.3)],
        },
        total_s: 0.1,
        rss_mb: 100,
        rss_kind: 'peak',
        runtime: 'stub',
        input_shape: [1, 3, 64, 25, 2],
        flags: {},
        created: '2026-01-01T00:00:00Z',
      });
    }
  }
  records.close();
  process.exitCode = r.exit ?? 0;
}
