// Writer and parser of chain records (JSON lines). Producers build records with `makeRecord` (checked
// against the schema before anything is written); consumers read a file with `parseRecords`, which
// reports every line that is not a valid record of this version by its line number, never skipping it
// silently. `makeCodec` builds both from a schema table, so a test can swap the table for a changed one.
import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS, readTextBounded } from '../util/file-limits.js';
import { compileSchema, formatErrors, type ValidateFunction } from '../util/schema.js';
import {
  RECORD_SCHEMAS,
  RECORD_VERSION,
  RECORDS_ENV,
  type ChainRecord,
  type RecordBody,
  type RecordKind,
  type RecordOf,
} from './records.js';

export interface ParsedRecords {
  records: ChainRecord[];
  /** `<where>:<line>: <what is wrong>` for every line that is not a valid record. */
  problems: string[];
}

export interface Codec {
  /** Adds the head (`v`, `kind`) and validates; throws E_RECORD_INVALID naming the field. */
  make<K extends RecordKind>(kind: K, body: RecordBody<K>): RecordOf<K>;
  /** Validates one parsed JSON value; returns the error messages (empty = valid). */
  check(value: unknown): string[];
  parse(text: string, where: string): ParsedRecords;
}

export function makeCodec(schemas: Record<RecordKind, object>, version: number = RECORD_VERSION): Codec {
  const validators = new Map<string, ValidateFunction>();
  const validatorOf = (kind: string): ValidateFunction | undefined => {
    if (!(kind in schemas)) return undefined;
    let v = validators.get(kind);
    if (!v) validators.set(kind, (v = compileSchema(schemas[kind as RecordKind])));
    return v;
  };
  const check = (value: unknown): string[] => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return ['not a JSON object'];
    const o = value as { v?: unknown; kind?: unknown };
    if (o.v !== version) return [`record format v${String(o.v)}, this reader understands v${version}`];
    const kind = o.kind;
    if (typeof kind !== 'string') return ['no "kind"'];
    const v = validatorOf(kind);
    if (!v) return [`unknown record kind "${kind}" (known: ${Object.keys(schemas).join(', ')})`];
    return v(value) ? [] : formatErrors(v.errors).map((e) => `${kind}: ${e}`);
  };
  return {
    make<K extends RecordKind>(kind: K, body: RecordBody<K>): RecordOf<K> {
      const r = { v: version, kind, ...body } as unknown as RecordOf<K>;
      // Validate what a reader will see (NaN and Infinity do not survive JSON).
      const errs = check(JSON.parse(JSON.stringify(r)));
      if (errs.length)
        throw new CodedError('E_RECORD_INVALID', `${kind} record does not match its schema: ${errs.join('; ')}`);
      return r;
    },
    check,
    parse(text: string, where: string): ParsedRecords {
      const records: ChainRecord[] = [];
      const problems: string[] = [];
      const lines = text.split('\n');
      lines.forEach((raw, i) => {
        const line = raw.replace(/\r$/, '');
        if (!line.trim()) return;
        const last = i === lines.length - 1; // no trailing newline: the writer was stopped mid-line
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (e) {
          problems.push(`${where}:${i + 1}: ${last ? 'truncated last line' : `not JSON (${(e as Error).message})`}`);
          return;
        }
        const errs = check(value);
        if (errs.length) problems.push(`${where}:${i + 1}: ${errs.join('; ')}`);
        else records.push(value as ChainRecord);
      });
      return { records, problems };
    },
  };
}

/** The codec of this package's record format. */
export const codec: Codec = makeCodec(RECORD_SCHEMAS);

export const makeRecord = <K extends RecordKind>(kind: K, body: RecordBody<K>): RecordOf<K> => codec.make(kind, body);

export function parseRecords(text: string, where: string): ParsedRecords {
  return codec.parse(text, where);
}

/** Reads a records file; null when it does not exist. */
export function readRecordsFile(file: string): ParsedRecords | null {
  let text: string;
  try {
    if (!fs.existsSync(file)) return null;
    // Records files are small (a line per epoch/step/result); a huge one is a problem, not something to load.
    text = readTextBounded(file, { what: 'chain records', maxBytes: FILE_LIMITS.report, code: 'E_FILE_UNREADABLE' });
  } catch (e) {
    return { records: [], problems: [`${file}: ${(e as Error).message}`] };
  }
  return parseRecords(text, file);
}

export function recordsOf<K extends RecordKind>(records: readonly ChainRecord[], kind: K): RecordOf<K>[] {
  return records.filter((r): r is RecordOf<K> => r.kind === kind);
}

/**
 * Appends records, one JSON line each, to every target: the files given and the file named by
 * TIPC_RECORDS (when a driver set it). Each line is written with one write call.
 */
export class RecordWriter {
  private readonly fds: number[] = [];

  /** `truncate`: start `files` empty (a new run); the TIPC_RECORDS file is always appended to. */
  constructor(files: readonly string[] = [], env: NodeJS.ProcessEnv = process.env, o: { truncate?: boolean } = {}) {
    const own = new Set(files.map((t) => path.resolve(t)));
    const fromEnv = env[RECORDS_ENV] ? path.resolve(env[RECORDS_ENV]) : undefined;
    for (const f of [...own, ...(fromEnv && !own.has(fromEnv) ? [fromEnv] : [])]) {
      fs.mkdirSync(path.dirname(f), { recursive: true });
      this.fds.push(fs.openSync(f, o.truncate && own.has(f) ? 'w' : 'a'));
    }
  }

  get active(): boolean {
    return this.fds.length > 0;
  }

  write<K extends RecordKind>(kind: K, body: RecordBody<K>): RecordOf<K> {
    const r = makeRecord(kind, body);
    this.writeLine(r);
    return r;
  }

  /** Writes a complete record (validated again: it may come from elsewhere). */
  append(r: ChainRecord): void {
    const errs = codec.check(JSON.parse(JSON.stringify(r)));
    if (errs.length)
      throw new CodedError('E_RECORD_INVALID', `${r.kind} record does not match its schema: ${errs.join('; ')}`);
    this.writeLine(r);
  }

  private writeLine(r: ChainRecord): void {
    const line = JSON.stringify(r) + '\n';
    for (const fd of this.fds) fs.writeSync(fd, line);
  }

  close(): void {
    for (const fd of this.fds.splice(0)) fs.closeSync(fd);
  }
}

/** Writes one record to TIPC_RECORDS (if set) and to `files`, then closes. */
export function emitRecord<K extends RecordKind>(
  kind: K,
  body: RecordBody<K>,
  files: readonly string[] = [],
): RecordOf<K> {
  const w = new RecordWriter(files);
  try {
    return w.write(kind, body);
  } finally {
    w.close();
  }
}
