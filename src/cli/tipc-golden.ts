// `ctrgcn tipc golden PARAMS [MODE]`: write the GT file of the golden gate from the pinned reference model.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { writeGolden } from '../tipc/run/index.js';
import { loadParams } from '../tipc/params/index.js';
import { prepare } from '../tipc/run/index.js';

export const spec: CommandSpec = {
  usage: 'PARAMS [MODE] [--no-prepare]',
  description:
    "Export the params file's pinned reference model (gates.yaml chain.reference, e.g. deterministic initial weights), run the params file's " +
    'inference command on its inference input in accuracy mode, and write the top-1 class/score to gates.golden.gtFile in ' +
    "PaddleVideo's GT format (compared with atol/rtol like compare_results.py). MODE (default lite_train_lite_infer) selects the plan " +
    'and, for lite modes, prepares the data first.',
  positionals: ['PARAMS', 'MODE'],
  flags: [{ name: 'no-prepare', type: 'switch', help: 'do not run tipc prepare first (lite modes)' }],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('expected PARAMS [MODE]');
  const [params, mode = 'lite_train_lite_infer'] = positionals;
  const root = process.cwd();
  if (!flags['no-prepare'] && mode.startsWith('lite_train')) await prepare(loadParams(params).params, mode, { root });
  await writeGolden({ params, mode, root });
  return 0;
}
