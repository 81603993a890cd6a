// `ctrgcn` entry point: dispatch over the command table (./commands.ts). Each command is one thin
// file under src/cli exporting `spec` (flags, for --help) and `run(argv)` (returns the exit code).
import { readFileSync } from 'node:fs';
import { UsageError, formatHelp, type CommandSpec } from './args.js';
import { COMMANDS, commandsUnder, findCommand, type CommandEntry } from './commands.js';
import { CodedError } from '../util/errors.js';
import { closest } from '../util/suggest.js';

export interface CommandModule {
  spec: CommandSpec;
  run(argv: string[]): Promise<number>;
}

export function loadCommand(entry: CommandEntry): Promise<CommandModule> {
  return import(entry.module) as Promise<CommandModule>;
}

export function packageVersion(): { name: string; version: string } {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
}

export function topHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = ['Usage: ctrgcn <command> [options]   (ctrgcn <command> --help for its options)', ''];
  for (const group of [...new Set(COMMANDS.map((c) => c.group))]) {
    lines.push(`${group}:`);
    for (const c of COMMANDS.filter((x) => x.group === group)) lines.push(`  ${c.name.padEnd(w)}  ${c.summary}`);
    lines.push('');
  }
  lines.push('  ctrgcn --version   print the package version', '');
  return lines.join('\n');
}

/** The message for argv that names no command: a group word without its subcommand, or a typo. */
function unknownCommand(argv: readonly string[]): string {
  const [first, second] = argv;
  const group = commandsUnder(first);
  const words = (list: readonly CommandEntry[]) => list.map((c) => c.name.split(' ').at(-1)!);
  if (group.length) {
    if (second === undefined || second.startsWith('-'))
      return `ctrgcn ${first}: expected a subcommand: ${words(group).join(', ')}`;
    const near = closest(second, words(group));
    return `ctrgcn: unknown command "${first} ${second}"${near ? `; did you mean "${first} ${near}"?` : ''} (ctrgcn --help lists the commands)`;
  }
  const firstWords = [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]))];
  let near = closest(first, firstWords);
  if (near && commandsUnder(near).length) {
    const sub = second === undefined ? undefined : closest(second, words(commandsUnder(near)));
    const exact = commandsUnder(near).some((c) => c.name === `${near} ${second}`);
    near = exact ? `${near} ${second}` : sub ? `${near} ${sub}` : near;
  }
  return `ctrgcn: unknown command "${first}"${near ? `; did you mean "${near}"?` : ''} (ctrgcn --help lists the commands)`;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || (argv[0] === 'help' && argv.length === 1)) {
    process.stdout.write(topHelp());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    const p = packageVersion();
    process.stdout.write(`${p.name} ${p.version}\n`);
    return 0;
  }
  const helpFor = argv[0] === 'help';
  const words = helpFor ? argv.slice(1) : argv;
  const found = findCommand(words);
  if (!found) {
    process.stderr.write(unknownCommand(words).replace(/^(ctrgcn[^:]*): /, '$1: error [E_USAGE]: ') + '\n');
    return 2;
  }
  const { entry, rest } = found;
  const mod = await loadCommand(entry);
  const dashdash = rest.indexOf('--');
  const flagPart = dashdash < 0 ? rest : rest.slice(0, dashdash);
  if (helpFor || flagPart.includes('--help') || flagPart.includes('-h')) {
    process.stdout.write(formatHelp(entry, mod.spec));
    return 0;
  }
  try {
    return await mod.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ctrgcn ${entry.name}: error [${e.code}]: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CodedError) {
      process.stderr.write(`ctrgcn ${entry.name}: error [${e.code}]: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
