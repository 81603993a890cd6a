// `tipc run … --baseline previous/report.json`: the run must not be larger, less accurate or slower
// than the baseline beyond gates.regression. Sizes and accuracies compare point values; latency
// compares confidence intervals (slower only when this run's p50 lower bound exceeds the baseline's
// upper bound × (1 + maxLatencySlowdown)), and only between runs on the same kind of machine.
import path from 'node:path';
import type { Gate, GateStatus } from './gates.js';
import type { GatesConfig } from './gates-config.js';
import type { Measurements } from './measure.js';
import type { Environment } from './report.js';

export interface Delta {
  metric: 'size' | 'accuracy' | 'latency';
  /** What is compared, e.g. `fp32@norm_train_gpus_-1_autocast_null_nodes_1`. */
  key: string;
  baseline: number | null;
  current: number | null;
  /** current − baseline (relative for size and latency, absolute for accuracy). */
  change: number | null;
  status: GateStatus;
  note?: string;
}

export interface BaselineInfo {
  path: string;
  startedAt: string;
  deltas: Delta[];
}

const base = (unit: string) => path.posix.basename(unit);

function sameMachine(a: Environment, b: Environment): string | null {
  if (a.cpu !== b.cpu) return `CPU ${b.cpu} now, ${a.cpu} in the baseline`;
  if (a.cpus !== b.cpus) return `${b.cpus} CPUs now, ${a.cpus} in the baseline`;
  return null;
}

export function compareToBaseline(
  then: { measurements: Measurements; environment: Environment },
  now: { measurements: Measurements; environment: Environment },
  cfg: GatesConfig['regression'],
): Delta[] {
  const out: Delta[] = [];
  const T = then.measurements;
  const N = now.measurements;

  const sizeKey = (s: Measurements['sizes'][number]) =>
    `${s.role === 'reference' ? 'reference' : s.precision}@${base(s.unit)}`;
  const tSizes = new Map(T.sizes.filter((s) => s.role !== 'reference').map((s) => [sizeKey(s), s]));
  const nSizes = new Map(N.sizes.filter((s) => s.role !== 'reference').map((s) => [sizeKey(s), s]));
  for (const [k, s] of nSizes) {
    const b = tSizes.get(k);
    if (!b) {
      out.push({
        metric: 'size',
        key: k,
        baseline: null,
        current: s.totalBytes,
        change: null,
        status: 'not-set',
        note: 'not in the baseline',
      });
      continue;
    }
    const change = (s.totalBytes - b.totalBytes) / b.totalBytes;
    out.push({
      metric: 'size',
      key: k,
      baseline: b.totalBytes,
      current: s.totalBytes,
      change: Number(change.toFixed(6)),
      status: change > cfg.maxSizeGrowth ? 'fail' : 'pass',
    });
  }

  const accKey = (a: Measurements['accuracy'][number]) => `${a.model}@${base(a.unit)}`;
  const tAcc = new Map(T.accuracy.map((a) => [accKey(a), a]));
  const nAcc = new Map(N.accuracy.map((a) => [accKey(a), a]));
  for (const [k, a] of nAcc) {
    const b = tAcc.get(k);
    if (!b) {
      out.push({
        metric: 'accuracy',
        key: k,
        baseline: null,
        current: a.top1,
        change: null,
        status: 'not-set',
        note: 'not in the baseline',
      });
      continue;
    }
    const change = a.top1 - b.top1;
    out.push({
      metric: 'accuracy',
      key: k,
      baseline: b.top1,
      current: a.top1,
      change: Number(change.toFixed(6)),
      status: -change > cfg.maxTop1Drop ? 'fail' : 'pass',
    });
  }

  const latKey = (l: Measurements['latency'][number]) =>
    `${l.target === 'reference' ? 'reference' : 'model'} ${l.device}@${base(l.unit)}`;
  const tLat = new Map(T.latency.map((l) => [latKey(l), l]));
  const machine = sameMachine(then.environment, now.environment);
  for (const l of N.latency) {
    const k = latKey(l);
    const b = tLat.get(k);
    if (!b || machine) {
      out.push({
        metric: 'latency',
        key: k,
        baseline: b?.p50 ?? null,
        current: l.p50,
        change: b ? Number(((l.p50 - b.p50) / b.p50).toFixed(6)) : null,
        status: 'not-set',
        note: b ? `not compared: ${machine}` : 'not in the baseline',
      });
      continue;
    }
    const slower = l.p50Ci[0] > b.p50Ci[1] * (1 + cfg.maxLatencySlowdown);
    out.push({
      metric: 'latency',
      key: k,
      baseline: b.p50,
      current: l.p50,
      change: Number(((l.p50 - b.p50) / b.p50).toFixed(6)),
      status: slower ? 'fail' : 'pass',
      note: `p50 CI now [${l.p50Ci.join(', ')}] vs baseline [${b.p50Ci.join(', ')}] ms`,
    });
  }

  // Measured in the baseline but not any more: a regression of coverage.
  for (const [k, b] of tSizes)
    if (!nSizes.has(k))
      out.push({
        metric: 'size',
        key: k,
        baseline: b.totalBytes,
        current: null,
        change: null,
        status: 'fail',
        note: 'measured in the baseline, not in this run',
      });
  for (const [k, b] of tAcc)
    if (!nAcc.has(k))
      out.push({
        metric: 'accuracy',
        key: k,
        baseline: b.top1,
        current: null,
        change: null,
        status: 'fail',
        note: 'measured in the baseline, not in this run',
      });
  const nLatKeys = new Set(N.latency.map(latKey));
  for (const [k, b] of tLat)
    if (!nLatKeys.has(k))
      out.push({
        metric: 'latency',
        key: k,
        baseline: b.p50,
        current: null,
        change: null,
        status: 'fail',
        note: 'measured in the baseline, not in this run',
      });
  return out;
}

