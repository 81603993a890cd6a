// `ctrgcn predict` (tools/predict.py flags): run an exported ONNX model on .npy skeleton files,
// print top-k per file and, with --enable_benchmark, the auto_log latency report.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { recipeForModel } from '../export/metadata.js';
import { parsePrecision } from '../export/quantize.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { resolveInputFiles } from '../infer/inputs.js';
import { predictFiles } from '../infer/predictor.js';
import { createSession } from '../infer/session.js';
import { summarizeBatches, validateLatencyReport, WARMUP_BATCHES, type LatencyReport } from '../infer/latency.js';
import { formatAutoLog } from '../infer/auto-log.js';
import { runtimeVersion } from '../infer/runtime-info.js';
import { CodedError } from '../util/errors.js';

/** Without a list file, benchmark mode repeats the single input this many times (upstream). */
export const BENCHMARK_REPEATS = 15;

export const spec: CommandSpec = {
  usage:
    'ctrgcn predict --model_file M.onnx --input_file F [--config CFG] [--batch_size 1] [--use_gpu False] [--cpu_threads N] [--enable_benchmark True]',
  summary: 'Run an exported ONNX model (onnxruntime) on skeleton .npy files: test crop + resize, softmax, top-k.',
  flags: [
    {
      name: 'config',
      short: 'c',
      help: "YAML recipe (model_name, INFERENCE section); default: the recipe stored in the model's metadata",
    },
    { name: 'override', short: 'o', repeat: true, help: 'config override key=value' },
    {
      name: 'input_file',
      short: 'i',
      help: '.npy (3,T,25,2), a folder of .npy, or with --time_test_file a list of .npy paths',
    },
    { name: 'time_test_file', type: 'bool', default: false, help: 'input_file is a text file of .npy paths' },
    { name: 'model_file', help: 'exported .onnx file' },
    { name: 'params_file', help: 'weights file (weights live inside the .onnx)', compat: true },
    { name: 'batch_size', short: 'b', type: 'int', default: 1, help: 'files per batch' },
    { name: 'use_gpu', type: 'bool', default: true, help: 'CUDA execution provider (fails when the runtime has none)' },
    { name: 'use_xpu', type: 'bool', default: false, help: 'n/a', compat: true },
    { name: 'use_npu', type: 'bool', default: false, help: 'n/a', compat: true },
    { name: 'precision', default: 'fp32', help: 'fp32|fp16|int8: recorded, checked against the model sidecar' },
    { name: 'ir_optim', type: 'bool', default: true, help: 'graph optimisation (onnxruntime level all / disabled)' },
    { name: 'use_tensorrt', type: 'bool', default: false, help: 'n/a', compat: true },
    { name: 'gpu_mem', type: 'int', default: 8000, help: 'MB', compat: true },
    { name: 'enable_benchmark', type: 'bool', default: false, help: 'latency report (3 warm-up batches)' },
    { name: 'enable_mkldnn', type: 'bool', default: false, help: 'n/a (onnxruntime CPU kernels)', compat: true },
    { name: 'cpu_threads', type: 'int', help: 'intra-op threads (unset: runtime default)' },
    { name: 'disable_glog', type: 'bool', default: false, help: 'quiet runtime logs', compat: true },
    { name: 'benchmark_json', help: 'also write the latency report as JSON here' },
  ],
};

interface Sidecar {
  precision?: string;
  model_name?: string;
}

function readSidecar(modelFile: string): Sidecar | undefined {
  const f = path.join(path.dirname(modelFile), `${path.basename(modelFile, path.extname(modelFile))}.json`);
  if (!fs.existsSync(f)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8')) as Sidecar;
  } catch {
    return undefined;
  }
}

/**
 * TIPC params files name Paddle's program file (`inference.pdmodel`); the ONNX export sits next to
 * it as `inference.onnx`, so that name is accepted and mapped (with a note on stderr).
 */
