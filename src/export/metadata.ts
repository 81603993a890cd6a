// The exported model's identity in ONNX metadata_props: variant, architecture, the normalised recipe
// and its sha256, labels, preprocessing, package version. `predict` reads the recipe back (no
// --config needed), `ctrgcn model info` prints it, and a --config that disagrees is a named error.
import fs from 'node:fs';
import type { ArchOptions } from '../model/block-tree.js';
import type { LoadOptions } from '../config/recipe.js';
import { archKey } from '../model/variants.js';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS, readFileBounded } from '../util/file-limits.js';
import { packageVersion } from '../util/package-version.js';
import { NTU60_CLASSES } from './ntu60-classes.js';
import { decodeModel } from './graph/onnx-builder.js';
import type { Precision } from './quantize.js';
import { recipeFromJson, readRecipe, type Recipe } from './recipe.js';

/** Schema tag of the metadata written here. */
export const METADATA_FORMAT = 'ctrgcn-onnx/1';

export interface LabelsInfo {
  num_classes: number;
  /** Dataset the class indices refer to, when known. */
  dataset?: string;
  names?: string[];
}

export interface PreprocessingInfo {
  helper: string;
  /** Frames of the model input (window_size = T). */
  window_size: number;
  T: number;
  p_interval: number[];
  num_channels: number;
  vertex_nums: number;
  person_nums: number;
}

export interface ModelMetadata {
  format: string;
  model_name: string;
  variant: string;
  backbone: string;
  base_channel: number;
  precision: string;
  /** Resolved architecture options (block tree input). */
  architecture: ArchOptions;
  /** Canonical JSON of the recipe and its sha256. */
  recipe: string;
  recipe_sha256: string;
  /** The recipe file the export read. */
  recipe_file: string;
  labels: LabelsInfo;
  preprocessing: PreprocessingInfo;
  package_version: string;
}

export function labelsOf(numClasses: number): LabelsInfo {
  return numClasses === NTU60_CLASSES.length
    ? { num_classes: numClasses, dataset: 'NTU RGB+D 60', names: [...NTU60_CLASSES] }
    : { num_classes: numClasses };
}

export function preprocessingOf(r: Recipe): PreprocessingInfo {
  const i = r.inference;
  return {
    helper: i.name,
    window_size: i.window,
    T: i.window,
    p_interval: [i.pInterval],
    num_channels: i.numChannels,
    vertex_nums: i.vertices,
    person_nums: i.persons,
  };
}

export function buildMetadata(r: Recipe, precision: Precision): ModelMetadata {
  return {
    format: METADATA_FORMAT,
    model_name: r.modelName,
    variant: r.tree.variant,
    backbone: r.tree.backbone,
    base_channel: r.tree.baseChannel,
    precision,
    architecture: r.tree.options,
    recipe: r.normalised,
    recipe_sha256: r.digest,
    recipe_file: r.file,
    labels: labelsOf(r.tree.numClass),
    preprocessing: preprocessingOf(r),
    package_version: packageVersion(),
  };
}

/** metadata_props entries: strings as they are, everything else as JSON. */
export function metadataProps(m: ModelMetadata): Record<string, string> {
  return Object.fromEntries(
    Object.entries(m).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const),
  );
}

