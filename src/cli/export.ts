// `ctrgcn export` (tools/export_model.py flags): recipe + weights → ONNX inference model, and an
// `export` chain record (TIPC_RECORDS).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALLOW_UNKNOWN_FLAG, parseArgs, UsageError, type CommandSpec } from './args.js';
import { exportModel } from '../export/export-model.js';
import { parsePrecision } from '../export/quantize.js';
import { readRecipe } from '../export/recipe.js';
import { emitRecord } from '../contracts/index.js';
import { initialValues } from '../model/init.js';
import { writeSafetensors, type TensorMap } from '../model/safetensors.js';

/** The recipe's model with seeded initial weights (model.md §6), saved so the sidecar can name and hash it. */
function writeInitialWeights(config: string, overrides: string[], seed: number, outDir: string): string {
  const { tree } = readRecipe(config, overrides);
  const specs = tree.tensors;
  const values = initialValues(specs, seed);
  const map: TensorMap = new Map(specs.map((sp, i) => [sp.name, { shape: [...sp.shape], data: values[i] }]));
  const file = path.join(outDir, `init_seed${seed}.safetensors`);
  writeSafetensors(file, map, { format: 'ctrgcn-init', seed: String(seed) });
  return file;
}

export const spec: CommandSpec = {
  usage:
    '-c CONFIG -p WEIGHTS -o OUTDIR [--save_name inference] [--precision fp32|fp16|int8] [--no-fuse] [--override k=v]…',
  description:
    'Export the recogniser (backbone + head → logits) as ONNX (fused: parallel convs stacked, BatchNorm folded), plus a .json sidecar with sizes.',
  flags: [
    { name: 'config', short: 'c', help: 'YAML recipe (MODEL.backbone.name selects the architecture)' },
    { name: 'override', repeat: true, help: 'config override key=value' },
    ALLOW_UNKNOWN_FLAG,
    { name: 'pretrained_params', short: 'p', default: './best.pdparams', help: 'weights (.pdparams or .safetensors)' },
    { name: 'output_path', short: 'o', default: './inference', help: 'output folder' },
    { name: 'save_name', help: 'file stem (default: model_name)' },
    {
      name: 'precision',
      default: 'fp32',
      help: 'stored weight precision: fp32, fp16 or int8 (per-channel, DequantizeLinear)',
    },
    {
      name: 'no-fuse',
      type: 'switch',
      help: 'write the plain graph instead: every stored conv and BatchNorm as its own node (the same function; the baseline of the fused graph in `npm run bench`)',
    },
    { name: 'calib-data', help: '[N,3,T,25,2] .npy: record top-1 of fp32 and of this variant in the sidecar' },
    { name: 'calib-labels', help: 'labels for --calib-data (_label.pkl or .npy)' },
    { name: 'calib-limit', type: 'int', min: 1, help: 'use only the first N samples of --calib-data' },
    {
      name: 'init-seed',
      type: 'int',
      min: 0,
      help: 'export deterministic initial weights of this seed instead of -p (written to OUTDIR/init_seed<N>.safetensors): a reference model for latency and golden checks',
    },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!flags.config) throw new UsageError('-c/--config is required');
  let precision;
  try {
    precision = parsePrecision(String(flags.precision));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const data = flags['calib-data'] as string | undefined;
  const labels = flags['calib-labels'] as string | undefined;
  if (Boolean(data) !== Boolean(labels)) throw new UsageError('--calib-data and --calib-labels go together');
  const initSeed = flags['init-seed'] as number | undefined;
  const explicitWeights = argv.some((a) => /^(-p|--pretrained_params)(=|$)/.test(a));
  if (initSeed !== undefined && explicitWeights)
    throw new UsageError('give either -p weights or --init-seed, not both');
  const weights =
    initSeed === undefined
      ? String(flags.pretrained_params)
      : writeInitialWeights(String(flags.config), flags.override as string[], initSeed, String(flags.output_path));
  const r = await exportModel({
    config: String(flags.config),
    overrides: flags.override as string[],
    allowUnknownOverrides: flags['allow-unknown'] === true,
    weights,
    outDir: String(flags.output_path),
    saveName: flags.save_name as string | undefined,
    precision,
    fuse: flags['no-fuse'] !== true,
    evalSet:
      data && labels
        ? { dataFile: data, labelFile: labels, limit: flags['calib-limit'] as number | undefined }
        : undefined,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const s = r.sidecar;
  emitRecord('export', {
    model_name: s.model_name,
    precision: s.precision,
    dir: String(flags.output_path),
    files: s.files,
    total_bytes: s.total_bytes,
    source: { weights: s.source.weights, sha256: s.source.sha256, parameters: s.source.parameters },
    nodes: s.graph.nodes,
    files_sha256: Object.fromEntries(
      Object.keys(s.files)
        .filter((f) => existsSync(path.join(String(flags.output_path), f)))
        .map((f) => [
          f,
          createHash('sha256')
            .update(readFileSync(path.join(String(flags.output_path), f)))
            .digest('hex'),
        ]),
    ),
  });
  const files = Object.entries(s.files)
    .map(([k, v]) => `${k} ${v} B`)
    .join(', ');
  process.stdout.write(
    `precision ${s.precision}: ${files}; total ${s.total_bytes} B; ${s.graph.nodes} nodes (${s.graph.fused ? 'fused' : 'plain'} graph)\n`,
  );
  if (s.accuracy) {
    const a = s.accuracy;
    process.stdout.write(
      `top-1 on ${a.samples} samples: fp32 ${(a.fp32_top1 * 100).toFixed(3)} %, ${s.precision} ${(a.top1 * 100).toFixed(3)} % (drop ${a.top1_drop_pp} pp)\n`,
    );
  }
  return 0;
}
