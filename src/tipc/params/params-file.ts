// The positional `train_infer_python.txt` format (PaddleVideo TIPC). The driver splits the file on
// newlines, drops empty lines *before* indexing, and reads fixed 0-based indices; key = text before the
// first `:`, value = text between the first and the second `:`. We reproduce that exactly and add a
// strict lint that names the 1-based file line of every problem.
import { checkLines, FILE_LIMITS, readTextBounded } from '../../util/file-limits.js';
import { CodedError } from '../../util/errors.js';
import {
  FIXED_KEYS,
  HEADERS,
  POSITIONAL_LINES,
  SEPARATORS,
  SLOT_INDEX,
  USUAL_KEYS,
  type SlotName,
} from './params-slots.js';

export interface ParamsLine {
  /** 1-based line in the file. */
  fileLine: number;
  /** The line text (a trailing CR removed). */
  text: string;
  key: string;
  value: string;
}

export interface Diagnostic {
  /** 1-based file line (0 when the problem is the file as a whole). */
  line: number;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

export interface ParamsFile {
  path: string;
  /** Non-empty lines, indexed exactly as the driver indexes them. */
  lines: ParamsLine[];
  /** Number of lines in the file. */
  fileLineCount: number;
  /** Every file line as read (CR kept), for searches by file line number. */
  rawLines: string[];
  diagnostics: Diagnostic[];
}

export { FIXED_KEYS, HEADERS, POSITIONAL_LINES, SEPARATORS, USUAL_KEYS };

/** `echo ${x}` in bash: an empty word prints nothing and a lone option word (-n, -e, -E…) is swallowed. */
function bashEcho(word: string): string {
  return /^-[neE]+$/.test(word) ? '' : word;
}

/** func_parser_key: text before the first `:`. */
export function parserKey(text: string): string {
  const i = text.indexOf(':');
  return bashEcho(i < 0 ? text : text.slice(0, i));
}

/** func_parser_value: text between the first and second `:` (empty without a `:`). */
export function parserValue(text: string): string {
  const i = text.indexOf(':');
  if (i < 0) return '';
  const j = text.indexOf(':', i + 1);
  return bashEcho(j < 0 ? text.slice(i + 1) : text.slice(i + 1, j));
}

export interface ParseOptions {
  /** The older driver reads only file lines 1..51 (awk 'NR==1, NR==51') before dropping blanks. */
  legacy?: boolean;
}

export function parseParamsText(text: string, path = '<params>', opts: ParseOptions = {}): ParamsFile {
  const diagnostics: Diagnostic[] = [];
  // $(cat file) strips trailing newlines; the split then yields the file's lines.
  const raw = text.replace(/\n+$/, '').split('\n');
  const fileLines = opts.legacy ? raw.slice(0, POSITIONAL_LINES) : raw;
  const lines: ParamsLine[] = [];
  fileLines.forEach((t0, i) => {
    const fileLine = i + 1;
    let t = t0;
    if (t.endsWith('\r')) {
      diagnostics.push({
        line: fileLine,
        severity: 'warning',
        code: 'crlf',
        message: 'CRLF line ending (the CR is stripped; upstream would keep it in the value)',
      });
      t = t.slice(0, -1);
    }
    if (t.length === 0) {
      if (i < raw.length)
        diagnostics.push({
          line: fileLine,
          severity: 'warning',
          code: 'blank-line',
          message: 'blank line: the driver drops it before indexing, so it does not count as a positional line',
        });
      return;
    }
    lines.push({ fileLine, text: t, key: parserKey(t), value: parserValue(t) });
  });
  diagnostics.push(...lintLines(lines, fileLines.length));
  diagnostics.sort((a, b) => a.line - b.line);
  return { path, lines, fileLineCount: fileLines.length, rawLines: raw, diagnostics };
}

function lintLines(lines: ParamsLine[], nFile: number): Diagnostic[] {
  const d: Diagnostic[] = [];
  const where = (idx: number) => (idx < lines.length ? lines[idx].fileLine : nFile + 1);
  // A fixed key found at a neighbouring index means lines were added or lost before it.
  const findKey = (key: string, near: number) => {
    for (let k = Math.max(0, near - 5); k < Math.min(lines.length, near + 6); k++) if (lines[k].key === key) return k;
    return -1;
  };
  for (const [iStr, want] of Object.entries(FIXED_KEYS)) {
    const idx = Number(iStr);
    if (idx >= lines.length) continue;
    const got = lines[idx].key;
    if (got !== want) {
      const at = findKey(want, idx);
      const hint =
        at >= 0
          ? `; \`${want}\` is at line ${lines[at].fileLine}, so ${at > idx ? at - idx : idx - at} line(s) ${at > idx ? 'too many' : 'missing'} before it shift every later position`
          : '';
      d.push({
        line: lines[idx].fileLine,
        severity: 'error',
        code: 'wrong-key',
        message: `positional line ${idx + 1} must be \`${want}\`, found \`${got}\`${hint}`,
      });
    }
  }
  for (const [iStr, want] of Object.entries(USUAL_KEYS)) {
    const idx = Number(iStr);
    if (idx < lines.length && lines[idx].key !== want)
      d.push({
        line: lines[idx].fileLine,
        severity: 'warning',
        code: 'unusual-key',
        message: `positional line ${idx + 1} is usually \`${want}\`, found \`${lines[idx].key}\``,
      });
  }
  for (const [iStr, word] of Object.entries(HEADERS)) {
    const idx = Number(iStr);
    if (idx < lines.length && !(lines[idx].text.startsWith('===') && lines[idx].text.includes(word)))
      d.push({
        line: lines[idx].fileLine,
        severity: 'error',
        code: 'wrong-header',
        message: `positional line ${idx + 1} must be the \`===…${word}===…\` header, found \`${lines[idx].text}\``,
      });
  }
  for (const idx of SEPARATORS)
    if (idx < lines.length && lines[idx].text !== '##')
      d.push({
        line: lines[idx].fileLine,
        severity: 'warning',
        code: 'separator',
        message: `positional line ${idx + 1} is a \`##\` placeholder, found \`${lines[idx].text}\``,
      });
  lines.forEach((l, idx) => {
    if (idx === 0 || idx === 22 || idx === 26 || l.text.startsWith('===')) return;
    const colons = l.text.split(':').length - 1;
    if (colons > 1)
      d.push({
        line: l.fileLine,
        severity: 'error',
        code: 'extra-colon',
        message: `a \`:\` inside the value: the driver keeps only \`${l.value}\` and drops \`${l.text.slice(l.text.indexOf(':', l.text.indexOf(':') + 1))}\``,
      });
    else if (colons === 0 && l.text !== '##')
      d.push({
        line: l.fileLine,
        severity: idx < POSITIONAL_LINES ? 'error' : 'warning',
        code: 'no-colon',
        message: `\`key:value\` expected, found \`${l.text}\``,
      });
  });
  if (lines.length < POSITIONAL_LINES)
    d.push({
      line: where(lines.length),
      severity: 'error',
      code: 'missing-lines',
      message: `only ${lines.length} non-blank lines; the driver reads ${POSITIONAL_LINES} positional lines (the last expected one is \`--params_file\`/infer_key1)`,
    });
  return d;
}

/** The text of a params file, size-, encoding- and line-checked before it is parsed. */
export function readParamsText(file: string): string {
  const text = readTextBounded(file, { what: 'params file', maxBytes: FILE_LIMITS.params, code: 'E_PARAMS_READ' });
  checkLines(text, 'E_PARAMS_INVALID', file, 'params file');
  return text;
}

export function readParamsFile(path: string, opts: ParseOptions = {}): ParamsFile {
  const text = readParamsText(path);
  return parseParamsText(text, path, opts);
}

export function errorsOf(p: ParamsFile): Diagnostic[] {
  return p.diagnostics.filter((x) => x.severity === 'error');
}

export function formatDiagnostic(path: string, d: Diagnostic): string {
  return `${path}:${d.line}: ${d.severity} [${d.code}] ${d.message}`;
}

/** Throws a CodedError listing every error (each with its 1-based line) when the file cannot be planned. */
export function assertPlannable(p: ParamsFile): void {
  const errs = errorsOf(p);
  if (errs.length) throw new CodedError('E_PARAMS_INVALID', errs.map((e) => formatDiagnostic(p.path, e)).join('\n'));
}

/** The line of a named slot (params-slots.ts), or an empty line when the file is short. */
export function slot(p: ParamsFile, name: SlotName): ParamsLine {
  return at(p, SLOT_INDEX[name]);
}

/** Line at a driver index, or an empty line (the driver reads unset array slots as ''). */
export function at(p: ParamsFile, idx: number): ParamsLine {
  return p.lines[idx] ?? { fileLine: 0, text: '', key: '', value: '' };
}
