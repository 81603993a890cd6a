// `ctrgcn main` (npm start): prepare + the lite TIPC chain of CTRGCN_light_joint on built-in synthetic
// data, then the report summary and paths. Exit code = the run's.
import { parseArgs, type CommandSpec } from './args.js';
import { loadParams } from '../tipc/params-typed.js';
import { prepare } from '../tipc/prepare.js';
import { runChain } from '../tipc/chain.js';
import { summaryTable } from '../tipc/report.js';

export const PARAMS = 'test_tipc/configs/CTRGCN_light_joint/train_infer_python.txt';
export const MODE = 'lite_train_lite_infer';

export const spec: CommandSpec = {
  usage: 'ctrgcn main [--params FILE] [--timeout SEC] [--strict]',
  summary: `Prepare the lite data and run ${MODE} for ${PARAMS}, print the report summary and the report paths.`,
  flags: [
    { name: 'params', default: PARAMS, help: 'params file' },
    { name: 'timeout', type: 'int', help: 'per-step timeout in seconds (default: per-kind defaults)' },
    { name: 'strict', type: 'switch', help: 'gates that are not set fail the run' },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, spec);
  const params = String(flags.params);
  const root = process.cwd();
  await prepare(loadParams(params).params, MODE, { root });
  const r = await runChain({
    params,
    mode: MODE,
    root,
    timeoutSec: typeof flags.timeout === 'number' ? flags.timeout : undefined,
    strict: !!flags.strict,
  });
  process.stdout.write('\n' + summaryTable(r.report));
  process.stdout.write(`report: ${r.jsonPath}\nhtml:   ${r.htmlPath}\n`);
  return r.exitCode;
}
