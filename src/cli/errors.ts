// `ctrgcn errors`: the error-code registry (code, exit status, meaning).
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { errorTable } from '../util/errors.js';

export const spec: CommandSpec = {
  usage: '[--json]',
  description: 'List every error code the package can raise, with its exit status and meaning.',
  flags: [{ name: 'json', type: 'switch', help: 'print the table as JSON' }],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const rows = errorTable();
  if (flags.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const w = Math.max(...rows.map((r) => r.code.length));
  for (const r of rows) process.stdout.write(`${r.code.padEnd(w)}  ${r.exit}  ${r.meaning}\n`);
  return 0;
}
