// PaddleVideo-style flags for every command, tokenised by Node's built-in util.parseArgs:
// `--flag value`, `--flag=value`, short aliases (`-c cfg`, `-w=path`, `-cfg`), repeatable flags
// (`-o a.b=1 -o c=2`), `--` ends the flags. On top of the tokens this module adds what PaddleVideo's
// spellings need and parseArgs lacks: typed values (int, float, strict booleans), ranges and choices
// with messages naming the flag and value, "did you mean" for unknown flags, negative numbers as
// positionals, and `-w=path` (parseArgs keeps the `=` of a short flag in its value).
import { parseArgs as tokenize } from 'node:util';
import { CodedError } from '../util/errors.js';
import { closest, didYouMean } from '../util/suggest.js';

export interface FlagSpec {
  /** Long name without dashes, e.g. "config". */
  name: string;
  /** Short alias without dash, e.g. "c". */
  short?: string;
  /** string (default), int, float, bool (takes a value: True/False/true/false/1/0), switch (no value). */
  type?: 'string' | 'int' | 'float' | 'bool' | 'switch';
  repeat?: boolean;
  default?: string | number | boolean | string[];
  help: string;
  /** Accepted for compatibility and recorded, but without effect. */
  compat?: boolean;
  /** int/float: inclusive bounds. */
  min?: number;
  max?: number;
  /** string: the accepted values. */
  choices?: readonly string[];
  /** bool: "auto" is accepted too (the parsed value stays the string "auto"). */
  auto?: boolean;
}

export interface CommandSpec {
  /** Argument synopsis after `ctrgcn <command>`; several for alternative forms. */
  usage: string | readonly string[];
  /** What the command does (the help text under the table's one-line summary). */
  description: string;
  flags: FlagSpec[];
  /** Names for positional arguments (for help only). */
  positionals?: string[];
}

export class UsageError extends CodedError {
  constructor(message: string) {
    super('E_USAGE', message);
    this.name = 'UsageError';
  }
}

/** The only spellings of a boolean value (PaddleVideo's str2bool also takes "t" and reads any other text as false). */
export const TRUE_WORDS = ['True', 'true', '1'] as const;
export const FALSE_WORDS = ['False', 'false', '0'] as const;

/** Words other tools read as booleans, refused here with the spelling to use. */
const LOOSE: Record<string, string> = { t: 'True', f: 'False', yes: 'True', no: 'False', y: 'True', n: 'False' };

/**
 * A strict boolean: anything but True/False/true/false/1/0 is a usage error naming the flag and
 * value (PaddleVideo's str2bool reads every other text, `Flase` included, as false).
 */
export function parseBool(text: string, flag: string, auto = false): boolean {
  const v = text.trim();
  if ((TRUE_WORDS as readonly string[]).includes(v)) return true;
  if ((FALSE_WORDS as readonly string[]).includes(v)) return false;
  const loose = LOOSE[v.toLowerCase()];
  const hint = loose ? `; write ${loose}` : didYouMean(v, auto ? ['True', 'False', 'auto'] : ['True', 'False']);
  throw new UsageError(
    `${flag} expects True or False${auto ? ' or auto' : ''} (also true/false/1/0), got "${text}"${hint}`,
  );
}

/** `≥ 1`, `≤ 60`, `1..60` for the help text and range errors. */
export function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min}..${max}`;
  if (min !== undefined) return `≥ ${min}`;
  return max !== undefined ? `≤ ${max}` : 'any';
}

export type FlagValue = string | number | boolean | string[] | undefined;
export type ParsedFlags = Record<string, FlagValue>;

export interface Parsed {
  flags: ParsedFlags;
  positionals: string[];
  help: boolean;
}

/** Shared by the commands that take `-o` overrides of a recipe. */
export const ALLOW_UNKNOWN_FLAG: FlagSpec = {
  name: 'allow-unknown',
  type: 'switch',
  help: 'an override key the recipe schema does not know warns and is ignored instead of failing',
};

function convert(f: FlagSpec, flag: string, value: string): string | number | boolean {
  const type = f.type ?? 'string';
  let v: string | number | boolean = value;
  if (type === 'int') {
    if (!/^[+-]?\d+$/.test(value.trim())) throw new UsageError(`${flag} expects an integer, got "${value}"`);
    v = Number.parseInt(value, 10);
  } else if (type === 'float') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} expects a number, got "${value}"`);
    v = n;
  } else if (type === 'bool') {
    v = f.auto && value.trim() === 'auto' ? 'auto' : parseBool(value, flag, f.auto);
  } else if (f.choices && !f.choices.includes(value)) {
    throw new UsageError(
      `${flag} must be one of ${f.choices.join(', ')}, got "${value}"${didYouMean(value, f.choices)}`,
    );
  }
  if (typeof v === 'number' && ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)))
    throw new UsageError(`${flag} ${value} is out of range (allowed: ${rangeText(f.min, f.max)})`);
  return v;
}

