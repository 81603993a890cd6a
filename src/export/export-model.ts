// `ctrgcn export`: recipe + checkpoint → <out>/<save_name>.onnx (metadata_props: variant, recipe
// and digest, labels, preprocessing, package version), its .json sidecar (input spec,
// preprocessing, precision, sizes from disk, parameter counts, source sha256 and, with an
// evaluation set, the top-1 of fp32 and of the exported variant) and metafile.yml (model index).
import path from 'node:path';
import { emitCtrgcnOnnx, INPUT_NAME, OUTPUT_NAME } from './graph/emit-ctrgcn.js';
import { buildMetadata, metadataProps } from './metadata.js';
import { metafileYaml, recordedEvalMetrics, type KnownMetrics } from './metafile.js';
import { modelSummary } from '../model/summary.js';
import { selectTensors } from '../model/weights-file.js';
import { packageVersion } from '../util/package-version.js';
import { checkOnnxStructure } from './graph/check-onnx.js';
import { encodeModel } from './graph/onnx-builder.js';
import { loadCheckpoint, sha256File } from './load-weights.js';
import type { Precision } from './quantize.js';
import { readRecipe, type Recipe } from './recipe.js';
import { fileSizes, selfSizedJson } from './size.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { createSession } from '../infer/session.js';
import { evaluateTop1, loadEvalSet, type EvalSet } from '../infer/evaluate.js';
import { CodedError } from '../util/errors.js';

export interface ExportOptions {
  config: string;
  overrides?: string[];
  /** Unknown override keys warn instead of failing (`--allow-unknown`). */
  allowUnknownOverrides?: boolean;
  weights: string;
  outDir: string;
  saveName?: string;
  precision: Precision;
  evalSet?: EvalSet;
  /** Fused graph (default); false writes the plain graph, op for op (the benchmark's baseline). */
  fuse?: boolean;
  log?: (line: string) => void;
}

export interface AccuracyRecord {
  data: string;
  labels: string;
  samples: number;
  fp32_top1: number;
  top1: number;
  /** fp32 top-1 − variant top-1, in percentage points. */
  top1_drop_pp: number;
  /** Samples whose predicted class differs from the fp32 prediction. */
  changed_predictions: number;
}

export interface ExportSidecar {
  format: 'onnx';
  model_name: string;
  /** Product variant (the registry's) and the sha256 of the normalised recipe. */
  variant: string;
  recipe_sha256: string;
  backbone: string;
  base_channel: number;
  precision: Precision;
  opset: number;
  input: { name: string; shape: Array<number | string>; dtype: 'float32'; layout: string };
  output: { name: string; shape: Array<number | string>; meaning: string };
  classes: number;
  preprocessing: { helper: string; window_size: number; p_interval: number[]; steps: string[] };
  postprocessing: { softmax: true; top_k: number };
  /** `fused`: convs stacked, BatchNorm folded; false for the plain graph (`--no-fuse`). */
  graph: { nodes: number; stored_parameters: number; fused: boolean; bn_folded: boolean };
  source: { weights: string; sha256: string; parameters: number; config: string };
  files: Record<string, number>;
  total_bytes: number;
  accuracy?: AccuracyRecord;
}

export interface ExportResult {
  onnxFile: string;
  jsonFile: string;
  metafile: string;
  sidecar: ExportSidecar;
}

/** Name of the model-index file written beside every export. */
export const METAFILE_NAME = 'metafile.yml';

