// One TIPC run end to end: load + lint the params file, plan, run the driver's commands and then our
// extra steps (extra-steps.ts), evaluate the gates, compare with a baseline report, write
// reports/<model>/<mode>/report.json + report.html. Exit code 0 only when the report passes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readRecordsFile, recordsOf } from '../../contracts/index.js';
import { buildExtraSteps } from '../plan/index.js';
import { gpuAvailability } from '../evidence/index.js';
import { loadGates, mergeGates, type GateOverrides } from '../params/index.js';
import { evaluateGates } from '../gates/index.js';
import { writeRunReport, type TrainingCurve } from '../report/index.js';
import { errorsOf, formatDiagnostic, slot } from '../params/index.js';
import { loadParams } from '../params/index.js';
import { plan, type Driver, type Mode, isMode, MODES } from '../plan/index.js';
import { compareToBaseline } from '../gates/index.js';
import {
  decideStatus,
  emptyMeasurements,
  environmentInfo,
  readReport,
  REPORT_SCHEMA_VERSION,
  reportDir,
  summarize,
  type Report,
  type ReportStep,
} from '../report/index.js';
import { execTo, type Exec, type RunOptions, type Shard, type StepResult } from './runner.js';
import { PlanRun, type Interruption, type RunnableStep } from './plan-run.js';
import { CodedError } from '../../util/errors.js';

export interface ChainOptions extends Omit<RunOptions, 'cwd' | 'extras'> {
  params: string;
  mode: string;
  gpuId?: string;
  driver?: Driver;
  /** Directory the chain runs in; reports go under <root>/reports. */
  root: string;
  gateOverrides?: GateOverrides;
  reportRoot?: string;
  /** GPU cells skipped for lack of CUDA fail the run (default: they are neither passed nor failed). */
  requireGpu?: boolean;
  /**
   * Gates that are not set (no threshold, no GT, nothing measured) are warnings instead of failures.
   * Off by default: a gate with nothing to compare fails the run.
   */
  allowNotSet?: boolean;
  /** @deprecated not-set gates fail by default; kept so that old callers keep meaning the same. */
  strict?: boolean;
  /** A previous report.json: regressions beyond gates.regression fail the run. */
  baseline?: string;
  /** Skip the runner's extra steps (artifact exports/evals, reference, latency benchmark). */
  noExtras?: boolean;
  /** Continue the run whose report.json is at the report path: its passed steps are not run again. */
  resume?: boolean;
}

export interface ChainResult {
  report: Report;
  jsonPath: string;
  htmlPath: string;
  /** 0 pass, 1 fail, 128 + signal number when interrupted. */
  exitCode: number;
}

/**
 * A chain opened for running: `steps()` hands out each command to run (the caller runs it, e.g. with
 * execTo or zx's `$`, and reports back with `finish`), `close()` evaluates the gates and writes the report.
 */
export interface ChainSession {
  /** Directory the commands run in. */
  readonly root: string;
  readonly model: string;
  steps(): Generator<RunnableStep, void, void>;
  finish(step: RunnableStep, ex: Exec): StepResult;
  close(): ChainResult;
}

const SIGNAL_STATUS: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The training records of a report's train step (for the HTML curve). */
export function trainingCurve(root: string, recordsFile: string | undefined): TrainingCurve {
  const parsed = recordsFile ? readRecordsFile(path.resolve(root, recordsFile)) : null;
  return {
    steps: parsed ? recordsOf(parsed.records, 'train_step') : [],
    val: parsed ? recordsOf(parsed.records, 'val') : [],
  };
}

export async function runChain(o: ChainOptions): Promise<ChainResult> {
  const chain = openChain(o);
  for (const step of chain.steps())
    chain.finish(
      step,
      await execTo([...step.argv], step.stdout, step.cwd, { ...step.env }, step.timeoutSec, step.name),
    );
  return chain.close();
}

/** The previous report a --resume continues (same params file and mode), or an error naming why not. */
function resumedReport(file: string, params: string, root: string): Report {
  if (!existsSync(file))
    throw new CodedError(
      'E_RESUME',
      `--resume: no report of an earlier run at ${file} (run the chain without --resume first)`,
    );
  const prev = readReport(file);
  if (path.resolve(root, prev.params) !== path.resolve(root, params))
    throw new CodedError('E_RESUME', `--resume: ${file} is a run of ${prev.params}, not of ${params}`);
  return prev;
}

/** What every report of this run starts with (the chain's identity and the switches it ran under). */
type ReportBase = Pick<
  Report,
  'schemaVersion' | 'mode' | 'params' | 'driver' | 'gpuArg' | 'strict' | 'allowNotSet' | 'shards' | 'startedAt'
