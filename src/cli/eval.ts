// `ctrgcn eval`: `ctrgcn train --test` (a checkpoint, tfjs), or with --onnx the exported model itself
// (onnxruntime, the inference preprocessing) on the recipe's test split. Both print PaddleVideo's
// `[TEST] finished, avg_acc1= …` line and write an `eval` chain record (TIPC_RECORDS).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { spec as trainSpec } from './train-spec.js';
import { emitRecord, type Precision } from '../contracts/index.js';
import { loadConfig, resolved } from '../config/recipe.js';
import { readRecipe } from '../export/recipe.js';
import { evaluateOnnx } from '../infer/onnx-eval.js';
import { runtimeVersion } from '../infer/runtime-info.js';
import { timePrefix, pyFloatRepr } from '../train/logger.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { CodedError } from '../util/errors.js';

export const spec: CommandSpec = {
  ...trainSpec,
  usage: '-c <config.yaml> (-w <weights> | --onnx <model.onnx>) [-o key=value]…',
  description:
    'Evaluate on the test split: -w weights in the trainer (same as `ctrgcn train --test`; eval_metrics.json next to the weights), ' +
    'or --onnx an exported model with onnxruntime and the inference preprocessing, streamed one batch at a time (<stem>_eval.json next to it). ' +
    'Both print `[TEST] finished, avg_acc1= …, avg_acc5= …` and append an `eval` record to $TIPC_RECORDS.',
  flags: [
    ...trainSpec.flags,
    { name: 'onnx', help: 'exported .onnx model to evaluate instead of -w weights' },
    { name: 'use_gpu', type: 'bool', default: false, help: 'with --onnx: CUDA execution provider' },
    { name: 'cpu_threads', type: 'int', help: 'with --onnx: intra-op threads (unset: runtime default)' },
  ],
};

function sidecarPrecision(model: string): Precision {
  const f = path.join(path.dirname(model), `${path.basename(model, path.extname(model))}.json`);
  if (!fs.existsSync(f)) return 'fp32';
  let p: unknown;
  try {
    p = (JSON.parse(fs.readFileSync(f, 'utf8')) as { precision?: unknown }).precision;
  } catch (e) {
    throw new CodedError('E_EXPORT_INVALID', `${f}: sidecar is not JSON (${(e as Error).message})`);
  }
  if (p !== 'fp32' && p !== 'fp16' && p !== 'int8')
    throw new CodedError('E_EXPORT_INVALID', `${f}: precision ${JSON.stringify(p)} is not fp32, fp16 or int8`);
  return p;
}

async function runOnnx(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  const overrides = [...((flags.override as string[]) ?? [])];
  for (const p of positionals) {
    if (p.includes('=')) overrides.push(p);
    else throw new UsageError(`unexpected argument "${p}"`);
  }
  if (flags.weights) throw new UsageError('give either -w weights or --onnx model, not both');
  const model = String(flags.onnx);
  const { cfg, warnings } = loadConfig(String(flags.config), overrides);
  const log = (m: string) => process.stdout.write(`${timePrefix()}${m}\n`);
  for (const w of warnings) log(`WARNING: ${w}`);
  const recipe = readRecipe(String(flags.config), overrides);
  const R = resolved(cfg);
  const split = R.testSplit;
  if (!split) throw new CodedError('E_CONFIG_INVALID', `${String(flags.config)}: no DATASET.test (or valid) split`, 2);
  const precision = sidecarPrecision(model);
  const provider = flags.use_gpu ? 'cuda' : 'cpu';
  log(`Evaluating ${model} (${precision}, onnxruntime ${provider}) on ${split.file_path}`);
  const bs = R.testBatchSize;
  const r = await evaluateOnnx({
    model,
    dataFile: split.file_path,
    labelFile: split.label_path,
    window: recipe.inference.window,
    p: recipe.inference.pInterval,
    batchSize: bs,
    provider,
    threads: flags.cpu_threads as number | undefined,
    onBatch: (done, total) => {
      if (done === total || (done - 1) % 10 === 0) log(`[TEST] Processing batch ${done - 1}/${total - 1} ...`);
    },
  });
  log(
    `[TEST] metric: avg_acc1 / avg_acc5 below are sample-weighted (correct / ${r.samples} samples); ` +
      `upstream mean of ${r.batches} per-batch accuracies: top1_batch_mean= ${pyFloatRepr(r.top1_batch_mean)}, top5_batch_mean= ${pyFloatRepr(r.top5_batch_mean)}`,
  );
  log(`[TEST] finished, avg_acc1= ${pyFloatRepr(r.top1)}, avg_acc5= ${pyFloatRepr(r.top5)}`);
  const rec = emitRecord('eval', {
    source: 'onnx',
    model_name: recipe.modelName,
    model,
    model_sha256: r.modelSha256,
    precision,
    runtime: `${runtimeVersion()} (${provider})`,
    data: split.file_path,
    labels: split.label_path,
    samples: r.samples,
    batches: r.batches,
    batch_size: bs,
    top1: r.top1,
    top5: r.top5,
    top1_batch_mean: r.top1_batch_mean,
    top5_batch_mean: r.top5_batch_mean,
    loss: r.loss,
    predictions: r.predictions,
    wall_s: r.wallSec,
  });
  const out = path.join(path.dirname(model), `${path.basename(model, path.extname(model))}_eval.json`);
  writeFileAtomic(out, JSON.stringify(rec) + '\n');
  log(`Evaluation record written to ${out}`);
  return 0;
}

export function run(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, spec);
  if (flags.onnx !== undefined) return runOnnx(argv);
  for (const f of ['use_gpu', 'cpu_threads'])
    if (argv.some((a) => a === `--${f}` || a.startsWith(`--${f}=`))) throw new UsageError(`--${f} needs --onnx`);
  // The trainer (and with it tfjs) loads only for -w: `eval --onnx` runs on onnxruntime alone.
  return import('./train.js').then(({ runTrain }) => runTrain(argv, true));
}
