// The parts of a YAML recipe that export and predict need: architecture (from
// MODEL.backbone.name, not from model_name), classes and the INFERENCE section.
import fs from 'node:fs';
import YAML from 'yaml';
import { makeLayout, type ModelLayout, type ModelName } from '../model/layout.js';
import { CliError } from '../util/errors.js';

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

type Obj = Record<string, unknown>;

function lookup(root: Obj, key: string): unknown {
  let cur: unknown = root;
  for (const part of key.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[part];
  }
  return cur;
}

/** `a.b.c=value` (value parsed as a YAML scalar), as PaddleVideo's -o/--override. */
export function applyOverride(root: Obj, kv: string): void {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new CliError('BAD_OVERRIDE', `override "${kv}" is not key=value`);
  const parts = kv.slice(0, eq).trim().split('.');
  const value = YAML.parse(kv.slice(eq + 1));
  let cur = root;
  for (const p of parts.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Obj;
  }
  cur[parts[parts.length - 1]] = value;
}

export function readRecipe(file: string, overrides: readonly string[] = []): Recipe {
  if (!fs.existsSync(file)) throw new CliError('CONFIG_NOT_FOUND', `config ${file} does not exist`);
  let root: Obj;
  try {
    root = YAML.parse(fs.readFileSync(file, 'utf8')) as Obj;
  } catch (e) {
    throw new CliError('CONFIG_INVALID', `${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (!root || typeof root !== 'object') throw new CliError('CONFIG_INVALID', `${file}: not a YAML mapping`);
  for (const o of overrides) applyOverride(root, o);

  const need = (key: string): unknown => {
    const v = lookup(root, key);
    if (v === undefined || v === null) throw new CliError('CONFIG_INVALID', `${file}: missing key ${key}`);
    return v;
  };
  const int = (key: string, dflt?: number): number => {
    const v = dflt === undefined ? need(key) : (lookup(root, key) ?? dflt);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new CliError('CONFIG_INVALID', `${file}: ${key} must be a positive integer (got ${JSON.stringify(v)})`);
    return v;
  };

  const backboneName = String(need('MODEL.backbone.name'));
  let model: ModelName;
  if (backboneName === 'CTRGCN') model = 'ctrgcn';
  else if (backboneName === 'CTRGCN_light') model = 'ctrgcn_light';
  else throw new CliError('CONFIG_INVALID', `${file}: MODEL.backbone.name "${backboneName}" is not supported (CTRGCN, CTRGCN_light)`);
  const modelName = String(need('model_name'));
  const numClass = int('MODEL.head.num_classes');
  const base = int('MODEL.backbone.base_channel', model === 'ctrgcn' ? 64 : 60);

  const inf = (lookup(root, 'INFERENCE') ?? {}) as Obj;
  const p = inf.p_interval ?? [0.95];
  const pInterval = Array.isArray(p) ? Number(p[0]) : Number(p);
  if (!(pInterval > 0 && pInterval <= 1)) throw new CliError('CONFIG_INVALID', `${file}: INFERENCE.p_interval must be in (0, 1]`);
  const inference: InferenceSpec = {
    name: String(inf.name ?? 'CTRGCN_Inference_helper'),
    numChannels: int('INFERENCE.num_channels', 3),
    window: int('INFERENCE.window_size', 64),
    vertices: int('INFERENCE.vertex_nums', 25),
    persons: int('INFERENCE.person_nums', 2),
    pInterval,
    topK: int('INFERENCE.top_k', 1),
  };
  const layout = makeLayout(model, base, numClass);
  if (inference.numChannels !== layout.inChannels || inference.vertices !== layout.numPoint || inference.persons !== layout.numPerson) {
    throw new CliError('CONFIG_INVALID', `${file}: INFERENCE input [${inference.numChannels}, ${inference.window}, ${inference.vertices}, ${inference.persons}] does not fit the model (3 channels, 25 joints, 2 persons)`);
  }
  return { file, modelName, backbone: layout.backbone, layout, inference };
}