>;

interface ChainStart {
  out: (line: string) => void;
  t0: number;
  driver: Driver;
  mode: Mode;
  loaded: ReturnType<typeof loadParams>;
  shard?: Shard;
  allowNotSet: boolean;
  baseline?: Report;
  base: ReportBase;
}

/** The options checked, the params file loaded (its warnings printed) and the baseline read. */
function startChain(o: ChainOptions): ChainStart {
  const out = o.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const startedAt = new Date();
  const t0 = performance.now();
  const driver: Driver = o.driver ?? 'head';
  if (!isMode(o.mode)) throw new CodedError('E_MODE', `unknown mode "${o.mode}"; expected one of ${MODES.join(', ')}`);
  const mode: Mode = o.mode;
  const loaded = loadParams(o.params, { legacy: driver === 'legacy' });
  const p = loaded.params;
  for (const d of p.diagnostics.filter((x) => x.severity === 'warning')) out(`[lint] ${formatDiagnostic(p.path, d)}`);
  const shard: Shard | undefined = o.shard && o.shard.count > 1 ? o.shard : undefined;
  if (o.strict && o.allowNotSet)
    throw new CodedError('E_USAGE', '--strict and --allow-not-set contradict each other: choose one');
  const allowNotSet = !!o.allowNotSet;
  // Read the baseline first: a broken one is an error before anything runs.
  const baseline = o.baseline ? readReport(o.baseline) : undefined;
  const base: ReportBase = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    mode,
    params: o.params,
    driver,
    gpuArg: o.gpuId ?? null,
    strict: !allowNotSet,
    ...(allowNotSet ? { allowNotSet } : {}),
    ...(shard ? { shards: [shard] } : {}),
    startedAt: startedAt.toISOString(),
  };
  return { out, t0, driver, mode, loaded, shard, allowNotSet, baseline, base };
}

/** A broken params file runs no step, but still gets a (failing) report naming each bad line. */
function brokenChain(o: ChainOptions, c: ChainStart, errs: ReturnType<typeof errorsOf>): ChainSession {
  const p = c.loaded.params;
  const model =
    slot(p, 'model_name').key === 'model_name' && slot(p, 'model_name').value
      ? slot(p, 'model_name').value
      : path.basename(path.dirname(path.resolve(o.params)));
  const notes = errs.map((e) => formatDiagnostic(p.path, e));
  for (const n of notes) c.out(`[lint] ${n}`);
  return {
    root: o.root,
    model,
    *steps() {},
    finish() {
      throw new Error('a chain with a broken params file runs no step');
    },
    close() {
      const report: Report = {
        ...c.base,
        model,
        status: 'fail',
        durationMs: Math.round(performance.now() - c.t0),
        steps: [],
        gates: [],
        artifacts: [],
        measurements: emptyMeasurements(),
        environment: environmentInfo(o.root, []),
        notes,
        summary: summarize([], []),
      };
      const dir = reportDir(o.reportRoot ?? o.root, model, c.mode, c.shard);
      const w = writeRunReport(path.join(dir, 'report.json'), report, { root: o.root });
      return { report, ...w, exitCode: 1 };
    },
  };
}

/** The report's notes: interruption, resume, the plan's and extra steps' notes, skipped GPU cells, not-set gates. */
function chainNotes(x: {
  interrupted: Interruption | null;
  steps: ReportStep[];
  previous?: Report;
  reused: number;
  planNotes: string[];
  extraNotes: string[];
  gates: Report['gates'];
  allowNotSet: boolean;
}): string[] {
  const { interrupted, steps, previous, gates, allowNotSet } = x;
  const notSet = gates.filter((g) => g.status === 'not-set').map((g) => g.name);
  const notes: string[] = [];
  if (interrupted)
    notes.push(
      `interrupted by ${interrupted.signal}${interrupted.step ? ` during ${interrupted.step}` : ' between steps'}: ${steps.length} of the plan's steps recorded; \`tipc run … --resume\` continues it`,
    );
  if (previous)
    notes.push(`resumed the run of ${previous.startedAt}: ${x.reused} passed step(s) reused, not run again`);
  notes.push(...x.planNotes, ...x.extraNotes);
  const gpuSkip = steps.find((s) => s.status === 'skipped' && (s.reason ?? '').startsWith('gpu:'));
  if (gpuSkip) notes.push(`GPU cells skipped (${gpuSkip.reason!.slice(5)}): neither passed nor failed`);
  if (notSet.length)
    notes.push(
      `not set (nothing to compare, never a pass; ${allowNotSet ? '--allow-not-set: warnings only, the run may still pass' : 'failing the run; --allow-not-set makes them warnings'}): ${notSet.join(', ')}`,
    );
  if (allowNotSet)
    notes.push('--allow-not-set was used: gates without a threshold or a measurement did not fail this run');
  return notes;
}

