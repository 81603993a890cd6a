// Gate thresholds. Source, in order: the `gates` section of a typed params file (YAML/JSON), else a
// `gates.yaml` (or `gates.json`) beside a positional .txt params file, else these defaults; CLI flags
// override single values.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CodedError } from '../util/errors.js';
import { makeAjv } from './ajv.js';

export interface GatesConfig {
  size: { maxBytes: number; artifact: string };
  accuracy: { minTop1: number };
  /** Last validation top-1 the trainer wrote to `<save_dir>/metrics.jsonl` (needs `--validate`); null = no gate. */
  training: { minValTop1: number | null };
  latency: { maxInferenceMs: number | null };
  golden: { gtFile: string | null; atol: number; rtol: number };
  determinism: { enabled: boolean; atol: number };
  consistency: { enabled: boolean; atol: number };
}

/** 10 MiB: the published "< 10 MB" inference-model budget is in MiB. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function defaultGates(): GatesConfig {
  return {
    // `inference.*`: every file of the exported inference model (graph + weights + side files).
    size: { maxBytes: DEFAULT_MAX_BYTES, artifact: 'inference.*' },
    accuracy: { minTop1: 0 },
    training: { minValTop1: null },
    latency: { maxInferenceMs: null },
    golden: { gtFile: null, atol: 1e-3, rtol: 1e-3 },
    determinism: { enabled: true, atol: 1e-6 },
    consistency: { enabled: true, atol: 1e-5 },
  };
}

export const gatesSchema = {
  $id: 'tipc-gates',
  type: 'object',
  additionalProperties: false,
  properties: {
    size: {
      type: 'object',
      additionalProperties: false,
      properties: { maxBytes: { type: 'integer', minimum: 0 }, artifact: { type: 'string', minLength: 1 } },
    },
    accuracy: {
      type: 'object',
      additionalProperties: false,
      properties: { minTop1: { type: 'number', minimum: 0, maximum: 1 } },
    },
    training: {
      type: 'object',
      additionalProperties: false,
      properties: { minValTop1: { type: ['number', 'null'], minimum: 0, maximum: 1 } },
    },
    latency: {
      type: 'object',
      additionalProperties: false,
      properties: { maxInferenceMs: { type: ['number', 'null'], minimum: 0 } },
    },
    golden: {
      type: 'object',
      additionalProperties: false,
      properties: {
        gtFile: { type: ['string', 'null'] },
        atol: { type: 'number', minimum: 0 },
        rtol: { type: 'number', minimum: 0 },
      },
    },
    determinism: {
      type: 'object',
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' }, atol: { type: 'number', minimum: 0 } },
    },
    consistency: {
      type: 'object',
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' }, atol: { type: 'number', minimum: 0 } },
    },
  },
} as const;

type Partial2<T> = { [K in keyof T]?: Partial<T[K]> };

export function mergeGates(base: GatesConfig, over: Partial2<GatesConfig> | undefined): GatesConfig {
  const out = structuredClone(base);
  if (!over) return out;
  for (const k of Object.keys(over) as (keyof GatesConfig)[]) Object.assign(out[k], over[k]);
  return out;
}

export function validateGates(obj: unknown, where: string): Partial2<GatesConfig> {
  const ajv = makeAjv();
  const v = ajv.compile(gatesSchema);
  if (!v(obj)) {
    const msg = (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new CodedError('E_GATES_INVALID', `${where}: invalid gates: ${msg}`);
  }
  return obj as Partial2<GatesConfig>;
}

/** Gates for a params file: `inline` is the typed form's section, if any. */
export function loadGates(paramsPath: string, inline?: unknown): { gates: GatesConfig; source: string } {
  if (inline !== undefined)
    return {
      gates: mergeGates(defaultGates(), validateGates(inline, `${paramsPath} (gates)`)),
      source: `${paramsPath}#gates`,
    };
  for (const name of ['gates.yaml', 'gates.yml', 'gates.json']) {
    const f = path.join(path.dirname(paramsPath), name);
    if (!existsSync(f)) continue;
    let obj: unknown;
    try {
      obj = YAML.parse(readFileSync(f, 'utf8'));
    } catch (e) {
      throw new CodedError('E_GATES_INVALID', `${f}: ${(e as Error).message}`);
    }
    const section = obj && typeof obj === 'object' && 'gates' in obj ? obj.gates : obj;
    return { gates: mergeGates(defaultGates(), validateGates(section ?? {}, f)), source: f };
  }
  return { gates: defaultGates(), source: 'defaults' };
}
