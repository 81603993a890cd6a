// The typed YAML/JSON twin of a positional params file: every positional line gets a name, list values
// become arrays, `null` becomes null; trailing sections (benchmark params) are kept as raw lines; an
// optional `gates` section holds gate thresholds. Converting .txt → typed → .txt gives the same lines
// (blank lines, which the driver ignores, are not kept).
import { checkNesting, YAML_LIMITS } from '../../util/file-limits.js';
import path from 'node:path';
import YAML from 'yaml';
import { CodedError } from '../../util/errors.js';
import { formatErrors, compileSchema } from '../../util/schema.js';
import { chainSchema, gatesSchema } from './gates-config.js';
import { parseParamsText, readParamsText, type ParamsFile } from './params-file.js';
import { POSITIONAL_LINES, RAW_SLOTS, SLOTS } from './params-slots.js';

export { SLOTS };

export type Scalar = string | null;
export type Value = Scalar | Scalar[];
export interface Entry {
  key: Scalar;
  value: Value;
}

export interface TypedParams {
  format: 'tipc-params/1';
  lines: Record<string, string | Entry>;
  /** Lines after the 51st (benchmark sections), verbatim. */
  extra?: string[];
  gates?: unknown;
  /** The runner's own extra steps (see gates-config.ts). */
  chain?: unknown;
}

// Embedded without their `$id` (each is also compiled on its own).
const { $id: _g, ...gatesBody } = gatesSchema;
const { $id: _c, ...chainBody } = chainSchema;

const entrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'value'],
  properties: {
    key: { type: ['string', 'null'] },
    value: {
      anyOf: [{ type: ['string', 'null'] }, { type: 'array', minItems: 2, items: { type: ['string', 'null'] } }],
    },
  },
};

export const typedParamsSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'tipc-params-1',
  title: 'TIPC params file (typed form of train_infer_python.txt)',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'lines'],
  properties: {
    format: { const: 'tipc-params/1' },
    lines: {
      type: 'object',
      additionalProperties: false,
      required: [...SLOTS],
      // A plain string is a verbatim line (headers, `##`, or a line without `:`).
      properties: Object.fromEntries(
        SLOTS.map((s) => [s, RAW_SLOTS.has(s) ? { type: 'string' } : { anyOf: [{ type: 'string' }, entrySchema] }]),
      ),
    },
    extra: { type: 'array', items: { type: 'string' } },
    gates: gatesBody,
    chain: chainBody,
  },
};

function toScalar(s: string): Scalar {
  return s === 'null' ? null : s;
}
function fromScalar(s: Scalar): string {
  return s === null ? 'null' : s;
}

export function toTyped(p: ParamsFile): TypedParams {
  const lines: Record<string, string | Entry> = {};
  SLOTS.forEach((name, i) => {
    const l = p.lines[i];
    const text = l?.text ?? '';
    const c = text.indexOf(':');
    if (RAW_SLOTS.has(name) || c < 0) {
      lines[name] = text;
      return;
    }
    const key = text.slice(0, c);
    const value = text.slice(c + 1);
    const parts = value.split('|');
    lines[name] = { key: toScalar(key), value: parts.length > 1 ? parts.map(toScalar) : toScalar(value) };
  });
  const extra = p.lines.slice(POSITIONAL_LINES).map((l) => l.text);
  return { format: 'tipc-params/1', lines, ...(extra.length ? { extra } : {}) };
}

export function typedToText(t: TypedParams): string {
  const out: string[] = [];
  for (const name of SLOTS) {
    const e = t.lines[name];
    if (typeof e === 'string') out.push(e);
    else {
      const v = Array.isArray(e.value) ? e.value.map(fromScalar).join('|') : fromScalar(e.value);
      out.push(`${fromScalar(e.key)}:${v}`);
    }
  }
  out.push(...(t.extra ?? []));
  return out.join('\n') + '\n';
}

export function validateTyped(obj: unknown, where: string): TypedParams {
  const v = compileSchema(typedParamsSchema);
  if (!v(obj)) {
    const msg = formatErrors(v.errors).join('; ');
    throw new CodedError('E_PARAMS_INVALID', `${where}: not a valid typed params file: ${msg}`);
  }
  return obj as TypedParams;
}

export function isTypedPath(p: string): boolean {
  return /\.(ya?ml|json)$/i.test(p);
}

export interface LoadedParams {
  params: ParamsFile;
  /** The typed form's gates and chain sections, when the file had them. */
  gates?: unknown;
  chain?: unknown;
}

/** Reads a params file in either form. */
export function loadParams(file: string, opts: { legacy?: boolean } = {}): LoadedParams {
  const text = readParamsText(file);
  if (!isTypedPath(file)) return { params: parseParamsText(text, file, opts) };
  checkNesting(text, 'E_PARAMS_INVALID', file, 'params file');
  let obj: unknown;
  try {
    obj = path.extname(file).toLowerCase() === '.json' ? JSON.parse(text) : YAML.parse(text, YAML_LIMITS);
  } catch (e) {
    throw new CodedError('E_PARAMS_INVALID', `${file}: ${(e as Error).message}`);
  }
  const t = validateTyped(obj, file);
  return { params: parseParamsText(typedToText(t), file, opts), gates: t.gates, chain: t.chain };
}

export function typedToYaml(t: TypedParams): string {
  return YAML.stringify(t, { lineWidth: 0 });
}
