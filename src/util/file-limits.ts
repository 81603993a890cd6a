// Bounded reading: every file the package reads is stat-checked (exists, a regular file, not over
// the limit for its kind) before a byte is read, and every size declared inside a file is checked
// against the bytes the file really has before anything is allocated. Errors name the file and the
// field, with a registered code.
import fs from 'node:fs';
import { CodedError, type ErrorCode } from './errors.js';

const MiB = 1 << 20;

/**
 * Largest file accepted per kind. Real files are far smaller (an NTU .skeleton ≤ 3 MB, a
 * .pdparams/.safetensors/.onnx ≤ 10 MB, a label pickle ≈ 1 MB); the limits keep a crafted file
 * from growing the process past ~1.5 GB (whole-file readers hold the bytes plus one decoded copy).
 */
export const FILE_LIMITS = {
  skeleton: 64 * MiB,
  pickle: 256 * MiB,
  safetensors: 256 * MiB,
  onnx: 256 * MiB,
  /** A .npy loaded whole (one predict input, a labels array); big data arrays are read per sample. */
  npyWhole: 256 * MiB,
  /** One predict input sample (an NTU sample is 180,000 B; this allows T ≈ 100,000 frames). */
  npySample: 64 * MiB,
  /** Header dict of a .npy (v1 caps it at 64 KiB; v2/v3 files could declare 4 GiB). */
  npyHeader: 1 * MiB,
  recipe: 1 * MiB,
  params: 1 * MiB,
  /** Lists of names or paths (predict --time_test_file, --missing, skes_available_name.txt). */
  list: 64 * MiB,
  report: 64 * MiB,
  sidecar: 1 * MiB,
} as const;

/** Text limits that are not byte counts. */
export const TEXT_LIMITS = {
  /** Lines of a params file (the real ones have ~60). */
  paramsLines: 10_000,
  /** Characters of one params-file line. */
  paramsLineLength: 64 * 1024,
  /** YAML aliases expanded while building a value (the yaml package's own default is 100). */
  yamlAliases: 100,
  /** Nesting of YAML/JSON flow collections and block levels. */
  nesting: 256,
} as const;

export interface ReadLimits {
  /** What the file is, for messages ("recipe", "params file"). */
  what: string;
  maxBytes: number;
  /** Code for a file that does not exist (default: `code`). */
  missingCode?: ErrorCode;
  /** Code for a file that cannot be read (not a regular file, permissions, symlink loop). */
  code: ErrorCode;
}

const mib = (n: number) => `${(n / MiB).toFixed(n < MiB ? 3 : 1)} MiB`;

function describeErrno(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'is not readable (permission denied)';
    case 'ELOOP':
      return 'is a symbolic-link loop';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'has a path component that is not a directory';
    case 'ENAMETOOLONG':
      return 'has a name that is too long';
    default:
      return `cannot be read (${e.code ?? e.message})`;
  }
}

/** Stats `file` (following links) and checks it is a regular file within the limit. */
export function statBounded(file: string, lim: ReadLimits): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const code = err.code === 'ENOENT' ? (lim.missingCode ?? lim.code) : lim.code;
    throw new CodedError(code, `${lim.what} ${file} ${describeErrno(err)}`);
  }
  if (st.isDirectory()) throw new CodedError(lim.code, `${lim.what} ${file} is a directory; give the path of a file`);
  if (!st.isFile()) throw new CodedError(lim.code, `${lim.what} ${file} is not a regular file`);
  if (st.size > lim.maxBytes)
    throw new CodedError(
      'E_FILE_TOO_LARGE',
      `${lim.what} ${file} has ${st.size} bytes (${mib(st.size)}), more than the ${mib(lim.maxBytes)} accepted for this kind of file`,
    );
  return st;
}

/** Reads a whole file after `statBounded`; read errors (EACCES, EIO) get `lim.code`. */
export function readFileBounded(file: string, lim: ReadLimits): Buffer {
  statBounded(file, lim);
  try {
    const buf = fs.readFileSync(file);
    // The file may have grown between stat and read.
    if (buf.length > lim.maxBytes)
      throw new CodedError('E_FILE_TOO_LARGE', `${lim.what} ${file} grew past ${mib(lim.maxBytes)} while being read`);
    return buf;
  } catch (e) {
    if (e instanceof CodedError) throw e;
    throw new CodedError(lim.code, `${lim.what} ${file} ${describeErrno(e as NodeJS.ErrnoException)}`);
  }
}

