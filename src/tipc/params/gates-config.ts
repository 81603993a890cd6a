// Gate thresholds and the runner's own extra steps. Source, in order: the `gates` / `chain` sections of
// a typed params file (YAML/JSON), else a `gates.yaml` (or `gates.json`) beside a positional .txt
// params file, else these defaults; CLI flags override single values. A gate whose threshold is null
// (or that has nothing to measure) reports `not-set`, never a pass.
import { existsSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Precision } from '../../contracts/index.js';
import { CodedError } from '../../util/errors.js';
import { checkNesting, FILE_LIMITS, readTextBounded, YAML_LIMITS } from '../../util/file-limits.js';
import { formatErrors, compileSchema } from '../../util/schema.js';

export interface GatesConfig {
  size: { maxBytes: number; artifact: string };
  accuracy: {
    /** Minimum top-1 of the shipped model (the exported fp32 ONNX when the chain evaluates it). */
    minTop1: number | null;
    /** fp16/int8 exports: top-1 ≥ this × fp32 top-1 (MLPerf's 99 %). */
    quantizedMinRatio: number;
    /** fp16/int8 exports: share of samples whose top-1 equals the fp32 export's (null: not set). */
    quantizedMinAgreement: number | null;
  };
  /** Last validation top-1 the trainer recorded (needs `--validate`). */
  training: { minValTop1: number | null };
  latency: {
    /** Model p50 ≤ this × the reference model's p50, both measured in the same run. */
    maxRatioP50: number | null;
    /** Optional absolute budget on the p50 of the latency benchmark (else: of the worst cell's mean). */
    maxInferenceMs: number | null;
    /** Two-sided confidence of the percentile intervals. */
    confidence: number;
    /** Wanted precision of the p90 estimate (probability units); with `confidence` → the query count. */
    margin: number;
  };
  golden: {
    gtFile: string | null;
    atol: number;
    rtol: number;
    /** `cells`: the driver's inference cells are compared (PaddleVideo); `reference`: the reference model's outputs. */
    model: 'cells' | 'reference';
    /**
     * Logits of the exported fp32 model (model: cells) or of the reference (model: reference) on a stored
     * preprocessed input, against stored logits (run by chain.logits); null = off.
     */
    logits: { input: string; expected: string; atol: number; rtol: number } | null;
  };
  determinism: { enabled: boolean; atol: number };
  consistency: { enabled: boolean; atol: number };
  /** `--baseline previous/report.json`: how much worse than the baseline a run may be. */
  regression: {
    /** Relative growth of any artifact's total bytes. */
    maxSizeGrowth: number;
    /** Absolute top-1 drop of any evaluated model. */
    maxTop1Drop: number;
    /** Relative p50 slowdown, judged on the confidence intervals (lower bound now vs upper bound then). */
    maxLatencySlowdown: number;
  };
}

/** Steps of ours the runner adds after the driver's (origin `runner`, not in results_python.log). */
export interface ChainConfig {
  /** `required`: every step must leave valid chain records (TIPC_RECORDS); no text fallback. */
  records: 'required' | 'optional';
  /** Also export these precisions (the driver's export + `<precisionFlag>=P`, into `<save_dir>/P/`). */
  precisions: Precision[];
  precisionFlag: string;
  /** Eval flag taking an exported model (the driver's eval with `-w` replaced by `<flag>=<dir>/<model_file>`); null = off. */
  artifactEvalFlag: string | null;
  /** Reference model for the relative latency budget and the golden check (exported once per run). */
  reference: ReferenceModel | null;
  /** Latency benchmark: predict's list-file flag (`--time_test_file`); null = no benchmark steps. */
  benchmark: { listFlag: string } | null;
  /** Command printing the model summary JSON (parameters, MACs) for `tipc compare`. */
  summary: string | null;
  /** Command writing raw logits (given `--onnx M --input X.npy --out Y.npy`) for gates.golden.logits. */
  logits?: string | null;
  /** Per-kind step timeouts in seconds (a step over it is stopped and reported `timeout`); CLI flags win. */
  timeouts?: Partial<Record<'train' | 'eval' | 'export' | 'infer', number>>;
}

