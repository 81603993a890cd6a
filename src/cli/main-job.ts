// `ctrgcn main` (npm start): prepare + the lite TIPC chain of the primary model (the model registry's)
// on built-in synthetic data, then the report summary and paths. Exit code = the run's.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { loadParams } from '../tipc/params/index.js';
import { prepare } from '../tipc/run/index.js';
import { runChain } from '../tipc/run/index.js';
import { emitReport, REPORT_OUTPUT_FLAGS } from './report-output.js';
import { LIVE_FLAG, useLiveView } from './live-flag.js';
import { primaryBackbone } from '../model/registry.js';

export const PARAMS = `test_tipc/configs/${primaryBackbone().tipc?.config ?? ''}/train_infer_python.txt`;
export const MODE = 'lite_train_lite_infer';

export const spec: CommandSpec = {
  usage: '[--params FILE] [--timeout SEC] [--allow-not-set]',
  description: `Prepare the lite data and run ${MODE} for ${PARAMS}, print the report summary and the report paths.`,
  flags: [
    { name: 'params', default: PARAMS, help: 'params file' },
    { name: 'timeout', type: 'int', min: 1, help: 'per-step timeout in seconds (default: per-kind defaults)' },
    {
      name: 'allow-not-set',
      type: 'switch',
      help: 'gates that are not set (no threshold, nothing measured) are warnings instead of failures',
    },
    { name: 'strict', type: 'switch', help: 'the default (not-set gates fail the run): a no-op kept for old scripts' },
    LIVE_FLAG,
    ...REPORT_OUTPUT_FLAGS,
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const params = String(flags.params);
  const root = process.cwd();
  useLiveView(flags);
  await prepare(loadParams(params).params, MODE, { root });
  const r = await runChain({
    params,
    mode: MODE,
    root,
    timeoutSec: typeof flags.timeout === 'number' ? flags.timeout : undefined,
    strict: !!flags.strict,
    allowNotSet: !!flags['allow-not-set'],
  });
  emitReport(r.report, flags, root, [`report: ${r.jsonPath}`, `html:   ${r.htmlPath}`]);
  return r.exitCode;
}
