// `ctrgcn tipc golden`: writes the GT file the golden gate compares with, from the pinned reference
// model (chain.reference: exported with fixed weights, e.g. deterministic initial weights of a seed),
// run by the params file's own inference command on its inference input, in accuracy mode. The file
// is in PaddleVideo's GT format (test_tipc/results/<Model>/python_ppvideo_<Model>_results_fp32.txt):
//   Current video file: <input>
//           top-1 class: <int>
//           top-1 score: <float>
import path from 'node:path';
import { readRecordsFile, recordsOf } from '../../contracts/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { CodedError } from '../../util/errors.js';
import { REFERENCE_DIR, withFlags } from '../plan/index.js';
import { precisionOf } from '../evidence/index.js';
import { loadGates } from '../params/index.js';
import { loadParams } from '../params/index.js';
import { plan, setParams } from '../plan/index.js';
import { childEnv, execTo, freshRecords, recordsPathOf } from './runner.js';
import { shellSplit } from '../params/index.js';

export interface GoldenOptions {
  params: string;
  mode: string;
  root: string;
  out?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  timeoutSec?: number;
}

export interface GoldenResult {
  gtFile: string;
  text: string;
  input: string;
  classes: number[];
  scores: number[];
}

/** The GT text for one input (8-space indent, like PaddleVideo's stored results). */
export function formatGt(input: string, classes: number[], scores: number[]): string {
  const lines = [`Current video file: ${input}`];
  classes.forEach((c, j) => {
    lines.push(`        top-${j + 1} class: ${c}`);
    lines.push(`        top-${j + 1} score: ${scores[j]}`);
  });
  return lines.join('\n') + '\n';
}

export async function writeGolden(o: GoldenOptions): Promise<GoldenResult> {
  const out = o.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const loaded = loadParams(o.params);
  const { gates, chain } = loadGates(o.params, { gates: loaded.gates, chain: loaded.chain });
  const gtFile = gates.golden.gtFile;
  if (!chain.reference)
    throw new CodedError(
      'E_GOLDEN_FAILED',
      `${o.params}: no chain.reference in its gates: nothing pinned to take GT values from`,
    );
  if (!gtFile || /[*?]/.test(gtFile) || precisionOf(gtFile) !== 'fp32')
    throw new CodedError(
      'E_GOLDEN_FAILED',
      `${o.params}: gates.golden.gtFile must name one fp32 file (e.g. test_tipc/results/<Model>/python_ppvideo_<Model>_results_fp32.txt), got ${JSON.stringify(gtFile)}`,
    );
  const pl = plan(loaded.params, o.mode);
  const S = pl.slots;
  const cell = pl.steps.find((s) => s.kind === 'infer' && s.cell?.device === 'cpu' && s.cell.precision === 'fp32');
  if (!cell)
    throw new CodedError('E_GOLDEN_FAILED', `${o.params}: the ${o.mode} plan has no fp32 CPU inference cell to run`);
  const dir = `${pl.logPath}/golden/${REFERENCE_DIR}`;
  const env = o.env ?? process.env;
  const run = async (argv: string[], log: string, what: string) => {
    const rec = recordsPathOf(log);
    const ex = await execTo(
      argv,
      path.resolve(o.root, log),
      o.root,
      childEnv(env, {}, freshRecords(path.resolve(o.root, rec))),
      o.timeoutSec ?? 1800,
    );
    out(`[golden] ${what}: ${argv.join(' ')} > ${log} (${ex.timedOut ? 'timed out' : `exit ${ex.exitCode}`})`);
    if (ex.timedOut || ex.exitCode !== 0)
      throw new CodedError(
        'E_GOLDEN_FAILED',
        `${what} failed (${ex.timedOut ? 'timed out' : `exit code ${ex.exitCode}`}); see ${log}`,
      );
    return readRecordsFile(path.resolve(o.root, rec));
  };
  await run(
    [S.python, ...shellSplit(chain.reference.export).argv, `${S.exportOutKey}=${dir}`],
    `${pl.logPath}/golden/export.log`,
    `export of the reference model ${chain.reference.name}`,
  );
  const argv = withFlags(cell.argv, chain.reference.inferFlags).map((a) =>
    a.startsWith(`${S.modelFileKey}=`)
      ? setParams(S.modelFileKey, `${dir}/${S.modelFileValue}`)
      : a.startsWith(`${S.paramsFileKey}=`)
        ? setParams(S.paramsFileKey, `${dir}/${S.paramsFileValue}`)
        : a.startsWith(`${S.benchmarkKey}=`)
          ? `${S.benchmarkKey}=False`
          : a,
  );
  const parsed = await run(argv, `${pl.logPath}/golden/predict.log`, 'inference of the reference model');
  const pred = parsed ? recordsOf(parsed.records, 'predict').at(-1) : undefined;
  const r = pred?.results.at(-1);
  if (!r)
    throw new CodedError(
      'E_GOLDEN_FAILED',
      `the inference command left no predict record${parsed?.problems.length ? `: ${parsed.problems.join('; ')}` : ''}`,
    );
  const text = formatGt(r.file, r.classes, r.scores);
  writeFileAtomic(path.resolve(o.root, gtFile), text);
  out(`[golden] ${gtFile}: top-1 class ${r.classes[0]}, score ${r.scores[0]} (${chain.reference.name} on ${r.file})`);
  return { gtFile, text, input: r.file, classes: r.classes, scores: r.scores };
}
