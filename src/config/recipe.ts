// Training recipe: typed view, YAML loading, `-o` overrides and strict schema validation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema, type ErrorObject, type ValidateFunction } from '../util/schema.js';
import YAML from 'yaml';
import { CodedError } from '../util/errors.js';
import { closest } from '../util/suggest.js';
import { checkNesting, FILE_LIMITS, readTextBounded, YAML_LIMITS } from '../util/file-limits.js';
import { CONFIG_SCHEMA } from './recipe.schema.js';
import { applyOverrides, type OverrideOptions } from './overrides.js';

/** Learning-rate schedule sections (training.md §6). */
export interface WarmupAdjustParams {
  name: 'CustomWarmupAdjustDecay';
  step_base_lr: number;
  warmup_epochs: number;
  lr_decay_rate: number;
  boundaries: number[];
  iter_step?: boolean;
  num_iters?: number;
}

export interface WarmupCosineParams {
  name: 'CustomWarmupCosineDecay';
  warmup_start_lr: number;
  warmup_epochs: number;
  cosine_base_lr: number;
  /** `auto` = where the run's optimiser steps end (see runEndEpoch in src/train/schedules.ts). */
  max_epoch: number | 'auto';
  iter_step?: boolean;
  num_iters?: number;
}

export type LrScheduleParams = WarmupAdjustParams | WarmupCosineParams;

export interface SplitConfig {
  format: 'SkeletonDataset';
  file_path: string;
  label_path: string;
  test_mode?: boolean;
}

export interface TransformStep {
  RandomRotation?: { argument?: boolean; theta?: number } | null;
  SketeonModalityTransform?: { joint?: boolean; bone?: boolean; motion?: boolean; graph?: 'ntu_rgb_d' };
}

export interface PipelineSplit {
  sample: { name?: string; window_size: number; p_interval: number[] };
  transform?: TransformStep[];
}

export interface TrainConfig {
  Global?: { use_gpu?: boolean; auto_cast?: string | boolean | null };
  MODEL: {
    framework?: 'RecognizerGCN';
    backbone: {
      /** A registered backbone (src/model/registry.ts), checked when the architecture is resolved. */
      name: string;
      base_channel?: number;
      num_point?: 25;
      num_person?: 2;
      in_channels?: 3;
      graph?: 'ntu_rgb_d';
      graph_args?: { labeling_mode?: 'spatial' };
      adaptive?: true;
      /** A backbone's own flag (registry.ts): replace l9 by an identity as well. */
      remove_l9?: boolean;
      /** Layout options (src/model/variants.ts): blocks keeping the graph conv, removed blocks, parameterisations. */
      gcn_blocks?: string[];
      remove_blocks?: string[];
      ctrgc?: 'separate' | 'fused' | 'fused_shared';
      temporal?: 'separate' | 'fused';
      conv_bias?: boolean;
      last_branch?: 'equal' | 'remainder';
      stride_gcn_width?: 'output' | 'input';
    };
    head: { name: 'CTRGCNHead'; in_channels?: number; num_classes: number; ls_eps?: number; drop_out?: number };
  };
  DATASET: {
    batch_size: number;
    test_batch_size?: number;
    valid_batch_size?: number;
    num_workers?: number;
    test_num_workers?: number;
    /** Micro-batches per optimiser step (gradient accumulation); batch_size is the effective batch. */
    accum_steps?: number;
    /** Alternative to accum_steps: samples per forward/backward pass (accum_steps = batch_size / micro_batch_size). */
    micro_batch_size?: number;
    train: SplitConfig;
    valid?: SplitConfig;
    test?: SplitConfig;
  };
  PIPELINE: { train: PipelineSplit; valid?: PipelineSplit; test?: PipelineSplit };
  OPTIMIZER: {
    name: 'Momentum';
    momentum: number;
    use_nesterov?: boolean;
    learning_rate: LrScheduleParams;
    weight_decay?: { name: 'L2'; value: number };
  };
  MIX?: { name: 'Mixup'; alpha: number };
  METRIC?: { name?: 'SkeletonMetric'; out_file?: string; top_k?: number };
  INFERENCE?: {
    name?: string;
    num_channels?: 3;
    window_size?: number;
    vertex_nums?: 25;
    person_nums?: 2;
    p_interval?: number[];
    top_k?: number;
  };
  model_name: string;
  log_interval?: number;
  save_interval?: number;
  epochs: number;
  output_dir?: string;
  resume_epoch?: number | 'auto';
  log_level?: 'INFO' | 'DEBUG';
  to_static?: boolean;
}

function getValidator(): ValidateFunction {
  return compileSchema(CONFIG_SCHEMA);
}

