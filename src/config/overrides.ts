// `-o a.b.c=value` overrides (training.md §11): split on the first `=`, keys on `.`, integer keys
// index lists, the value is parsed as a literal (number, bool, None, list/dict) else kept as a
// string. A key neither the recipe nor its schema knows fails with the closest known key as a
// suggestion; with `allowUnknown` it warns and is ignored instead (upstream adds it silently, but
// the strict schema would reject it later anyway).
import YAML from 'yaml';
import { CodedError } from '../util/errors.js';
import { closest } from '../util/suggest.js';
import { CONFIG_SCHEMA } from './recipe.schema.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, unknown>;

/** Python-literal-like parsing of an override value. */
export function parseLiteral(text: string): Json {
  const s = text.trim();
  if (/^[+-]?\d+$/.test(s)) return Number.parseInt(s, 10);
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  if (s === 'True' || s === 'true') return true;
  if (s === 'False' || s === 'false') return false;
  if (s === 'None' || s === 'null') return null;
  if (
    (s.startsWith('"') && s.endsWith('"') && s.length >= 2) ||
    (s.startsWith("'") && s.endsWith("'") && s.length >= 2)
  )
    return s.slice(1, -1);
  if ((s.startsWith('[') && s.endsWith(']')) || (s.startsWith('{') && s.endsWith('}'))) {
    try {
      // YAML flow syntax is a superset of JSON and accepts Python-style lists; fix Python bools.
      return YAML.parse(
        s
          .replace(/\bTrue\b/g, 'true')
          .replace(/\bFalse\b/g, 'false')
          .replace(/\bNone\b/g, 'null'),
      ) as Json;
    } catch {
      return text;
    }
  }
  return text;
}

/** The sub-schema for `key` under `schema`, or undefined when the schema does not declare it. */
export function schemaChild(schema: Schema | undefined, key: string): Schema | undefined {
  if (!schema) return undefined;
  const props = schema.properties as Record<string, Schema | boolean> | undefined;
  const p = props?.[key];
  if (p && typeof p === 'object') return p;
  for (const part of (schema.allOf as Schema[] | undefined) ?? []) {
    const then = part.then as Schema | undefined;
    const q = (then?.properties as Record<string, Schema | boolean> | undefined)?.[key];
    if (q && typeof q === 'object') return q;
    if (q === true) return {};
  }
  if (/^\d+$/.test(key) && schema.items && typeof schema.items === 'object') return schema.items as Schema;
  return undefined;
}

/** The keys `schema` declares at its level (properties, and those of `allOf … then` branches). */
export function schemaKeys(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const keys = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  for (const part of (schema.allOf as Schema[] | undefined) ?? [])
    keys.push(...Object.keys(((part.then as Schema | undefined)?.properties as object | undefined) ?? {}));
  return [...new Set(keys)];
}

export interface OverrideResult {
  warnings: string[];
}

export interface OverrideOptions {
  /** Unknown keys warn and are ignored instead of failing (`--allow-unknown`). */
  allowUnknown?: boolean;
}

/** Applies `overrides` (each `a.b.c=value`) to `cfg` in place. */
export function applyOverrides(
  cfg: Record<string, unknown>,
  overrides: readonly string[],
  schema: Schema = CONFIG_SCHEMA,
  opts: OverrideOptions = {},
): OverrideResult {
  const warnings: string[] = [];
  const unknown = (ov: string, here: string, parent: string, known: Iterable<string>): void => {
    const k = closest(here.split('.').at(-1)!, known);
    const near = k === undefined ? '' : `; did you mean "${parent ? `${parent}.` : ''}${k}"?`;
    if (!opts.allowUnknown)
      throw new CodedError(
        'E_OVERRIDE',
        `override "${ov}": unknown key "${here}"${near} (--allow-unknown ignores unknown keys with a warning)`,
        2,
      );
    warnings.push(`override "${ov}": unknown key "${here}" ignored${near}`);
  };
  for (const ov of overrides) {
    const eq = ov.indexOf('=');
    if (eq <= 0) throw new CodedError('E_OVERRIDE', `override "${ov}" is not of the form key=value`, 2);
    const keyPath = ov.slice(0, eq).trim();
    const value = parseLiteral(ov.slice(eq + 1));
    const keys = keyPath.split('.');
    if (keys.some((k) => k.length === 0))
      throw new CodedError('E_OVERRIDE', `override "${ov}": empty key in "${keyPath}"`, 2);
    let node: unknown = cfg;
    let sch: Schema | undefined = schema;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const last = i === keys.length - 1;
      const here = keys.slice(0, i + 1).join('.');
      const childSchema = schemaChild(sch, k);
      if (Array.isArray(node)) {
        if (!/^\d+$/.test(k))
          throw new CodedError(
            'E_OVERRIDE',
            `override "${ov}": "${keys.slice(0, i).join('.')}" is a list; "${k}" is not an index`,
            2,
          );
        const idx = Number(k);
        if (idx >= node.length)
          throw new CodedError(
            'E_OVERRIDE',
            `override "${ov}": index ${idx} is out of range (list "${keys.slice(0, i).join('.')}" has ${node.length} items)`,
            2,
          );
        if (last) node[idx] = value;
        else node = node[idx];
        sch = childSchema;
        continue;
      }
      if (node === null || typeof node !== 'object') {
        throw new CodedError('E_OVERRIDE', `override "${ov}": "${keys.slice(0, i).join('.')}" is not a mapping`, 2);
      }
      const obj = node as Record<string, unknown>;
      if (!(k in obj) && !childSchema) {
        unknown(ov, here, keys.slice(0, i).join('.'), new Set([...Object.keys(obj), ...schemaKeys(sch)]));
        break;
      }
      if (last) {
        obj[k] = value;
        break;
      }
      if (!(k in obj)) {
        // A section the schema knows but the recipe omits (e.g. Global): create it.
        obj[k] = /^\d+$/.test(keys[i + 1]) ? [] : {};
      }
      node = obj[k];
      sch = childSchema;
    }
  }
  return { warnings };
}
