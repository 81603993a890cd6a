// `ctrgcn tipc run PARAMS MODE [GPU_ID]`: run a TIPC chain, gate it, write the report.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { runChain } from '../tipc/run/index.js';
import { parseShard, DEFAULT_TIMEOUTS } from '../tipc/run/index.js';
import type { StepKind } from '../tipc/plan/index.js';
import { DRIVER_FLAG, driverOf } from './tipc-plan.js';
import { emitReport, REPORT_OUTPUT_FLAGS } from './report-output.js';
import { LIVE_FLAG, useLiveView } from './live-flag.js';

export const spec: CommandSpec = {
  usage: 'PARAMS MODE [GPU_ID] [options]',
  description:
    'Run the commands of a TIPC params file without a shell, log each to its PaddleVideo path under test_tipc/output/<model>/<MODE>/, ' +
    'append results_python.log lines with the true exit status, evaluate the gates and write reports/<model>/<mode>/report.{json,html}. ' +
    'Then our extra steps from gates.yaml (fp16/int8 exports, ONNX accuracy, reference model, latency benchmark). ' +
    'Ctrl-C (SIGINT/SIGTERM) stops the running command, writes the report of the steps so far (the interrupted one marked) and exits 128 + signal; --resume continues it. ' +
    'Exit 0 only if every step ran (GPU cells on a machine without CUDA are skipped, neither passed nor failed), no gate failed ' +
    'and no gate is not-set (no threshold, or nothing measured); --allow-not-set turns not-set gates into warnings, and the report says so.',
  positionals: ['PARAMS', 'MODE', 'GPU_ID'],
  flags: [
    {
      name: 'timeout',
      type: 'int',
      min: 1,
      help: `per-step timeout in seconds for every kind (over gates.yaml chain.timeouts; defaults: train ${DEFAULT_TIMEOUTS.train}, eval ${DEFAULT_TIMEOUTS.eval}, export ${DEFAULT_TIMEOUTS.export}, infer ${DEFAULT_TIMEOUTS.infer})`,
    },
    { name: 'timeout-train', type: 'int', min: 1, help: 'timeout of train steps (s)' },
    { name: 'timeout-eval', type: 'int', min: 1, help: 'timeout of eval steps (s)' },
    { name: 'timeout-export', type: 'int', min: 1, help: 'timeout of export steps (s)' },
    { name: 'timeout-infer', type: 'int', min: 1, help: 'timeout of inference cells (s)' },
    {
      name: 'shard',
      help: 'i/n: run the i-th deterministic slice of the inference matrix (cell k → shard k mod n + 1); train/eval/export run in shard 1, later shards need its export on disk',
    },
    DRIVER_FLAG,
    {
      name: 'keep-going',
      type: 'switch',
      help: 'run dependants of a failed step anyway (driver behaviour) instead of skipping them',
    },
    { name: 'no-consistency', type: 'switch', help: 'do not re-run a predict cell with --enable_benchmark=False' },
    {
      name: 'max-bytes',
      type: 'int',
      min: 1,
      help: 'size gate: inference artifact budget in bytes (default 10485760 = 10 MiB)',
    },
    {
      name: 'min-top1',
      type: 'float',
      min: 0,
      max: 1,
      help: 'accuracy gate: minimum top-1 of the shipped model (the exported fp32 ONNX when the chain evaluates it; default: not set)',
    },
    {
      name: 'max-latency-ratio',
      type: 'float',
      min: 0,
      help: 'latency gate: maximum p50 of the model ÷ p50 of the reference model measured in the same run',
    },
    {
      name: 'max-latency-ms',
      type: 'float',
      min: 0,
      help: 'latency gate [abs]: maximum p50 of the benchmark (else the worst cell mean), in ms (default: none)',
    },
    {
      name: 'gt-file',
      help: 'golden gate: GT file glob (compare_results semantics; default: not set)',
    },
    {
      name: 'allow-not-set',
      type: 'switch',
      help: 'gates that are not set (no threshold, no GT file, nothing measured) are warnings instead of failures (the report, html and table say so)',
    },
    {
      name: 'strict',
      type: 'switch',
      help: 'the default since not-set gates fail the run: kept as a no-op for old scripts (cannot be combined with --allow-not-set)',
    },
    {
      name: 'baseline',
      help: 'previous report.json: fail when size grows, accuracy drops or latency slows beyond gates.regression (deltas in the report)',
    },
    {
      name: 'no-extras',
      type: 'switch',
      help: "run only the driver's commands (no extra exports, ONNX evals, reference or latency benchmark)",
    },
    { name: 'echo-logs', type: 'switch', help: 'print every log after its command, like the driver' },
    {
      name: 'resume',
      type: 'switch',
      help: 'continue the run whose report.json is at the report path (e.g. one stopped by Ctrl-C): steps that passed there, with the same command and reused dependencies, are not run again',
    },
    {
      name: 'require-gpu',
      type: 'switch',
      help: 'GPU cells skipped for lack of CUDA fail the run (default: neither passed nor failed)',
    },
    {
      name: 'gpu',
      default: 'auto',
      choices: ['auto', 'yes', 'no'],
      help: 'auto (nvidia-smi present and CTRGCN_NO_GPU unset), yes or no: whether GPU cells run',
    },
    LIVE_FLAG,
    ...REPORT_OUTPUT_FLAGS,
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length < 2 || positionals.length > 3) throw new UsageError('expected PARAMS MODE [GPU_ID]');
  const [params, mode, gpuId] = positionals;
  const timeouts: Partial<Record<StepKind, number>> = {};
  for (const k of ['train', 'eval', 'export', 'infer'] as const) {
    const v = flags[`timeout-${k}`];
    if (typeof v === 'number') timeouts[k] = v;
  }
  let shard;
  if (typeof flags.shard === 'string') {
    try {
      shard = parseShard(flags.shard);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const gpu = String(flags.gpu);
  useLiveView(flags);
  const r = await runChain({
    params,
    mode,
    gpuId,
    root: process.cwd(),
    driver: driverOf(flags.driver),
    timeoutSec: typeof flags.timeout === 'number' ? flags.timeout : undefined,
    timeouts,
    shard,
    dependents: flags['keep-going'] ? 'run' : 'skip',
    consistencyRerun: !flags['no-consistency'],
    echoLogs: !!flags['echo-logs'],
    gpuAvailable: gpu === 'auto' ? undefined : gpu === 'yes',
    requireGpu: !!flags['require-gpu'],
    strict: !!flags.strict,
    allowNotSet: !!flags['allow-not-set'],
    baseline: typeof flags.baseline === 'string' ? flags.baseline : undefined,
    noExtras: !!flags['no-extras'],
    resume: !!flags.resume,
    gateOverrides: {
      ...(typeof flags['max-bytes'] === 'number' ? { size: { maxBytes: flags['max-bytes'] } } : {}),
      ...(typeof flags['min-top1'] === 'number' ? { accuracy: { minTop1: flags['min-top1'] } } : {}),
      ...(typeof flags['max-latency-ms'] === 'number' || typeof flags['max-latency-ratio'] === 'number'
        ? {
            latency: {
              ...(typeof flags['max-latency-ms'] === 'number' ? { maxInferenceMs: flags['max-latency-ms'] } : {}),
              ...(typeof flags['max-latency-ratio'] === 'number' ? { maxRatioP50: flags['max-latency-ratio'] } : {}),
            },
          }
        : {}),
      ...(typeof flags['gt-file'] === 'string' ? { golden: { gtFile: flags['gt-file'] } } : {}),
    },
  });
  emitReport(r.report, flags, process.cwd(), [`report: ${r.jsonPath}`, `html:   ${r.htmlPath}`]);
  return r.exitCode;
}
