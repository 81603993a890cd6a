// One TIPC run end to end: load + lint the params file, plan, run, evaluate gates, write
// reports/<model>/<mode>/report.json + report.html. Exit code 0 only when the report passes.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadGates, mergeGates, type GatesConfig } from './gates-config.js';
import { evaluateGates } from './gates.js';
import { renderHtml } from './html.js';
import { parseMetricsJsonl, type MetricPoint } from './log-parse.js';
import { errorsOf, formatDiagnostic } from './params-file.js';
import { loadParams } from './params-typed.js';
import { plan, type Driver, type Mode, isMode, MODES } from './planner.js';
import {
  decideStatus,
  environmentInfo,
  reportDir,
  summarize,
  writeReportJson,
  type Report,
  type ReportStep,
} from './report.js';
import { runPlan, type RunOptions, type Shard } from './runner.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { CodedError } from '../util/errors.js';

type GateOverrides = { [K in keyof GatesConfig]?: Partial<GatesConfig[K]> };

export interface ChainOptions extends Omit<RunOptions, 'cwd'> {
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
}

export interface ChainResult {
  report: Report;
  jsonPath: string;
  htmlPath: string;
  exitCode: number;
}

function writeBoth(dir: string, report: Report, training: MetricPoint[]): { jsonPath: string; htmlPath: string } {
  const jsonPath = path.join(dir, 'report.json');
  const htmlPath = path.join(dir, 'report.html');
  writeReportJson(jsonPath, report);
  writeFileAtomic(htmlPath, renderHtml(report, training));
  return { jsonPath, htmlPath };
}

export async function runChain(o: ChainOptions): Promise<ChainResult> {
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
  const base = {
    schemaVersion: 1 as const,
    mode,
    params: o.params,
    driver,
    gpuArg: o.gpuId ?? null,
    ...(shard ? { shards: [shard] } : {}),
    startedAt: startedAt.toISOString(),
  };

  const errs = errorsOf(p);
  if (errs.length) {
    // A broken params file still gets a (failing) report naming each bad line.
    const model =
      p.lines[1]?.key === 'model_name' && p.lines[1].value
        ? p.lines[1].value
        : path.basename(path.dirname(path.resolve(o.params)));
    const notes = errs.map((e) => formatDiagnostic(p.path, e));
    for (const n of notes) out(`[lint] ${n}`);
    const report: Report = {
      ...base,
      model,
      status: 'fail',
      durationMs: Math.round(performance.now() - t0),
      steps: [],
      gates: [],
      artifacts: [],
      environment: environmentInfo(o.root, []),
      notes,
      summary: summarize([], []),
    };
    const w = writeBoth(reportDir(o.reportRoot ?? o.root, model, mode, shard), report, []);
    return { report, ...w, exitCode: 1 };
  }

  const pl = plan(p, mode, { gpuId: o.gpuId, driver });
  for (const n of pl.notes) out(`[plan] ${n}`);
  const { gates: fileGates, source } = loadGates(o.params, loaded.gates);
  const gatesCfg = mergeGates(fileGates, o.gateOverrides);
  const results = await runPlan(pl, { ...o, cwd: o.root, out });
  const outcome = evaluateGates(results, gatesCfg, o.root);
  const steps: ReportStep[] = results.map(({ dir: _dir, ...r }) => {
    const m = outcome.metrics.get(r.id);
    return m && Object.keys(m).length ? { ...r, metrics: m } : r;
  });
  let training: MetricPoint[] = [];
  let trainingMetrics: string | undefined;
  const train = results.find((r) => r.kind === 'train');
  if (train) {
    const f = path.resolve(o.root, train.dir, 'metrics.jsonl');
    if (existsSync(f)) {
      training = parseMetricsJsonl(readFileSync(f, 'utf8'));
      trainingMetrics = `${train.dir}/metrics.jsonl`;
    }
  }
  const report: Report = {
    ...base,
    model: pl.modelName,
    status: decideStatus(steps, outcome.gates, o.requireGpu),
    durationMs: Math.round(performance.now() - t0),
    resultsLog: `${pl.logPath}/results_python.log`,
    gatesSource: source,
    ...(trainingMetrics ? { trainingMetrics } : {}),
    steps,
    gates: outcome.gates,
    artifacts: outcome.artifacts,
    environment: environmentInfo(o.root, results),
    notes: [
      ...pl.notes,
      ...steps
        .filter((s) => s.status === 'skipped' && (s.reason ?? '').startsWith('gpu:'))
        .slice(0, 1)
        .map((s) => `GPU cells skipped (${s.reason!.slice(5)}): neither passed nor failed`),
    ],
    summary: summarize(steps, outcome.gates),
  };
  const w = writeBoth(reportDir(o.reportRoot ?? o.root, pl.modelName, mode, shard), report, training);
  return { report, ...w, exitCode: report.status === 'pass' ? 0 : 1 };
}
