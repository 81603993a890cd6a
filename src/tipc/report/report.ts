// report.json (validated against reports/schema/report.schema.json) and its merge across shards;
// the writers that render it live beside it (writers.ts names them: json, html, junit, markdown, terminal).
// Pass = no step failed or timed out, no step skipped except GPU cells on a machine without CUDA
// (those are neither passed nor failed), at least one step ran, no gate failed and no gate is `not-set`
// (no threshold, or nothing measured): not-set fails the run unless --allow-not-set made it a warning.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CodedError } from '../../util/errors.js';
import { gpuAvailability } from '../evidence/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { checkNesting, FILE_LIMITS, readTextBounded } from '../../util/file-limits.js';
import { checkSchema, loadSchemaFile } from '../../util/schema.js';
import type { Environment } from '../evidence/index.js';
import type { Artifact, Gate, StepMetrics } from '../gates/index.js';
import type { Measurements } from '../evidence/index.js';
import type { BaselineInfo } from '../gates/index.js';
import type { Driver, Mode } from '../plan/index.js';
import type { Shard, StepResult } from '../plan/index.js';

export interface ReportStep extends Omit<StepResult, 'dir'> {
  metrics?: StepMetrics;
}

export type { Environment } from '../evidence/index.js';

export const REPORT_SCHEMA_VERSION = 2 as const;

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  model: string;
  mode: Mode;
  status: 'pass' | 'fail';
  params: string;
  driver: Driver;
  gpuArg?: string | null;
  shards?: Shard[];
  startedAt: string;
  durationMs: number;
  resultsLog?: string;
  gatesSource?: string;
  trainingMetrics?: string;
  /** Not-set gates fail the run (the default; false only with --allow-not-set). */
  strict: boolean;
  /** `--allow-not-set`: not-set gates were warnings, not failures. */
  allowNotSet?: boolean;
  steps: ReportStep[];
  gates: Gate[];
  artifacts: Artifact[];
  measurements: Measurements;
  /** `--baseline`: the report compared with and the per-item deltas. */
  baseline?: BaselineInfo;
  /** The run was stopped by a signal: which, and the step that was running. */
  interrupted?: { signal: string; step?: string };
  /** `--resume`: the run continued, and how many of its passed steps were reused. */
  resumed?: { startedAt: string; reused: number };
  environment: Environment;
  notes?: string[];
  summary: {
    pass: number;
    fail: number;
    skipped: number;
    timeout: number;
    gatesPassed: number;
    gatesFailed: number;
    gatesNotSet: number;
  };
}

export function emptyMeasurements(): Measurements {
  return { sizes: [], accuracy: [], latency: [], training: [], certified: [] };
}

export const SCHEMA_URL = new URL('../../../reports/schema/report.schema.json', import.meta.url);

export function isHardwareSkip(s: { status: string; reason?: string }): boolean {
  return s.status === 'skipped' && (s.reason ?? '').startsWith('gpu:');
}

export interface StatusOptions {
  /** GPU cells skipped for lack of CUDA fail the run too. */
  requireGpu?: boolean;
  /** not-set gates are warnings (`--allow-not-set`); by default they fail the run. */
  allowNotSet?: boolean;
}

export function decideStatus(
  steps: { status: string; reason?: string }[],
  gates: Pick<Gate, 'status'>[],
  o: StatusOptions = {},
): 'pass' | 'fail' {
  const ran = steps.filter((s) => s.status !== 'skipped').length;
  const bad = steps.some(
    (s) =>
      s.status === 'fail' || s.status === 'timeout' || (s.status === 'skipped' && (o.requireGpu || !isHardwareSkip(s))),
  );
  const gatesBad = gates.some((g) => g.status === 'fail' || (!o.allowNotSet && g.status === 'not-set'));
  return ran > 0 && !bad && !gatesBad ? 'pass' : 'fail';
}

export function summarize(steps: { status: string }[], gates: Pick<Gate, 'status'>[]): Report['summary'] {
  const c = (st: string) => steps.filter((s) => s.status === st).length;
  const g = (st: string) => gates.filter((x) => x.status === st).length;
  return {
    pass: c('pass'),
    fail: c('fail'),
    skipped: c('skipped'),
    timeout: c('timeout'),
    gatesPassed: g('pass'),
    gatesFailed: g('fail'),
    gatesNotSet: g('not-set'),
  };
}

export function detectBackends(root: string): string[] {
  const req = createRequire(path.join(root, 'package.json'));
  const out: string[] = [];
  for (const pkg of [
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs',
    'onnxruntime-node',
  ]) {
    try {
      const pj = req(`${pkg}/package.json`) as { version?: string };
      out.push(`${pkg}@${pj.version ?? '?'}`);
    } catch {
      /* not installed */
    }
  }
  try {
    const st = JSON.parse(readFileSync(path.join(root, '.native-status.json'), 'utf8')) as {
      backend?: string;
      source?: string;
    };
    if (st.backend) out.push(`native:${st.backend}${st.source ? ` (${st.source})` : ''}`);
  } catch {
    /* no native status */
  }
  return out;
}