/** The metadata_props of an ONNX file or buffer. */
export function readOnnxProps(model: string | Uint8Array): Record<string, string> {
  const source = typeof model === 'string' ? model : '<onnx bytes>';
  const bytes =
    typeof model === 'string'
      ? readFileBounded(model, {
          what: 'model file',
          maxBytes: FILE_LIMITS.onnx,
          code: 'E_MODEL_LOAD',
          missingCode: 'E_MODEL_MISSING',
        })
      : model;
  let decoded;
  try {
    decoded = decodeModel(bytes);
  } catch (e) {
    throw new CodedError('E_MODEL_LOAD', `${source} is not an ONNX model: ${(e as Error).message}`);
  }
  return Object.fromEntries((decoded.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
}

const JSON_KEYS = ['base_channel', 'architecture', 'labels', 'preprocessing'] as const;

/** Parses metadata written by this package; undefined when the file carries none. */
export function parseMetadata(props: Record<string, string>, source: string): ModelMetadata | undefined {
  if (props.format !== METADATA_FORMAT) return undefined;
  const out: Record<string, unknown> = { ...props };
  for (const k of JSON_KEYS) {
    try {
      out[k] = JSON.parse(props[k]);
    } catch {
      throw new CodedError('E_MODEL_METADATA', `${source}: metadata entry "${k}" is missing or not JSON`);
    }
  }
  for (const k of ['model_name', 'variant', 'recipe', 'recipe_sha256'] as const)
    if (!props[k]) throw new CodedError('E_MODEL_METADATA', `${source}: metadata entry "${k}" is missing`);
  return out as unknown as ModelMetadata;
}

/** The metadata of an exported ONNX file, or undefined when it was not exported by this package. */
export function readModelMetadata(file: string): ModelMetadata | undefined {
  return parseMetadata(readOnnxProps(file), file);
}

/** The recipe stored in a model's metadata (checked against its digest), `-o` overrides applied. */
export function recipeOfModel(
  m: ModelMetadata,
  source: string,
  overrides: readonly string[] = [],
  opts: LoadOptions = {},
): Recipe {
  const where = `${source} (stored recipe)`;
  const stored = recipeFromJson(m.recipe, where);
  if (stored.digest !== m.recipe_sha256)
    throw new CodedError('E_MODEL_METADATA', `${source}: the stored recipe does not match its sha256`);
  return overrides.length ? recipeFromJson(m.recipe, where, overrides, opts) : stored;
}

/**
 * The recipe `predict` runs a model with: `--config` when given (it must agree with the model's
 * metadata), else the recipe the model carries. A model without metadata needs `--config`.
 */
export function recipeForModel(
  modelFile: string,
  config: string | undefined,
  overrides: readonly string[],
  opts: LoadOptions = {},
): Recipe {
  const meta = fs.existsSync(modelFile) ? readModelMetadata(modelFile) : undefined;
  if (!config) {
    if (!fs.existsSync(modelFile)) throw new CodedError('E_MODEL_MISSING', `model file ${modelFile} does not exist`);
    if (!meta)
      throw new CodedError(
        'E_MODEL_METADATA',
        `${modelFile} carries no ctrgcn metadata (not exported by this package): pass its recipe with --config`,
      );
  }
  const r = config ? readRecipe(config, overrides, opts) : recipeOfModel(meta!, modelFile, overrides, opts);
  if (meta) {
    const c = recipeConflicts(r, meta);
    if (c.length)
      throw new CodedError(
        'E_CONFIG_MISMATCH',
        `${config ?? 'the overrides'} disagree${config ? 's' : ''} with ${modelFile} (exported from ${meta.recipe_file}): ${c.join('; ')}`,
      );
  }
  return r;
}

/**
 * Differences between a recipe and a model's metadata that change what the model computes or
 * what it is fed: the architecture and the preprocessing. (Data paths, schedules, model_name and
 * top_k may differ: TIPC predicts with the full recipe a model exported from its lite one.)
 */
export function recipeConflicts(r: Recipe, m: ModelMetadata): string[] {
  const out: string[] = [];
  if (archKey(r.tree.options) !== archKey(m.architecture))
    out.push(
      `architecture: recipe ${r.tree.backbone} base ${r.tree.baseChannel} (${archKey(r.tree.options)}) vs model ` +
        `${m.backbone} base ${m.base_channel} (${archKey(m.architecture)})`,
    );
  const p = preprocessingOf(r);
  const q = m.preprocessing;
  for (const k of ['window_size', 'num_channels', 'vertex_nums', 'person_nums', 'helper'] as const)
    if (p[k] !== q[k]) out.push(`INFERENCE ${k}: recipe ${p[k]} vs model ${q[k]}`);
  if (JSON.stringify(p.p_interval) !== JSON.stringify(q.p_interval))
    out.push(`INFERENCE p_interval: recipe [${p.p_interval.join(', ')}] vs model [${q.p_interval.join(', ')}]`);
  return out;
}
