// What export and predict need from a recipe: the architecture (from MODEL.backbone.name, not
// from model_name: upstream keys the export on model_name and fails for CTRGCN_joint), classes and
// the INFERENCE section. Loading, `--override`s and schema validation are the shared recipe loader's.
import { loadConfig, type LoadOptions } from '../config/recipe.js';
import { makeLayout, type ModelLayout } from '../model/layout.js';
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
  file: string;
  modelName: string;
  backbone: 'CTRGCN' | 'CTRGCN_light';
  layout: ModelLayout;
  inference: InferenceSpec;
}

export function readRecipe(file: string, overrides: readonly string[] = [], opts: LoadOptions = {}): Recipe {
  const { cfg, warnings } = loadConfig(file, overrides, opts);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const backbone = cfg.MODEL.backbone.name;
  const model = backbone === 'CTRGCN' ? 'ctrgcn' : 'ctrgcn_light';
  const layout = makeLayout(model, cfg.MODEL.backbone.base_channel, cfg.MODEL.head.num_classes);
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
  return { file, modelName: cfg.model_name, backbone, layout, inference };
}
