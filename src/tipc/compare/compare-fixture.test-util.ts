// Compare tables without training (test helper): a scratch root holding, per variant, a config dir
// (with a summary command for its parameters) and a written lite-chain report with chosen figures
// (sizes, top-1, CPU p50 beside the reference's), read back by `compareVariants --reuse` as the
// command reads real ones.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../report/index.js';
import { compareVariants, type CompareTable, type VariantCatalog } from './compare.js';

const FIX = path.resolve(import.meta.dirname, '../__fixtures__');
const MODE = 'lite_train_lite_infer';

export interface FixtureVariant {
  variant: string;
  /** Total bytes of the fp32 export (null: no size measured). */
  fp32Bytes: number | null;
  /** Top-1 of the exported fp32 model, 0–1 (null: not measured). */
  top1: number | null;
  /** CPU p50 (ms) of the model and of the reference timed beside it (null: no benchmark). */
  cpu: { p50: number; refP50: number } | null;
  /** Trainable parameters; the summary command reports MACs of 1000 per parameter. */
  params: number;
}

/** Figures in the range of real lite runs; the V1 row has no accuracy, the Lite row no size nor benchmark. */
export const FIXTURE_VARIANTS: FixtureVariant[] = [
  { variant: 'CTRGCN_joint', fp32Bytes: 5_792_421, top1: 0.89, cpu: { p50: 66.32, refP50: 61.4 }, params: 1_456_000 },
  {
    variant: 'CTRGCN_light_joint',
    fp32Bytes: 4_112_685,
    top1: 0.94,
    cpu: { p50: 36.7, refP50: 63.26 },
    params: 1_031_550,
  },
  {
    variant: 'CTRGCN_lightV2_joint',
    fp32Bytes: 4_493_010,
    top1: 0.9067,
    cpu: { p50: 53.74, refP50: 63.2 },
    params: 1_120_000,
  },
  {
    variant: 'CTRGCN_lightV1_joint',
    fp32Bytes: 4_301_550,
    top1: null,
    cpu: { p50: 41.2, refP50: 62.9 },
    params: 1_070_000,
  },
  { variant: 'CTRGCNLite_joint', fp32Bytes: null, top1: 0.925, cpu: null, params: 1_250_000 },
];

function latency(
  unit: string,
  target: 'trained' | 'reference',
  p50: number,
): Report['measurements']['latency'][number] {
  return {
    unit,
    target,
    device: 'cpu',
    modelFile: `${unit}/inference.onnx`,
    threads: 1,
    batchSize: 1,
    batches: 60,
    confidence: 0.95,
    ciExact: true,
    mean: p50 * 1.05,
    p50,
    p90: p50 * 1.2,
    p50Ci: [p50 * 0.98, p50 * 1.02],
    p90Ci: [p50 * 1.15, p50 * 1.25],
  };
}

function measurements(v: FixtureVariant): Report['measurements'] {
  const unit = `./test_tipc/output/${v.variant}/${MODE}/norm_train_gpus_-1_autocast_null_nodes_1`;
  const size = (bytes: number) => ({ unit, dir: unit, files: { 'inference.onnx': bytes }, totalBytes: bytes });
  return {
    // the fp16 and int8 exports at about a half and a quarter of the fp32 one
    sizes:
      v.fp32Bytes === null
        ? []
        : [
            { ...size(v.fp32Bytes), role: 'driver', precision: 'fp32' },
            { ...size(Math.round(v.fp32Bytes * 0.515)), role: 'artifact', precision: 'fp16' },
            { ...size(Math.round(v.fp32Bytes * 0.284)), role: 'artifact', precision: 'int8' },
          ],
    accuracy:
      v.top1 === null
        ? []
        : [
            {
              unit,
              model: 'fp32',
              path: `${unit}/inference.onnx`,
              sha256: null,
              top1: v.top1,
              top5: 1,
              samples: 300,
              source: 'records',
            },
          ],
    latency: v.cpu
      ? [latency(unit, 'trained', v.cpu.p50), latency(`${unit}/reference`, 'reference', v.cpu.refP50)]
      : [],
    training: [],
    certified: [],
  };
}

/** A passing lite-chain report of the variant with its figures (no steps or gates: compare reads neither). */
export function fixtureReport(v: FixtureVariant): Report {
  return {
    schemaVersion: 2,
    model: v.variant,
    mode: MODE,
    status: 'pass',
    params: `test_tipc/configs/${v.variant}/train_infer_python.txt`,
    driver: 'head',
    strict: true,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1,
    steps: [],
    gates: [],
    artifacts: [],
    measurements: measurements(v),
    environment: {
      node: 'v20',
      platform: 'linux-x64',
      backends: [],
      cpu: 'fixture CPU',
      cpus: 2,
      threads: 1,
      gpu: { available: false, reason: 'fixture' },
    },
    summary: { pass: 1, fail: 0, skipped: 0, timeout: 0, gatesPassed: 0, gatesFailed: 0, gatesNotSet: 0 },
  };
}

/** A scratch root with a config dir and a written report per variant. */
export function fixtureRoot(variants: readonly FixtureVariant[] = FIXTURE_VARIANTS): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tipc-compare-fixture-'));
  const params = readFileSync(path.join(FIX, 'stub_params.txt'), 'utf8');
  for (const v of variants) {
    const config = path.join(root, 'test_tipc/configs', v.variant);
    mkdirSync(config, { recursive: true });
    writeFileSync(path.join(config, 'gates.yaml'), `chain:\n  summary: summary --params ${v.params}\n`);
    writeFileSync(
      path.join(config, 'train_infer_python.txt'),
      params.replace('model_name:TIPC_STUB', `model_name:${v.variant}`),
    );
    const reports = path.join(root, 'reports', v.variant, MODE);
    mkdirSync(reports, { recursive: true });
    writeFileSync(path.join(reports, 'report.json'), JSON.stringify(fixtureReport(v), null, 2));
  }
  return root;
}

/** The compare table of the variants' fixture reports, read as `tipc compare --reuse` reads them. */
export async function fixtureCompare(
  catalog: VariantCatalog,
  variants: readonly FixtureVariant[] = FIXTURE_VARIANTS,
): Promise<{ root: string; table: CompareTable }> {
  const root = fixtureRoot(variants);
  const table = await compareVariants({
    configs: 'test_tipc/configs',
    variants: variants.map((v) => v.variant),
    catalog,
    mode: MODE,
    root,
    reuse: true,
    prepare: false,
    out: () => {},
    // the summary command of the gates file: `summary --params N`
    exec: async (argv) => {
      const params = Number(argv[argv.indexOf('--params') + 1]);
      return Promise.resolve(JSON.stringify({ trainable: params, macsPerSample: params * 1000 }));
    },
  });
  return { root, table };
}