/** The reference model: how to export it, and the inference flags that differ from the trained model's. */
export interface ReferenceModel {
  name: string;
  export: string;
  /** Flag → value replaced in the inference template for the reference (e.g. `--config` → its recipe). */
  inferFlags?: Record<string, string>;
}

/** 10 MiB: the published "< 10 MB" inference-model budget is in MiB. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function defaultGates(): GatesConfig {
  return {
    // `inference.*`: every file of the exported inference model (graph + weights + side files).
    size: { maxBytes: DEFAULT_MAX_BYTES, artifact: 'inference.*' },
    accuracy: { minTop1: null, quantizedMinRatio: 0.99, quantizedMinAgreement: 0.99 },
    training: { minValTop1: null },
    latency: { maxRatioP50: null, maxInferenceMs: null, confidence: 0.95, margin: 0.05 },
    golden: { gtFile: null, atol: 1e-3, rtol: 1e-3, model: 'cells', logits: null },
    determinism: { enabled: true, atol: 1e-6 },
    consistency: { enabled: true, atol: 1e-5 },
    regression: { maxSizeGrowth: 0.01, maxTop1Drop: 0.01, maxLatencySlowdown: 0.1 },
  };
}

export function defaultChain(): ChainConfig {
  return {
    records: 'optional',
    precisions: [],
    precisionFlag: '--precision',
    artifactEvalFlag: null,
    reference: null,
    benchmark: null,
    summary: null,
    logits: null,
  };
}

const obj = (properties: Record<string, object>) => ({ type: 'object', additionalProperties: false, properties });
const prob = { type: 'number', minimum: 0, maximum: 1 };
const nullableProb = { type: ['number', 'null'], minimum: 0, maximum: 1 };
const nonNeg = { type: 'number', minimum: 0 };

export const gatesSchema = {
  $id: 'tipc-gates-3',
  ...obj({
    size: obj({ maxBytes: { type: 'integer', minimum: 0 }, artifact: { type: 'string', minLength: 1 } }),
    accuracy: obj({ minTop1: nullableProb, quantizedMinRatio: prob, quantizedMinAgreement: nullableProb }),
    training: obj({ minValTop1: nullableProb }),
    latency: obj({
      maxRatioP50: { type: ['number', 'null'], exclusiveMinimum: 0 },
      maxInferenceMs: { type: ['number', 'null'], minimum: 0 },
      confidence: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      margin: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.5 },
    }),
    golden: obj({
      gtFile: { type: ['string', 'null'] },
      atol: nonNeg,
      rtol: nonNeg,
      model: { enum: ['cells', 'reference'] },
      logits: {
        anyOf: [
          { type: 'null' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['input', 'expected', 'atol', 'rtol'],
            properties: {
              input: { type: 'string', minLength: 1 },
              expected: { type: 'string', minLength: 1 },
              atol: nonNeg,
              rtol: nonNeg,
            },
          },
        ],
      },
    }),
    determinism: obj({ enabled: { type: 'boolean' }, atol: nonNeg }),
    consistency: obj({ enabled: { type: 'boolean' }, atol: nonNeg }),
    regression: obj({ maxSizeGrowth: nonNeg, maxTop1Drop: prob, maxLatencySlowdown: nonNeg }),
  }),
} as const;

export const chainSchema = {
  $id: 'tipc-chain-1',
  ...obj({
    records: { enum: ['required', 'optional'] },
    precisions: { type: 'array', uniqueItems: true, items: { enum: ['fp16', 'int8'] } },
    precisionFlag: { type: 'string', minLength: 1 },
    artifactEvalFlag: { type: ['string', 'null'], minLength: 1 },
    reference: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'export'],
          properties: {
            name: { type: 'string', minLength: 1 },
            export: { type: 'string', minLength: 1 },
            inferFlags: {
              type: 'object',
              propertyNames: { pattern: '^-' },
              additionalProperties: { type: 'string', minLength: 1 },
            },
          },
        },
      ],
    },
    benchmark: {
      anyOf: [{ type: 'null' }, obj({ listFlag: { type: 'string', minLength: 1 } })],
    },
    summary: { type: ['string', 'null'], minLength: 1 },
    logits: { type: ['string', 'null'], minLength: 1 },
    timeouts: obj({
      train: { type: 'integer', minimum: 1 },
      eval: { type: 'integer', minimum: 1 },
      export: { type: 'integer', minimum: 1 },
      infer: { type: 'integer', minimum: 1 },
    }),
  }),
} as const;

type Partial2<T> = { [K in keyof T]?: Partial<T[K]> };
export type GateOverrides = Partial2<GatesConfig>;

export function mergeGates(base: GatesConfig, over: GateOverrides | undefined): GatesConfig {
  const out = structuredClone(base);
  if (!over) return out;
  for (const k of Object.keys(over) as (keyof GatesConfig)[]) Object.assign(out[k], over[k]);
  return out;
}

function check<T>(schema: object, obj: unknown, where: string, what: string): T {
  const v = compileSchema(schema);
  if (!v(obj))
    throw new CodedError('E_GATES_INVALID', `${where}: invalid ${what}: ${formatErrors(v.errors).join('; ')}`);
  return obj as T;
}

export function validateGates(obj: unknown, where: string): GateOverrides {
  return check<GateOverrides>(gatesSchema, obj, where, 'gates');
}

export function validateChain(obj: unknown, where: string): Partial<ChainConfig> {
  const c = check<Partial<ChainConfig>>(chainSchema, obj, where, 'chain section');
  if (c.reference && c.benchmark === null)
    throw new CodedError(
      'E_GATES_INVALID',
      `${where}: chain.reference needs chain.benchmark (its latency is measured there)`,
    );
  return c;
}

export interface LoadedGates {
  gates: GatesConfig;
  chain: ChainConfig;
  source: string;
}

/** Gates and chain steps for a params file: `inline` holds the typed form's sections, if any. */
export function loadGates(paramsPath: string, inline?: { gates?: unknown; chain?: unknown }): LoadedGates {
  const build = (g: unknown, c: unknown, where: string): Omit<LoadedGates, 'source'> => ({
    gates: mergeGates(defaultGates(), validateGates(g ?? {}, where)),
    chain: { ...defaultChain(), ...validateChain(c ?? {}, where) },
  });
  if (inline && (inline.gates !== undefined || inline.chain !== undefined))
    return { ...build(inline.gates, inline.chain, `${paramsPath} (gates/chain)`), source: `${paramsPath}#gates` };
  for (const name of ['gates.yaml', 'gates.yml', 'gates.json']) {
    const f = path.join(path.dirname(paramsPath), name);
    if (!existsSync(f)) continue;
    // Bounded: a gates file is a few hundred bytes; size, nesting and aliases are capped before parsing.
    const text = readTextBounded(f, { what: 'gates file', maxBytes: FILE_LIMITS.recipe, code: 'E_GATES_INVALID' });
    checkNesting(text, 'E_GATES_INVALID', f, 'gates file');
    let parsed: unknown;
    try {
      parsed = YAML.parse(text, YAML_LIMITS);
    } catch (e) {
      throw new CodedError('E_GATES_INVALID', `${f}: ${(e as Error).message}`);
    }
    const o = (parsed ?? {}) as Record<string, unknown>;
    if (typeof o !== 'object' || Array.isArray(o)) throw new CodedError('E_GATES_INVALID', `${f}: not a mapping`);
    const extra = Object.keys(o).filter((k) => k !== 'gates' && k !== 'chain');
    if (extra.length)
      throw new CodedError(
        'E_GATES_INVALID',
        `${f}: unknown top-level key(s) ${extra.join(', ')} (expected gates, chain)`,
      );
    return { ...build(o.gates, o.chain, f), source: f };
  }
  return { gates: defaultGates(), chain: defaultChain(), source: 'defaults' };
}
