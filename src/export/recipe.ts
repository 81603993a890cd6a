// What export and predict need from a recipe: the architecture (the block tree of MODEL, not
// model_name: upstream keys the export on model_name and fails for the baseline's), classes, the
// INFERENCE section, and the normalised recipe with its digest (carried in the ONNX metadata).
// Loading, `-o`/`--override`s and schema validation are the shared recipe loader's.
import crypto from 'node:crypto';
import { applyOverrides } from '../config/overrides.js';
import { loadConfig, validateConfig, type LoadOptions, type TrainConfig } from '../config/recipe.js';
import type { BackboneName, ModelTree } from '../model/block-tree.js';
import { treeFromModelSection } from '../model/variants.js';
import { CodedError } from '../util/errors.js';

export interface InferenceSpec {
  name: string;
  numChannels: number;
  window: number;
  vertices: number;
  persons: number;
  pInterval: number;
  topK: number;
}

export interface Recipe {
  /** Where the recipe came from (a file, or `<model>.onnx metadata`). */
  file: string;
  modelName: string;
  backbone: BackboneName;
  tree: ModelTree;
  inference: InferenceSpec;
  /** The validated recipe, overrides applied. */
  config: TrainConfig;
  /** Canonical JSON of `config` (keys sorted at every level). */
  normalised: string;
  /** sha256 of `normalised`. */
  digest: string;
}

/** JSON with object keys sorted at every level: equal recipes give equal text. */
export function canonicalJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x as Record<string, unknown>)
          .sort()
          .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
      );
    return x;
  };
  return JSON.stringify(sort(v));
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The Recipe view of a validated config. */
export function recipeFromConfig(cfg: TrainConfig, file: string): Recipe {
  const tree = treeFromModelSection(cfg.MODEL, file);
  const inf = cfg.INFERENCE ?? {};
  const pInterval = inf.p_interval?.[0] ?? 0.95;
  if (!(pInterval > 0 && pInterval <= 1))
    throw new CodedError('E_CONFIG_INVALID', `${file}: INFERENCE.p_interval must be in (0, 1]`);
  const inference: InferenceSpec = {
    name: inf.name ?? 'CTRGCN_Inference_helper',
    numChannels: inf.num_channels ?? 3,
    window: inf.window_size ?? 64,
    vertices: inf.vertex_nums ?? 25,
    persons: inf.person_nums ?? 2,
    pInterval,
    topK: inf.top_k ?? 1,
  };
  const normalised = canonicalJson(cfg);
  return {
    file,
    modelName: cfg.model_name,
    backbone: tree.backbone,
    tree,
    inference,
    config: cfg,
    normalised,
    digest: sha256(normalised),
  };
}

export function readRecipe(file: string, overrides: readonly string[] = [], opts: LoadOptions = {}): Recipe {
  const { cfg, warnings } = loadConfig(file, overrides, opts);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  return recipeFromConfig(cfg, file);
}

/** A recipe stored as normalised JSON (the ONNX metadata's copy), validated like a file. */
export function recipeFromJson(
  text: string,
  source: string,
  overrides: readonly string[] = [],
  opts: LoadOptions = {},
): Recipe {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CodedError('E_MODEL_METADATA', `${source}: the stored recipe is not JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new CodedError('E_MODEL_METADATA', `${source}: the stored recipe is not a mapping`);
  const { warnings } = applyOverrides(raw as Record<string, unknown>, overrides, undefined, opts);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  return recipeFromConfig(validateConfig(raw, source), source);
}