export function openChain(o: ChainOptions): ChainSession {
  const c = startChain(o);
  const { out, mode, driver, allowNotSet, baseline } = c;
  const p = c.loaded.params;
  const errs = errorsOf(p);
  if (errs.length) return brokenChain(o, c, errs);

  const pl = plan(p, mode, { gpuId: o.gpuId, driver });
  for (const n of pl.notes) out(`[plan] ${n}`);
  const { gates: fileGates, chain, source } = loadGates(o.params, { gates: c.loaded.gates, chain: c.loaded.chain });
  const gatesCfg = mergeGates(fileGates, o.gateOverrides);
  const dir = reportDir(o.reportRoot ?? o.root, pl.modelName, mode, c.shard);
  const previous = o.resume ? resumedReport(path.join(dir, 'report.json'), o.params, o.root) : undefined;
  const extraNotes: string[] = [];
  const gpuOk = o.gpuAvailable ?? gpuAvailability(o.env ?? process.env).available;
  const run = new PlanRun(pl, {
    ...o,
    cwd: o.root,
    out,
    ...(chain.timeouts ? { configTimeouts: chain.timeouts } : {}),
    ...(previous ? { resumeFrom: previous.steps.map((s) => ({ ...s, dir: '' })) } : {}),
    extras: o.noExtras
      ? undefined
      : (done, firstId) => {
          const x = buildExtraSteps(pl, done, chain, gatesCfg, firstId, gpuOk);
          extraNotes.push(...x.notes);
          return x.steps;
        },
  });

  const close = (): ChainResult => {
    const results = run.sortedResults();
    const interrupted: Interruption | null = run.interrupted;
    const environment = environmentInfo(o.root, results);
    const deltas = (measurements: Report['measurements']) =>
      compareToBaseline(baseline!, { measurements, environment }, gatesCfg.regression);
    const outcome = evaluateGates(results, {
      gates: gatesCfg,
      chain,
      cwd: o.root,
      exportWeightsKey: pl.slots.exportWeightsKey,
      ...(baseline ? { baseline: { path: o.baseline!, deltas } } : {}),
    });
    const steps: ReportStep[] = results.map(({ dir: _dir, ...r }) => {
      const m = outcome.metrics.get(r.id);
      return m && Object.keys(m).length ? { ...r, metrics: m } : r;
    });
    const train = results.find((r: StepResult) => r.kind === 'train' && r.status === 'pass');
    const gates = [...outcome.gates];
    const baselineInfo: Report['baseline'] = baseline
      ? { path: o.baseline!, startedAt: baseline.startedAt, deltas: deltas(outcome.measurements) }
      : undefined;
    const notes = chainNotes({
      interrupted,
      steps,
      previous,
      reused: run.reusedCount,
      planNotes: pl.notes,
      extraNotes,
      gates,
      allowNotSet,
    });
    const report: Report = {
      ...c.base,
      model: pl.modelName,
      status: interrupted ? 'fail' : decideStatus(steps, gates, { requireGpu: o.requireGpu, allowNotSet }),
      durationMs: Math.round(performance.now() - c.t0),
      resultsLog: `${pl.logPath}/results_python.log`,
      gatesSource: source,
      ...(train ? { trainingMetrics: train.records } : {}),
      ...(interrupted ? { interrupted } : {}),
      ...(previous ? { resumed: { startedAt: previous.startedAt, reused: run.reusedCount } } : {}),
      steps,
      gates,
      artifacts: outcome.artifacts,
      measurements: outcome.measurements,
      ...(baselineInfo ? { baseline: baselineInfo } : {}),
      environment,
      notes,
      summary: summarize(steps, gates),
    };
    const w = writeRunReport(path.join(dir, 'report.json'), report, {
      root: o.root,
      training: trainingCurve(o.root, train?.records),
    });
    const exitCode = interrupted ? (SIGNAL_STATUS[interrupted.signal] ?? 130) : report.status === 'pass' ? 0 : 1;
    return { report, ...w, exitCode };
  };

  return {
    root: o.root,
    model: pl.modelName,
    steps: () => run.steps(),
    finish: (step, ex) => run.finish(step, ex),
    close,
  };
}
