// `ctrgcn predict` (tools/predict.py flags): run an exported ONNX model on .npy skeleton files,
// print top-k per file and, with --enable_benchmark, the auto_log latency report.
import fs from 'node:fs';
import path from 'node:path';
import { ALLOW_UNKNOWN_FLAG, parseArgs, UsageError, type CommandSpec } from './args.js';
import { recipeForModel } from '../export/metadata.js';
import { parsePrecision } from '../export/quantize.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { openInputSource, runChunkSize } from '../infer/inputs.js';
import { predictFiles } from '../infer/predictor.js';
import { createSession } from '../infer/session.js';
import { summarizeBatches, WARMUP_BATCHES, type LatencyReport } from '../infer/latency.js';
import { makeRecord, RECORDS_ENV, RecordWriter, type ChainRecord } from '../contracts/index.js';
import { formatAutoLog } from '../infer/auto-log.js';
import { runtimeVersion } from '../infer/runtime-info.js';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS, readTextBounded } from '../util/file-limits.js';

/** Without a list file, benchmark mode repeats the single input this many times (upstream). */
export const BENCHMARK_REPEATS = 15;

export const spec: CommandSpec = {
  usage:
    '--model_file M.onnx --input_file F [--config CFG] [--batch_size 1] [--use_gpu auto] [--cpu_threads N] [--enable_benchmark True]',
  description: 'Run an exported ONNX model (onnxruntime) on skeleton .npy files: test crop + resize, softmax, top-k.',
  flags: [
    {
      name: 'config',
      short: 'c',
      help: "YAML recipe (model_name, INFERENCE section); default: the recipe stored in the model's metadata",
    },
    { name: 'override', short: 'o', repeat: true, help: 'config override key=value' },
    ALLOW_UNKNOWN_FLAG,
    {
      name: 'input_file',
      short: 'i',
      help: '.npy (3,T,25,2), a folder of .npy, or with --time_test_file a list of .npy paths',
    },
    { name: 'time_test_file', type: 'bool', default: false, help: 'input_file is a text file of .npy paths' },
    { name: 'model_file', help: 'exported .onnx file' },
    { name: 'params_file', help: 'weights file (weights live inside the .onnx)', compat: true },
    { name: 'batch_size', short: 'b', type: 'int', default: 1, min: 1, help: 'files per batch' },
    {
      name: 'use_gpu',
      type: 'bool',
      auto: true,
      default: 'auto',
      help: 'CUDA execution provider: True fails when the runtime has none; auto uses it when present, else the CPU (with a note)',
    },
    { name: 'use_xpu', type: 'bool', default: false, help: 'n/a', compat: true },
    { name: 'use_npu', type: 'bool', default: false, help: 'n/a', compat: true },
    { name: 'precision', default: 'fp32', help: 'fp32|fp16|int8: recorded, checked against the model sidecar' },
    { name: 'ir_optim', type: 'bool', default: true, help: 'graph optimisation (onnxruntime level all / disabled)' },
    { name: 'use_tensorrt', type: 'bool', default: false, help: 'n/a', compat: true },
    { name: 'gpu_mem', type: 'int', default: 8000, help: 'MB', compat: true },
    { name: 'enable_benchmark', type: 'bool', default: false, help: 'latency report (3 warm-up batches)' },
    { name: 'enable_mkldnn', type: 'bool', default: false, help: 'n/a (onnxruntime CPU kernels)', compat: true },
    { name: 'cpu_threads', type: 'int', min: 1, help: 'intra-op threads (unset: runtime default)' },
    { name: 'disable_glog', type: 'bool', default: false, help: 'quiet runtime logs', compat: true },
    { name: 'benchmark_json', help: 'also write the latency report as JSON here' },
  ],
};

interface Sidecar {
  precision?: string;
  model_name?: string;
}

