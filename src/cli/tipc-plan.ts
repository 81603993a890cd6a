// `ctrgcn tipc plan PARAMS MODE [GPU_ID]`: the commands a TIPC params file and mode expand to.
import { parseArgs, UsageError, type CommandSpec, type FlagSpec } from './args.js';
import { assertPlannable, formatDiagnostic } from '../tipc/params/index.js';
import { loadParams } from '../tipc/params/index.js';
import { plan, planJson, MODES, type Driver } from '../tipc/plan/index.js';

export const DRIVER_FLAG: FlagSpec = {
  name: 'driver',
  default: 'head',
  choices: ['head', 'legacy'],
  help: 'head (PaddleVideo HEAD) or legacy (2022 driver: CUDA_VISIBLE_DEVICES unset for train/eval/export)',
};

export const spec: CommandSpec = {
  usage: 'PARAMS MODE [GPU_ID] [--json] [--driver head|legacy]',
  description: `Print the ordered commands PaddleVideo's TIPC driver runs for PARAMS (train_infer_python.txt or its typed YAML/JSON form) in MODE (${MODES.join(', ')}).`,
  positionals: ['PARAMS', 'MODE', 'GPU_ID'],
  flags: [
    {
      name: 'json',
      type: 'switch',
      help: 'print a JSON array: {kind, argv, command, log, stdout, env[, cell]} per command',
    },
    DRIVER_FLAG,
  ],
};

export function driverOf(v: unknown): Driver {
  if (v !== 'head' && v !== 'legacy') throw new UsageError(`--driver must be head or legacy, got "${String(v)}"`);
  return v;
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length < 2 || positionals.length > 3) throw new UsageError('expected PARAMS MODE [GPU_ID]');
  const [file, mode, gpuId] = positionals;
  const driver = driverOf(flags.driver);
  const { params } = loadParams(file, { legacy: driver === 'legacy' });
  for (const d of params.diagnostics.filter((x) => x.severity === 'warning'))
    process.stderr.write(formatDiagnostic(params.path, d) + '\n');
  assertPlannable(params);
  const pl = plan(params, mode, { gpuId, driver });
  for (const n of pl.notes) process.stderr.write(`${n}\n`);
  if (flags.json) process.stdout.write(JSON.stringify(planJson(pl), null, 1) + '\n');
  else
    for (const s of pl.steps) {
      const env = Object.entries(s.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      process.stdout.write(`[${s.kind}]${env ? ` (${env})` : ''} ${s.command}\n`);
    }
  return 0;
}