const fmtChange = (d: Delta) =>
  d.change === null
    ? ''
    : d.metric === 'accuracy'
      ? `${d.change >= 0 ? '+' : ''}${(d.change * 100).toFixed(2)} pt`
      : `${d.change >= 0 ? '+' : ''}${(d.change * 100).toFixed(2)} %`;

/** One gate per metric: fail if any item regressed, not-set if nothing could be compared. */
export function regressionGates(deltas: Delta[], cfg: GatesConfig['regression'], baselinePath: string): Gate[] {
  const gates: Gate[] = [];
  const spec = {
    size: { threshold: cfg.maxSizeGrowth, unit: 'relative growth' },
    accuracy: { threshold: cfg.maxTop1Drop, unit: 'top-1 drop' },
    latency: { threshold: cfg.maxLatencySlowdown, unit: 'relative slowdown (CI)' },
  } as const;
  for (const metric of ['size', 'accuracy', 'latency'] as const) {
    const ds = deltas.filter((d) => d.metric === metric);
    const compared = ds.filter((d) => d.status !== 'not-set');
    const failed = ds.filter((d) => d.status === 'fail');
    const worst = compared.reduce<number | null>((acc, d) => {
      if (d.change === null) return acc;
      const bad = metric === 'accuracy' ? -d.change : d.change;
      return acc === null || bad > acc ? bad : acc;
    }, null);
    gates.push({
      name: `regression[${metric}]`,
      status: failed.length ? 'fail' : compared.length ? 'pass' : 'not-set',
      value: worst === null ? null : Number(worst.toFixed(6)),
      threshold: spec[metric].threshold,
      unit: spec[metric].unit,
      detail:
        `vs ${baselinePath}: ` +
        (ds.length
          ? ds
              .map(
                (d) =>
                  `${d.key} ${d.baseline ?? '—'} → ${d.current ?? '—'}${fmtChange(d) ? ` (${fmtChange(d)})` : ''}${d.status === 'fail' ? ' REGRESSED' : ''}${d.note ? ` [${d.note}]` : ''}`,
              )
              .join('; ')
          : 'nothing to compare'),
    });
  }
  return gates;
}
