#!/usr/bin/env node
// Test stand-in for the chain's commands: `stub.mjs <train|eval|export|predict> [flags…]`.
// Behaviour comes from the TIPC_STUB environment variable (JSON, per kind):
//   { "<kind>": { "exit": 1, "hang": true, "acc": 0.5, "valTop1": 0.8, "bytes": 1000, "cls": 7, "score": 0.5, "ms": 3.2, "noTop1": true, "kill": "SIGKILL", "grandchild": "<pid file>" } }
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';

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
  for (let i = 0; i < args.length - 1; i++) if (args[i] === '-o' && args[i + 1].startsWith(key + '=')) return args[i + 1].slice(key.length + 1);
  return undefined;
};
console.log(`[stub] ${kind} ${args.join(' ')}`);
console.error(`[stub] stderr line of ${kind}`);
if (r.grandchild) {
  // A worker that ignores SIGTERM, like a stuck data-loader process.
  const w = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
  fs.writeFileSync(r.grandchild, String(w.pid));
}
if (r.hang) setInterval(() => {}, 1000);
else if (r.kill) process.kill(process.pid, r.kill);
else {
  if (kind === 'train') {
    const out = oValue('output_dir');
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, 'TIPC_STUB_epoch_00001.pdparams'), 'weights');
      const lines = [0, 1, 2, 3].map((i) => JSON.stringify({ epoch: 1 + (i >> 1), iter: i, loss: 4 - i * 0.5, top1: 0.1 * i, lr: 0.01, ips: 100 }));
      if (r.valTop1 !== undefined) lines.push(JSON.stringify({ type: 'val', epoch: 2, val_top1: r.valTop1, val_top5: 1 }));
      fs.writeFileSync(path.join(out, 'metrics.jsonl'), lines.join('\n') + '\n');
    }
  } else if (kind === 'eval') {
    console.log(`[TEST] finished, avg_acc1= ${r.acc ?? 0.25}, avg_acc5= ${r.acc5 ?? 0.75}`);
  } else if (kind === 'export') {
    const out = flag('-o');
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, 'inference.onnx'), Buffer.alloc(r.bytes ?? 1000));
      fs.writeFileSync(path.join(out, 'inference.json'), '{}');
    }
  } else if (kind === 'predict') {
    const bench = /^(true|t|1)$/i.test(flag('--enable_benchmark') ?? 'false');
    if (!r.noTop1) {
      console.log(`Current video file: ${flag('--input_file')}`);
      console.log(`\ttop-1 class: ${r.cls ?? 7}`);
      console.log(`\ttop-1 score: ${(bench ? r.score : r.accScore ?? r.score) ?? 0.6840217}`);
    }
    if (bench) {
      const ts = '[2026/01/01 00:00:00] root INFO: ';
      console.log(`${ts} ----------------------- Perf info -----------------------`);
      console.log(`${ts} cpu_rss(MB): 100, gpu_rss(MB): None, gpu_util: None%`);
      console.log(`${ts} total time spent(s): 0.1`);
      console.log(`${ts} preprocess_time(ms): 1.5, inference_time(ms): ${r.ms ?? 3.25}, postprocess_time(ms): 0.2`);
    }
  }
  process.exitCode = r.exit ?? 0;
}