/**
 * Decodes text strictly as UTF-8: a UTF-8 byte-order mark is dropped; UTF-16/32 (by BOM or NUL
 * bytes) and invalid byte sequences are E_TEXT_ENCODING errors naming the file and byte offset.
 */
export function decodeUtf8(buf: Buffer, file: string, what: string): string {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
    throw new CodedError('E_TEXT_ENCODING', `${what} ${file} is UTF-16 encoded (byte-order mark); save it as UTF-8`);
  const nul = buf.indexOf(0);
  if (nul >= 0)
    throw new CodedError(
      'E_TEXT_ENCODING',
      `${what} ${file} has a NUL byte at offset ${nul}: not a UTF-8 text file (UTF-16/32 or binary)`,
    );
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    const at = firstInvalidUtf8(buf);
    throw new CodedError(
      'E_TEXT_ENCODING',
      `${what} ${file} is not valid UTF-8 (bad byte 0x${buf[at].toString(16).padStart(2, '0')} at offset ${at})`,
    );
  }
}

function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return Math.max(0, b.length - 1);
}

/** `readFileBounded` + strict UTF-8 decoding. */
export function readTextBounded(file: string, lim: ReadLimits): string {
  return decodeUtf8(readFileBounded(file, lim), file, lim.what);
}

/**
 * Checks a size declared inside a file (`field`) against what the file holds, before allocating:
 * throws `code` with the file, the field, the declared and the available byte counts.
 */
export function checkDeclaredSize(
  code: ErrorCode,
  file: string,
  field: string,
  declared: number | bigint,
  available: number,
): void {
  if (typeof declared === 'bigint' ? declared > BigInt(available) : !(declared <= available))
    throw new CodedError(
      code,
      `${file}: ${field} declares ${String(declared)} bytes, but only ${available} bytes follow in the file`,
    );
}

/** Product of dimensions, refusing non-integers and results beyond 2^53 (a crafted shape). */
export function shapeElements(shape: readonly number[], code: ErrorCode, file: string, field: string): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0)
      throw new CodedError(code, `${file}: ${field} has a bad dimension ${String(d)}`);
    n *= d;
    if (!Number.isSafeInteger(n))
      throw new CodedError(code, `${file}: ${field} (${shape.join(', ')}) has more elements than any file can hold`);
  }
  return n;
}

/**
 * Maximum nesting of `[`/`{` (flow collections) outside quoted strings: a cheap pre-scan so a
 * crafted deeply nested YAML/JSON file fails with a named error instead of a stack overflow.
 */
export function flowNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"') quote = c;
    else if (c === "'" && (i === 0 || /[\s[{,:]/.test(text[i - 1]))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return max;
}

/** Deepest YAML block nesting: indentation columns / 2, plus `- ` entries opened on one line. */
export function blockNestingDepth(text: string): number {
  let max = 0;
  for (const m of text.matchAll(/^([ \t]*)((?:-[ \t]+)*)/gm)) {
    const dashes = m[2] ? m[2].split('-').length - 1 : 0;
    max = Math.max(max, Math.ceil(m[1].length / 2) + dashes);
  }
  return max;
}

/** Throws `code` when the flow or block nesting of `text` exceeds TEXT_LIMITS.nesting. */
export function checkNesting(text: string, code: ErrorCode, file: string, what: string): void {
  const d = Math.max(flowNestingDepth(text), blockNestingDepth(text));
  if (d > TEXT_LIMITS.nesting)
    throw new CodedError(code, `${what} ${file} nests ${d} levels deep (at most ${TEXT_LIMITS.nesting} are accepted)`);
}

/** YAML parse options that bound alias expansion (billion laughs) and keys. */
export const YAML_LIMITS = { maxAliasCount: TEXT_LIMITS.yamlAliases, uniqueKeys: true } as const;

/** Throws `code` when `text` has more lines, or a longer line, than the limits allow. */
export function checkLines(
  text: string,
  code: ErrorCode,
  file: string,
  what: string,
  maxLines: number = TEXT_LIMITS.paramsLines,
  maxLineLength: number = TEXT_LIMITS.paramsLineLength,
): void {
  let line = 1;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > maxLineLength)
      throw new CodedError(
        code,
        `${what} ${file}:${line}: line of ${end - start} characters (at most ${maxLineLength} accepted)`,
      );
    if (nl < 0) break;
    if (++line > maxLines) throw new CodedError(code, `${what} ${file} has more than ${maxLines} lines`);
    start = nl + 1;
  }
}
