// PaddleVideo-style flag parsing shared by every command: `--flag value` and `--flag=value`,
// short aliases (`-c cfg`, `-w=path`), repeatable flags (`-o a.b=1 -o c=2`), str2bool booleans.
import { CodedError } from '../util/errors.js';

export interface FlagSpec {
  /** Long name without dashes, e.g. "config". */
  name: string;
  /** Short alias without dash, e.g. "c". */
  short?: string;
  /** string (default), int, float, bool (takes a value, str2bool), switch (no value). */
  type?: 'string' | 'int' | 'float' | 'bool' | 'switch';
  repeat?: boolean;
  default?: string | number | boolean | string[];
  help: string;
  /** Accepted for compatibility and recorded, but without effect. */
  compat?: boolean;
}

export interface CommandSpec {
  usage: string;
  summary: string;
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

/** PaddleVideo's str2bool: true iff the lower-cased text is "true", "t" or "1". */
export function str2bool(v: string | boolean): boolean {
  if (typeof v === 'boolean') return v;
  return ['true', 't', '1'].includes(v.trim().toLowerCase());
}

export type ParsedFlags = Record<string, string | number | boolean | string[] | undefined>;

export interface Parsed {
  flags: ParsedFlags;
  positionals: string[];
  help: boolean;
}

/** Parses argv against a spec; unknown flags are usage errors naming the flag. */
export function parseArgs(argv: readonly string[], spec: CommandSpec): Parsed {
  const byLong = new Map(spec.flags.map((f) => [f.name, f]));
  const byShort = new Map(spec.flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const flags: ParsedFlags = {};
  for (const f of spec.flags) {
    if (f.default !== undefined) flags[f.name] = Array.isArray(f.default) ? [...f.default] : f.default;
    else if (f.repeat) flags[f.name] = [];
  }
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      help = true;
      continue;
    }
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq >= 0 ? a.slice(0, eq) : a;
    let value: string | undefined = eq >= 0 ? a.slice(eq + 1) : undefined;
    const f = key.startsWith('--') ? byLong.get(key.slice(2)) : byShort.get(key.slice(1));
    if (!f) throw new UsageError(`unknown flag ${key} (see --help)`);
    const type = f.type ?? 'string';
    if (type === 'switch') {
      flags[f.name] = value === undefined ? true : str2bool(value);
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`flag ${key} needs a value`);
      value = argv[++i];
    }
    let v: string | number | boolean = value;
    if (type === 'int') {
      if (!/^[+-]?\d+$/.test(value.trim())) throw new UsageError(`flag ${key} expects an integer, got "${value}"`);
      v = Number.parseInt(value, 10);
    } else if (type === 'float') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n))
        throw new UsageError(`flag ${key} expects a number, got "${value}"`);
      v = n;
    } else if (type === 'bool') v = str2bool(value);
    if (f.repeat) (flags[f.name] as string[]).push(String(v));
    else flags[f.name] = v;
  }
  return { flags, positionals, help };
}

export function formatHelp(spec: CommandSpec): string {
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, ''];
  if (spec.flags.length) {
    lines.push('Options:');
    const rows = spec.flags.map((f) => {
      const names = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.type === 'switch' ? '' : ' <' + (f.type ?? 'string') + '>'}`;
      const def =
        f.default !== undefined && !(Array.isArray(f.default) && f.default.length === 0)
          ? ` (default: ${String(f.default)})`
          : '';
      return [
        names,
        `${f.help}${def}${f.compat ? ' [accepted for compatibility]' : ''}${f.repeat ? ' [repeatable]' : ''}`,
      ];
    });
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [a, b] of rows) lines.push(`  ${a.padEnd(w)}  ${b}`);
    lines.push('  -h, --help'.padEnd(w + 2) + '  show this help');
  }
  return lines.join('\n') + '\n';
}
