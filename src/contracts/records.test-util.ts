// For the tests of every producer and reader of chain records: read a records file through the one
// codec, require the kinds the consumer promises, and prove that the same output would be rejected if
// the format changed in its one definition (RECORD_SCHEMAS: a field renamed, or the version bumped).
import fs from 'node:fs';
import { codec, makeCodec } from './codec.js';
import { RECORD_SCHEMAS, RECORD_VERSION, type ChainRecord, type RecordKind } from './records.js';

/** RECORD_SCHEMAS with one required field of `kind` renamed (`<field>_renamed`): a format change in one place. */
export function brokenSchemas(kind: RecordKind, field?: string): Record<RecordKind, object> {
  const table = structuredClone(RECORD_SCHEMAS) as Record<
    RecordKind,
    { $id: string; required: string[]; properties: Record<string, object> }
  >;
  const s = table[kind];
  const f = field ?? s.required.find((k) => k !== 'v' && k !== 'kind')!;
  s.properties[`${f}_renamed`] = s.properties[f];
  delete s.properties[f];
  s.required = s.required.map((k) => (k === f ? `${f}_renamed` : k));
  s.$id = `${s.$id}-broken-${f}`;
  return table;
}

export interface RecordsCheck {
  records: ChainRecord[];
  /** Lines the codec rejected (must be empty). */
  problems: string[];
  /** Kinds asked for but absent (must be empty). */
  missing: RecordKind[];
  /** Kinds whose records a format changed in RECORD_SCHEMAS would still accept (must be empty). */
  unnoticed: string[];
}

/**
 * Parses `file` with the codec, lists the kinds of `kinds` that are absent, and checks that a format
 * changed in its one definition (a renamed field of each kind present, then a version bump) rejects
 * every record of that output. Use: `expect(checkRecords(f, [...])).toMatchObject(RECORDS_OK)`.
 */
export function checkRecords(file: string, kinds: RecordKind[]): RecordsCheck {
  const text = fs.readFileSync(file, 'utf8');
  const { records, problems } = codec.parse(text, file);
  const seen = new Set(records.map((r) => r.kind));
  const unnoticed: string[] = [];
  for (const k of seen) {
    const broken = makeCodec(brokenSchemas(k)).parse(text, file);
    if (broken.problems.length !== records.filter((r) => r.kind === k).length) unnoticed.push(`renamed field of ${k}`);
  }
  if (makeCodec(RECORD_SCHEMAS, RECORD_VERSION + 1).parse(text, file).records.length) unnoticed.push('version bump');
  return { records, problems, missing: kinds.filter((k) => !seen.has(k)), unnoticed };
}

export const RECORDS_OK = { problems: [], missing: [], unnoticed: [] };