/** The export's sidecar `<model>.json`, when there is one; a sidecar that cannot be read is an error. */
function readSidecar(modelFile: string): Sidecar | undefined {
  const f = path.join(path.dirname(modelFile), `${path.basename(modelFile, path.extname(modelFile))}.json`);
  if (!fs.existsSync(f)) return undefined;
  const text = readTextBounded(f, { what: 'model sidecar', maxBytes: FILE_LIMITS.sidecar, code: 'E_EXPORT_INVALID' });
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CodedError('E_EXPORT_INVALID', `model sidecar ${f} is not JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new CodedError('E_EXPORT_INVALID', `model sidecar ${f} is not a JSON object`);
  return v;
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
  const recipe = recipeForModel(modelFile, flags.config as string | undefined, flags.override as string[], {
    allowUnknown: flags['allow-unknown'] === true,
  });
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
  const batchSize = flags.batch_size as number;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new UsageError(`--batch_size must be an integer from 1 to 2^53, got ${batchSize}`);
  const listFile = flags.time_test_file as boolean;
  const source = openInputSource(String(flags.input_file), listFile);
  // Files are streamed (a list file is never held whole); benchmark mode repeats a lone input.
  const repeat = benchmark && !listFile && source.count === 1 ? BENCHMARK_REPEATS : 1;
  const count = source.count * repeat;
  const files: Iterable<string> = {
    *[Symbol.iterator]() {
      for (let k = 0; k < repeat; k++) yield* source.files();
    },
  };
  if (benchmark && Math.ceil(count / batchSize) < WARMUP_BATCHES + 1) {
    throw new CodedError(
      'E_TOO_FEW_BATCHES',
      `benchmark needs at least ${WARMUP_BATCHES + 1} batches; ${count} file(s) at batch size ${batchSize} make ${Math.ceil(count / batchSize)}`,
    );
  }

  const threads = flags.cpu_threads as number | undefined;
  const useGpu = flags.use_gpu as boolean | 'auto';
  const { session, provider, note } = await createSession(modelFile, {
    provider: useGpu === 'auto' ? 'auto' : useGpu ? 'cuda' : 'cpu',
    threads,
    optimize: flags.ir_optim as boolean,
  });
  if (note) process.stderr.write(`note: --use_gpu auto: ${note} (pass --use_gpu=False to silence this note)\n`);
  const inf = recipe.inference;
  const chunk = runChunkSize(inf.window);
  if (batchSize > chunk)
    process.stderr.write(
      `note: batch_size ${batchSize}: each batch is preprocessed and run in chunks of at most ${chunk} samples to bound memory; times are per batch of ${batchSize}\n`,
    );
  try {
    const records: ChainRecord[] = [];
    // The predict record lists every input's top-k; it is collected only when a driver asks for records.
    const results: Array<{ file: string; classes: number[]; scores: number[] }> = [];
    const wantRecords = Boolean(process.env[RECORDS_ENV]);
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
      onResult: wantRecords
        ? (file, top) => results.push({ file, classes: [...top.classes], scores: [...top.scores] })
        : undefined,
    });
    if (benchmark) {
      const s = summarizeBatches(r.times);
      const report: LatencyReport = makeRecord('latency', {
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
      });
      out(
        formatAutoLog(report, {
          irOptim: flags.ir_optim as boolean,
          enableMkldnn: flags.enable_mkldnn as boolean,
          enableTensorrt: flags.use_tensorrt as boolean,
        }),
      );
      if (flags.benchmark_json) writeFileAtomic(String(flags.benchmark_json), JSON.stringify(report, null, 2) + '\n');
      records.push(report);
    }
    emitRecords(
      makeRecord('predict', {
        model_name: recipe.modelName,
        model_file: modelFile,
        precision,
        batch_size: batchSize,
        benchmark,
        results,
      }),
      ...records,
    );
  } finally {
    await session.release();
  }
  return 0;
}

/** Appends records to $TIPC_RECORDS (when a driver set it). */
function emitRecords(...records: ChainRecord[]): void {
  const w = new RecordWriter();
  try {
    for (const r of records) w.append(r);
  } finally {
    w.close();
  }
}