export async function exportModel(opts: ExportOptions): Promise<ExportResult> {
  const log = opts.log ?? (() => {});
  const recipe = readRecipe(opts.config, opts.overrides, { allowUnknown: opts.allowUnknownOverrides });
  const saveName = opts.saveName ?? recipe.modelName;
  log(`Building model(${recipe.modelName})...`);
  log(`Loading params from (${opts.weights})...`);
  const tree = recipe.tree;
  const fits = (e: unknown) =>
    new CodedError(
      'E_WEIGHTS_MISMATCH',
      `${opts.weights} does not fit ${recipe.backbone} (base ${tree.baseChannel}) of ${opts.config}: ${(e as Error).message}`,
    );
  let tensors;
  try {
    tensors = selectTensors(tree, loadCheckpoint(opts.weights), opts.weights);
  } catch (e) {
    if (e instanceof CodedError && e.code !== 'E_WEIGHTS_MISMATCH') throw e;
    throw fits(e);
  }
  const emit = (precision: Precision) => {
    try {
      return emitCtrgcnOnnx(tree, tensors, {
        window: recipe.inference.window,
        precision,
        metadata: metadataProps(buildMetadata(recipe, precision)),
        producerVersion: packageVersion(),
        fuse: opts.fuse,
      });
    } catch (e) {
      throw fits(e);
    }
  };
  const result = emit(opts.precision);
  const bytes = encodeModel(result.model);
  const inputShape = ['N', tree.inChannels, recipe.inference.window, tree.numPoint, tree.numPerson];
  const outputShape = ['N', tree.numClass];
  const problems = checkOnnxStructure(bytes, { inputShape, outputShape });
  if (problems.length)
    throw new CodedError(
      'E_EXPORT_INVALID',
      `generated graph failed the structural check: ${problems.slice(0, 3).join('; ')}`,
    );

  let accuracy: AccuracyRecord | undefined;
  if (opts.evalSet)
    accuracy = await measureAccuracy(
      recipe,
      opts.evalSet,
      bytes,
      opts.precision === 'fp32' ? bytes : encodeModel(emit('fp32').model),
    );

  const onnxFile = path.join(opts.outDir, `${saveName}.onnx`);
  const jsonFile = path.join(opts.outDir, `${saveName}.json`);
  writeFileAtomic(onnxFile, bytes);
  const onnxSizes = fileSizes([onnxFile]);
  const base = {
    format: 'onnx' as const,
    model_name: recipe.modelName,
    variant: tree.variant,
    recipe_sha256: recipe.digest,
    backbone: recipe.backbone,
    base_channel: tree.baseChannel,
    precision: opts.precision,
    opset: 13,
    input: {
      name: INPUT_NAME,
      shape: inputShape,
      dtype: 'float32' as const,
      layout: '[batch, channels (x,y,z), frames, joints, persons]',
    },
    output: { name: OUTPUT_NAME, shape: outputShape, meaning: 'logits (no softmax)' },
    classes: tree.numClass,
    preprocessing: {
      helper: recipe.inference.name,
      window_size: recipe.inference.window,
      p_interval: [recipe.inference.pInterval],
      steps: [
        'count valid frames (non-zero frame sums)',
        `centre crop p=${recipe.inference.pInterval}`,
        `linear resize (half-pixel) to ${recipe.inference.window} frames`,
      ],
    },
    postprocessing: { softmax: true as const, top_k: recipe.inference.topK },
    graph: {
      nodes: result.nodeCount,
      stored_parameters: result.storedParameters,
      fused: result.fused,
      bn_folded: result.fused,
    },
    source: {
      weights: opts.weights,
      sha256: sha256File(opts.weights),
      parameters: result.checkpointParameters,
      config: opts.config,
    },
  };
  const jsonName = path.basename(jsonFile);
  const text = selfSizedJson((self) => {
    const files = { ...onnxSizes, [jsonName]: self };
    const sidecar: ExportSidecar = {
      ...base,
      files,
      total_bytes: Object.values(files).reduce((a, b) => a + b, 0),
      ...(accuracy ? { accuracy } : {}),
    };
    return sidecar;
  });
  writeFileAtomic(jsonFile, text);
  const sidecar = JSON.parse(text) as ExportSidecar;
  const onDisk = fileSizes([onnxFile, jsonFile]);
  if (
    onDisk[jsonName] !== sidecar.files[jsonName] ||
    onDisk[path.basename(onnxFile)] !== sidecar.files[path.basename(onnxFile)]
  ) {
    throw new CodedError('E_EXPORT_INVALID', 'sizes recorded in the sidecar differ from the files on disk');
  }
  const metafile = path.join(opts.outDir, METAFILE_NAME);
  const metrics: KnownMetrics | undefined = accuracy
    ? { dataset: accuracy.data, samples: accuracy.samples, top1: accuracy.top1, source: `${jsonName} accuracy` }
    : recordedEvalMetrics(opts.weights);
  writeFileAtomic(
    metafile,
    metafileYaml({
      recipe,
      summary: modelSummary(tree, recipe.inference.window),
      precision: opts.precision,
      files: sidecar.files,
      weightsFile: path.basename(onnxFile),
      sourceWeights: { file: opts.weights, sha256: sidecar.source.sha256 },
      metrics,
    }),
  );
  log(`model (${recipe.modelName}) has been already saved in (${opts.outDir}).`);
  return { onnxFile, jsonFile, metafile, sidecar };
}

async function measureAccuracy(
  recipe: Recipe,
  set: EvalSet,
  variant: Uint8Array,
  fp32: Uint8Array,
): Promise<AccuracyRecord> {
  const data = loadEvalSet(set, recipe.inference.window, recipe.inference.pInterval);
  const run = async (bytes: Uint8Array) => {
    const { session } = await createSession(bytes, { provider: 'cpu' });
    try {
      return await evaluateTop1(session, data, recipe.inference.window, recipe.tree.numClass);
    } finally {
      await session.release();
    }
  };
  const ref = await run(fp32);
  const v = variant === fp32 ? ref : await run(variant);
  let changed = 0;
  for (let i = 0; i < ref.samples; i++) if (ref.predictions[i] !== v.predictions[i]) changed++;
  return {
    data: set.dataFile,
    labels: set.labelFile,
    samples: ref.samples,
    fp32_top1: ref.top1,
    top1: v.top1,
    top1_drop_pp: Number(((ref.top1 - v.top1) * 100).toFixed(4)),
    changed_predictions: changed,
  };
}
