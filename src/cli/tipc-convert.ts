// `ctrgcn tipc convert IN OUT`: positional train_infer_python.txt ⇄ typed YAML/JSON (by extension).
import { writeFileSync } from 'node:fs';
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { CodedError } from '../util/errors.js';
import { errorsOf, formatDiagnostic } from '../tipc/params/index.js';
import { isTypedPath, loadParams, toTyped, typedParamsSchema, typedToText, typedToYaml } from '../tipc/params/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export const spec: CommandSpec = {
  usage: ['IN [OUT] [--check] [--to txt|yaml|json]', '--schema'],
  description:
    'Convert a params file between the positional .txt form and the typed .yaml/.json form (the format follows OUT\'s extension, or --to; OUT "-" = stdout). ' +
    'Lint findings are printed as FILE:LINE: severity [code] message (1-based file lines); --check only lints and exits 1 on errors.',
  positionals: ['IN', 'OUT'],
  flags: [
    { name: 'check', type: 'switch', help: 'lint IN only' },
    { name: 'to', help: 'output form when OUT is "-": txt, yaml or json' },
    { name: 'strict', type: 'switch', help: 'refuse to convert a file with lint errors' },
    { name: 'schema', type: 'switch', help: 'print the JSON schema (draft 2020-12) of the typed form and exit' },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (flags.schema) {
    process.stdout.write(JSON.stringify(typedParamsSchema, null, 2) + '\n');
    return 0;
  }
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('expected IN [OUT]');
  const [inFile, outFile] = positionals;
  const { params, gates } = loadParams(inFile);
  for (const d of params.diagnostics) process.stderr.write(formatDiagnostic(params.path, d) + '\n');
  const errs = errorsOf(params);
  if (flags.check) return errs.length ? 1 : 0;
  if (!outFile) throw new UsageError('expected OUT (or --check)');
  if (errs.length && flags.strict)
    throw new CodedError('E_PARAMS_INVALID', `${errs.length} lint error(s) in ${inFile}`);
  const to =
    typeof flags.to === 'string'
      ? flags.to
      : outFile === '-'
        ? isTypedPath(inFile)
          ? 'txt'
          : 'yaml'
        : /\.json$/i.test(outFile)
          ? 'json'
          : isTypedPath(outFile)
            ? 'yaml'
            : 'txt';
  const typed = { ...toTyped(params), ...(gates !== undefined ? { gates } : {}) };
  let text: string;
  if (to === 'txt') text = typedToText(typed);
  else if (to === 'yaml')
    text = `# TIPC params (typed form of train_infer_python.txt); convert back with: ctrgcn tipc convert THIS OUT.txt\n${typedToYaml(typed)}`;
  else if (to === 'json') text = JSON.stringify(typed, null, 2) + '\n';
  else throw new UsageError(`--to must be txt, yaml or json, got "${to}"`);
  if (outFile === '-') writeFileSync(1, text);
  else writeFileAtomic(outFile, text);
  return 0;
}