export function environmentInfo(root: string, steps: StepResult[]): Environment {
  const cpus = os.cpus();
  const threads = Math.max(0, ...steps.map((s) => Number(s.cell?.threads ?? 0)).filter((n) => Number.isFinite(n)));
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    backends: detectBackends(root),
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cpus: cpus.length,
    threads: threads || cpus.length,
    gpu: gpuAvailability(),
    hostname: os.hostname(),
  };
}

export function validateReport(obj: unknown): { valid: boolean; errors: string[] } {
  return checkSchema(loadSchemaFile(SCHEMA_URL), obj);
}

export function assertValid(r: Report): void {
  const { valid, errors } = validateReport(r);
  if (!valid) throw new Error(`report does not match ${SCHEMA_URL.pathname}: ${errors.join('; ')}`);
}

export function writeReportJson(file: string, r: Report): void {
  assertValid(r);
  writeFileAtomic(file, JSON.stringify(r, null, 2) + '\n');
}

export function readReport(file: string): Report {
  const text = readTextBounded(file, { what: 'report', maxBytes: FILE_LIMITS.report, code: 'E_REPORT_READ' });
  checkNesting(text, 'E_REPORT_READ', file, 'report');
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new CodedError('E_REPORT_READ', `${file}: ${(e as Error).message}`);
  }
  const { valid, errors } = validateReport(obj);
  if (!valid) throw new CodedError('E_REPORT_INVALID', `${file}: not a valid report: ${errors.slice(0, 5).join('; ')}`);
  return obj as Report;
}

/** Combines shard reports of one plan: steps by id (first wins), gates de-duplicated by name+value. */
export function mergeReports(reports: Report[]): Report {
  if (!reports.length) throw new CodedError('E_REPORT_MERGE', 'nothing to merge');
  const [first] = reports;
  for (const r of reports)
    if (r.model !== first.model || r.mode !== first.mode || r.params !== first.params)
      throw new CodedError(
        'E_REPORT_MERGE',
        `cannot merge ${r.model}/${r.mode} (${r.params}) with ${first.model}/${first.mode} (${first.params})`,
      );
  const steps = new Map<number, ReportStep>();
  for (const r of reports) for (const s of r.steps) if (!steps.has(s.id)) steps.set(s.id, s);
  const gates: Gate[] = [];
  const seen = new Set<string>();
  for (const r of reports)
    for (const g of r.gates) {
      const k = `${g.name}\u0000${JSON.stringify(g.value)}\u0000${g.status}`;
      if (seen.has(k)) continue;
      seen.add(k);
      gates.push(g);
    }
  const artifacts = new Map<string, Artifact>();
  for (const r of reports) for (const a of r.artifacts) artifacts.set(a.path, a);
  const shards = reports.flatMap((r) => r.shards ?? []).sort((a, b) => a.index - b.index);
  const stepList = [...steps.values()].sort((a, b) => a.id - b.id);
  const starts = reports.map((r) => Date.parse(r.startedAt));
  const ends = reports.map((r) => Date.parse(r.startedAt) + r.durationMs);
  const merged: Report = {
    ...first,
    shards,
    startedAt: new Date(Math.min(...starts)).toISOString(),
    durationMs: Math.max(...ends) - Math.min(...starts),
    steps: stepList,
    gates,
    artifacts: [...artifacts.values()],
    notes: [...new Set(reports.flatMap((r) => r.notes ?? []))],
    measurements: {
      sizes: reports.flatMap((r) => r.measurements.sizes),
      accuracy: reports.flatMap((r) => r.measurements.accuracy),
      latency: reports.flatMap((r) => r.measurements.latency),
      training: reports.flatMap((r) => r.measurements.training),
      certified: reports.flatMap((r) => r.measurements.certified),
    },
    status: decideStatus(stepList, gates, { allowNotSet: !first.strict }),
    summary: summarize(stepList, gates),
  };
  const missing = shards.length && shards[0].count !== new Set(shards.map((s) => s.index)).size;
  if (missing)
    merged.notes = [
      ...(merged.notes ?? []),
      `only ${new Set(shards.map((s) => s.index)).size} of ${shards[0].count} shards merged`,
    ];
  if (missing) merged.status = 'fail';
  return merged;
}

export function reportDir(root: string, model: string, mode: string, shard?: Shard): string {
  const base = path.join(root, 'reports', model, mode);
  return shard && shard.count > 1 ? path.join(base, `shard-${shard.index}-of-${shard.count}`) : base;
}

export function fileExists(p: string): boolean {
  return existsSync(p);
}
