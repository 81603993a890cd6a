// `tipc run … --baseline previous/report.json`: the run must not be larger, less accurate or slower
// than the baseline beyond gates.regression. Sizes and accuracies compare point values; latency
// compares confidence intervals (slower only when this run's p50 lower bound exceeds the baseline's
// upper bound × (1 + maxLatencySlowdown)), and only between runs on the same kind of machine.
import path from 'node:path';
import type { Environment } from '../evidence/index.js';
import type { Delta } from './types.js';
import type { GatesConfig } from '../params/index.js';
import type { Measurements } from '../evidence/index.js';

export type { Delta } from './types.js';

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

/** One gate per metric: fail if any item regressed, not-set if nothing could be compared. */
export { regressionGatesOf as regressionGates } from './regression.js';