/** `/DATASET/batch_size` → `DATASET.batch_size`. */
function keyPath(instancePath: string): string {
  return instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
}

/** What a numeric schema node allows: `an integer ≥ 1`, `a number ≥ 0 and < 1`, `an integer ≥ 4, a multiple of 4`. */
export function allowedRange(node: Record<string, number | string | undefined>): string {
  const kind = node.type === 'integer' ? 'an integer' : 'a number';
  const bounds = [
    node.minimum !== undefined ? `≥ ${String(node.minimum)}` : '',
    node.exclusiveMinimum !== undefined ? `> ${String(node.exclusiveMinimum)}` : '',
    node.maximum !== undefined ? `≤ ${String(node.maximum)}` : '',
    node.exclusiveMaximum !== undefined ? `< ${String(node.exclusiveMaximum)}` : '',
  ].filter(Boolean);
  const multiple = node.multipleOf !== undefined ? `, a multiple of ${String(node.multipleOf)}` : '';
  return `${kind}${bounds.length ? ` ${bounds.join(' and ')}` : ''}${multiple}`;
}

const VALUE_KEYWORDS = new Set(['type', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

export function formatSchemaError(e: ErrorObject): string {
  const at = keyPath(e.instancePath);
  const join = (k: string) => (at ? `${at}.${k}` : k);
  const node = (e.parentSchema ?? {}) as Record<string, number | string | undefined>;
  // A value of several forms (`resume_epoch`: a number or `auto`) says them all in its description.
  if (typeof node.description === 'string' && VALUE_KEYWORDS.has(e.keyword))
    return `"${at}" must be ${node.description} (got ${JSON.stringify(e.data)})`;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${join(String(e.params.additionalProperty))}"`;
    case 'required':
      return `missing key "${join(String(e.params.missingProperty))}"`;
    case 'type':
      return `"${at}" must be ${e.params.type} (got ${JSON.stringify(e.data)})`;
    case 'enum':
      return `"${at}" must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(e.data)})`;
    case 'const':
      return `"${at}" must be ${JSON.stringify(e.params.allowedValue)} (got ${JSON.stringify(e.data)})`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
      return `"${at}" = ${JSON.stringify(e.data)} is out of range (allowed: ${allowedRange(node)})`;
    case 'minItems':
    case 'maxItems':
      return `"${at}" has ${Array.isArray(e.data) ? e.data.length : '?'} items (allowed: ${String(node.minItems ?? 0)} to ${String(node.maxItems ?? 'any number')})`;
    case 'if':
      return '';
    default:
      return `"${at || '<root>'}" ${e.message ?? 'is invalid'} (got ${JSON.stringify(e.data)})`;
  }
}

/** The override (`-o key=value`) that set `at` or a section above it, for error messages. */
function overrideOf(at: string, overrides: readonly string[]): string | undefined {
  let best: string | undefined;
  let len = -1;
  for (const ov of overrides) {
    const key = ov.slice(0, Math.max(0, ov.indexOf('='))).trim();
    if (key && (at === key || at.startsWith(`${key}.`)) && key.length > len) [best, len] = [ov, key.length];
  }
  return best;
}

/**
 * Validates a parsed recipe; throws CodedError E_CONFIG_INVALID naming the file and every bad key
 * (with the `-o` override that set it, when one did).
 */
export function validateConfig(raw: unknown, file = '<config>', overrides: readonly string[] = []): TrainConfig {
  const v = getValidator();
  if (!v(raw)) {
    const msgs = [
      ...new Set(
        (v.errors ?? [])
          .map((e) => {
            const m = formatSchemaError(e);
            const ov = m && overrideOf(keyPath(e.instancePath), overrides);
            return ov ? `${m} (set by -o ${ov})` : m;
          })
          .filter(Boolean),
      ),
    ];
    throw new CodedError('E_CONFIG_INVALID', `${file}: ${msgs.join('; ')}`, 2);
  }
  const cfg = raw as TrainConfig;
  const lr = cfg.OPTIMIZER.learning_rate;
  if (lr.name === 'CustomWarmupAdjustDecay' && [...lr.boundaries].some((b, i, a) => i > 0 && b < a[i - 1])) {
    throw new CodedError('E_CONFIG_INVALID', `${file}: "OPTIMIZER.learning_rate.boundaries" must be ascending`, 2);
  }
  return cfg;
}

export interface LoadedConfig {
  cfg: TrainConfig;
  file: string;
  warnings: string[];
}

export type LoadOptions = OverrideOptions;

/** The recipes this package ships (configs/ at the package root). */
export const SHIPPED_CONFIGS = fileURLToPath(new URL('../../configs/', import.meta.url));

/**
 * What to tell a user whose -c path does not exist: for a PaddleVideo path
 * (configs/recognition/<model>/<name>.yaml) the shipped recipe of the same name, else the nearest
 * shipped name, else the list.
 */
export function missingConfigHint(file: string): string {
  let names: string[];
  try {
    names = fs.readdirSync(SHIPPED_CONFIGS).filter((n) => /\.ya?ml$/.test(n));
  } catch {
    return '';
  }
  const shown = (n: string) => {
    const rel = path.relative(process.cwd(), path.join(SHIPPED_CONFIGS, n));
    return rel.startsWith('..') || path.isAbsolute(rel) ? path.join(SHIPPED_CONFIGS, n) : rel;
  };
  const base = path.basename(file);
  const list = `shipped recipes: ${names.map(shown).join(', ')}`;
  if (/(^|[\\/])configs[\\/]recognition[\\/]/.test(file)) {
    if (names.includes(base)) return `; this is PaddleVideo's layout: the recipe shipped for it is ${shown(base)}`;
    return `; this is PaddleVideo's layout and no recipe of that name ships here (${list})`;
  }
  const near = closest(base, names);
  return near ? `; did you mean ${shown(near)}?` : ` (${list})`;
}

/** Reads a YAML recipe, applies `-o` overrides, validates. */
export function loadConfig(file: string, overrides: readonly string[] = [], opts: LoadOptions = {}): LoadedConfig {
  if (!fs.existsSync(file))
    throw new CodedError('E_CONFIG_MISSING', `config file not found: ${file}${missingConfigHint(file)}`, 2);
  const text = readTextBounded(file, {
    what: 'recipe',
    maxBytes: FILE_LIMITS.recipe,
    code: 'E_CONFIG_INVALID',
    missingCode: 'E_CONFIG_MISSING',
  });
  checkNesting(text, 'E_CONFIG_INVALID', file, 'recipe');
  let raw: unknown;
  try {
    raw = YAML.parse(text, YAML_LIMITS);
  } catch (e) {
    throw new CodedError('E_CONFIG_INVALID', `${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`, 2);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new CodedError('E_CONFIG_INVALID', `${file}: the recipe must be a mapping`, 2);
  const { warnings } = applyOverrides(raw as Record<string, unknown>, overrides, CONFIG_SCHEMA, opts);
  return { cfg: validateConfig(raw, file, overrides), file, warnings };
}

/** Gradient-accumulation factor from accum_steps or micro_batch_size (a micro-batch larger than the batch = 1). */
export function accumSteps(cfg: TrainConfig): number {
  const bs = cfg.DATASET.batch_size;
  const micro = cfg.DATASET.micro_batch_size;
  if (micro !== undefined) {
    if (cfg.DATASET.accum_steps !== undefined)
      throw new CodedError(
        'E_CONFIG_INVALID',
        'set either DATASET.accum_steps or DATASET.micro_batch_size, not both',
        2,
      );
    if (micro >= bs) return 1;
    if (bs % micro !== 0)
      throw new CodedError(
        'E_CONFIG_INVALID',
        `DATASET.batch_size (${bs}) must be a multiple of DATASET.micro_batch_size (${micro})`,
        2,
      );
    return bs / micro;
  }
  return cfg.DATASET.accum_steps ?? 1;
}

/** Resolved settings with the upstream defaults filled in. */
export function resolved(cfg: TrainConfig) {
  const test = cfg.DATASET.test ?? cfg.DATASET.valid;
  return {
    modelName: cfg.model_name,
    outputDir: cfg.output_dir ?? path.join('output', cfg.model_name),
    logInterval: cfg.log_interval ?? 10,
    saveInterval: cfg.save_interval ?? 1,
    epochs: cfg.epochs,
    batchSize: cfg.DATASET.batch_size,
    validBatchSize: cfg.DATASET.valid_batch_size ?? cfg.DATASET.batch_size,
    testBatchSize: cfg.DATASET.test_batch_size ?? cfg.DATASET.batch_size,
    accumSteps: accumSteps(cfg),
    lsEps: cfg.MODEL.head.ls_eps ?? 0,
    numClasses: cfg.MODEL.head.num_classes,
    mixupAlpha: cfg.MIX?.alpha,
    weightDecay: cfg.OPTIMIZER.weight_decay?.value ?? 0,
    momentum: cfg.OPTIMIZER.momentum,
    nesterov: cfg.OPTIMIZER.use_nesterov ?? false,
    resumeEpoch: cfg.resume_epoch ?? 0,
    useGpu: cfg.Global?.use_gpu ?? false,
    testSplit: test,
  };
}
export type ResolvedConfig = ReturnType<typeof resolved>;