/** Parses argv against a spec; unknown flags are usage errors naming the flag (with a suggestion). */
export function parseArgs(argv: readonly string[], spec: CommandSpec): Parsed {
  const byLong = new Map(spec.flags.map((f) => [f.name, f]));
  const byShort = new Map(spec.flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const f of spec.flags)
    options[f.name] = {
      type: f.type === 'switch' ? 'boolean' : 'string',
      ...(f.short ? { short: f.short } : {}),
      ...(f.repeat ? { multiple: true } : {}),
    };
  const { tokens } = tokenize({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });

  const flags: ParsedFlags = {};
  for (const f of spec.flags) {
    if (f.default !== undefined) flags[f.name] = Array.isArray(f.default) ? [...f.default] : f.default;
    else if (f.repeat) flags[f.name] = [];
  }
  const positionals: string[] = [];
  let help = false;
  const negatives = new Set<number>();
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    // parseArgs reads "-1" (or "-0.5", as three short flags) as flags; they are numbers here.
    if (/^-\d/.test(argv[t.index])) {
      if (!negatives.has(t.index)) positionals.push(argv[t.index]);
      negatives.add(t.index);
      continue;
    }
    if (t.rawName === '--help' || t.rawName === '-h') {
      help = true;
      continue;
    }
    const long = t.rawName.startsWith('--');
    const f = long ? byLong.get(t.name) : byShort.get(t.rawName.slice(1));
    if (!f) {
      const near = long ? closest(t.name, byLong.keys()) : undefined;
      throw new UsageError(`unknown flag ${t.rawName}${near ? `; did you mean --${near}?` : ''} (see --help)`);
    }
    const flag = long ? `--${f.name}` : `-${f.short}`;
    if (f.type === 'switch') {
      flags[f.name] = t.value === undefined ? true : parseBool(t.value, flag);
      continue;
    }
    if (t.value === undefined) throw new UsageError(`${flag} needs a value`);
    // `-w=path`: a short flag's inline value keeps the `=`.
    const raw = !long && t.inlineValue && t.value.startsWith('=') ? t.value.slice(1) : t.value;
    const v = convert(f, flag, raw);
    if (f.repeat) (flags[f.name] as string[]).push(String(v));
    else flags[f.name] = v;
  }
  return { flags, positionals, help };
}

/** The help text of a command: the table's one-line summary, usage forms, description, options. */
export function formatHelp(command: { name: string; summary: string }, spec: CommandSpec): string {
  const forms = typeof spec.usage === 'string' ? [spec.usage] : spec.usage;
  const lines = [
    `ctrgcn ${command.name}: ${command.summary}`,
    '',
    ...forms.map((u, i) => `${i === 0 ? 'Usage:' : '      '} ctrgcn ${command.name}${u ? ` ${u}` : ''}`),
    '',
    spec.description,
    '',
  ];
  if (spec.flags.length) {
    lines.push('Options:');
    const rows = spec.flags.map((f) => {
      const names = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.type === 'switch' ? '' : ' <' + (f.type ?? 'string') + '>'}`;
      const def =
        f.default !== undefined && !(Array.isArray(f.default) && f.default.length === 0)
          ? ` (default: ${String(f.default)})`
          : '';
      const allowed = f.choices
        ? ` [${f.choices.join('|')}]`
        : f.min !== undefined || f.max !== undefined
          ? ` [${rangeText(f.min, f.max)}]`
          : f.type === 'bool'
            ? ` [True|False${f.auto ? '|auto' : ''}]`
            : '';
      return [
        names,
        `${f.help}${allowed}${def}${f.compat ? ' [accepted for compatibility]' : ''}${f.repeat ? ' [repeatable]' : ''}`,
      ];
    });
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [a, b] of rows) lines.push(`  ${a.padEnd(w)}  ${b}`);
    lines.push('  -h, --help'.padEnd(w + 2) + '  show this help');
  }
  return lines.join('\n') + '\n';
}