function resolveModelFile(file: string): string {
  if (file.endsWith('.pdmodel') && !fs.existsSync(file)) {
    const onnx = file.slice(0, -'.pdmodel'.length) + '.onnx';
    if (fs.existsSync(onnx)) {
      process.stderr.write(`note: ${file} is a Paddle program name; using the ONNX export ${onnx}\n`);
      return onnx;
    }
  }
  return file;
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!flags.model_file) throw new UsageError('--model_file is required');
  if (!flags.input_file) throw new UsageError('-i/--input_file is required');
  let precision;
  try {
    precision = parsePrecision(String(flags.precision));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const modelFile = resolveModelFile(String(flags.model_file));
  // The recipe: --config (checked against the model's metadata), else the one the model carries.
  const recipe = recipeForModel(modelFile, flags.config as string | undefined, flags.override as string[]);
  const out = (lines: string[]) => process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  out([`Inference model(${recipe.modelName})...`]);

  const sidecar = fs.existsSync(modelFile) ? readSidecar(modelFile) : undefined;
  if (sidecar?.precision && sidecar.precision !== precision) {
    process.stderr.write(
      `warning: --precision ${precision} but ${modelFile} was exported with ${sidecar.precision} weights; running the file as is\n`,
    );
  }
  const benchmark = flags.enable_benchmark as boolean;
  if (flags.benchmark_json && !benchmark)
    process.stderr.write('warning: --benchmark_json is only written with --enable_benchmark=True\n');
  const listFile = flags.time_test_file as boolean;
  let files = resolveInputFiles(String(flags.input_file), listFile);
  if (benchmark && !listFile && files.length === 1) files = Array.from({ length: BENCHMARK_REPEATS }, () => files[0]);
  const batchSize = flags.batch_size as number;
  if (batchSize < 1) throw new UsageError('--batch_size must be ≥ 1');
  if (benchmark && Math.ceil(files.length / batchSize) < WARMUP_BATCHES + 1) {
    throw new CodedError(
      'E_TOO_FEW_BATCHES',
      `benchmark needs at least ${WARMUP_BATCHES + 1} batches; ${files.length} file(s) at batch size ${batchSize} make ${Math.ceil(files.length / batchSize)}`,
    );
  }

  const provider = flags.use_gpu ? 'cuda' : 'cpu';
  const threads = flags.cpu_threads as number | undefined;
  const { session } = await createSession(modelFile, { provider, threads, optimize: flags.ir_optim as boolean });
  const inf = recipe.inference;
  try {
    const r = await predictFiles({
      session,
      files,
      batchSize,
      spec: {
        channels: inf.numChannels,
        window: inf.window,
        vertices: inf.vertices,
        persons: inf.persons,
        p: inf.pInterval,
      },
      topK: inf.topK,
      print: out,
    });
    if (benchmark) {
      const s = summarizeBatches(r.times);
      const report: LatencyReport = {
        model_name: recipe.modelName,
        model_file: modelFile,
        precision,
        provider,
        batch_size: batchSize,
        cpu_threads: threads ?? null,
        warmup: WARMUP_BATCHES,
        ...s,
        rss_mb: r.peakRssMb,
        rss_kind: 'peak',
        runtime: runtimeVersion(),
        input_shape: [batchSize, inf.numChannels, inf.window, inf.vertices, inf.persons],
        flags: Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
        created: new Date().toISOString(),
      };
      validateLatencyReport(report);
      out(
        formatAutoLog(report, {
          irOptim: flags.ir_optim as boolean,
          enableMkldnn: flags.enable_mkldnn as boolean,
          enableTensorrt: flags.use_tensorrt as boolean,
        }),
      );
      if (flags.benchmark_json) writeFileAtomic(String(flags.benchmark_json), JSON.stringify(report, null, 2) + '\n');
    }
  } finally {
    await session.release();
  }
  return 0;
}
