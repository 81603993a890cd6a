// The package's one JSON-Schema validator: a single Ajv instance (draft 2020-12, formats, all errors,
// verbose errors that carry the offending value and schema node for range messages,
// strict about schema mistakes), a compile cache keyed by schema object (and `$id`), a loader for the
// schema files under reports/schema/, and one error formatter. Every schema check in the package
// (recipes, params files, gates, chain records, reports, compare tables) goes through here.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CodedError, type ErrorCode } from './errors.js';

export type { ErrorObject, ValidateFunction };

type FormatsFn = (ajv: Ajv2020) => unknown;

let instance: Ajv2020 | undefined;

/** The shared Ajv instance. */
export function ajv(): Ajv2020 {
  if (instance) return instance;
  const a = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  // ajv-formats is CommonJS: under NodeNext its function arrives as `.default` of the import.
  const mod = addFormats as unknown as FormatsFn & { default?: FormatsFn };
  (mod.default ?? mod)(a);
  instance = a;
  return a;
}

const cache = new WeakMap<object, ValidateFunction>();

/** Compiles once per schema object; a schema whose `$id` is already known reuses that validator. */
export function compileSchema<T = unknown>(schema: object): ValidateFunction<T> {
  const hit = cache.get(schema);
  if (hit) return hit as ValidateFunction<T>;
  const id = (schema as { $id?: unknown }).$id;
  const known = typeof id === 'string' ? ajv().getSchema(id) : undefined;
  const v = known ?? ajv().compile(schema);
  cache.set(schema, v);
  return v as ValidateFunction<T>;
}

const files = new Map<string, object>();

/** Reads a JSON schema file once (e.g. `new URL('../../reports/schema/x.json', import.meta.url)`). */
export function loadSchemaFile(url: URL): object {
  const key = url.href;
  let s = files.get(key);
  if (!s) {
    s = JSON.parse(readFileSync(url, 'utf8')) as object;
    files.set(key, s);
  }
  return s;
}

/** `/a/b message` lines, at most `max`. */
export function formatErrors(errors: ErrorObject[] | null | undefined, max = 8): string[] {
  return (errors ?? []).slice(0, max).map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})`
        : '';
    return `${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`;
  });
}

/** Validates or throws `CodedError(code, "<where>: <errors>")`. */
export function assertSchema<T>(schema: object, value: unknown, code: ErrorCode, where: string): T {
  const v = compileSchema<T>(schema);
  if (!v(value)) throw new CodedError(code, `${where}: ${formatErrors(v.errors).join('; ')}`);
  return value;
}

/** Validates without throwing. */
export function checkSchema(schema: object, value: unknown): { valid: boolean; errors: string[] } {
  const v = compileSchema(schema);
  const valid = v(value);
  return { valid, errors: valid ? [] : formatErrors(v.errors, 20) };
}
