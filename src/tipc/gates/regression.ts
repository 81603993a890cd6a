// regression[size|accuracy|latency]: `tipc run … --baseline previous/report.json` — one gate per metric,
// failing when any item regressed beyond gates.regression (deltas from ../regression.ts), not-set when
// nothing could be compared. No baseline: no gate.
import type { GatesConfig } from '../params/index.js';
import type { Delta, Evidence, Gate } from './types.js';

const fmtChange = (d: Delta) =>
  d.change === null
    ? ''
    : d.metric === 'accuracy'
      ? `${d.change >= 0 ? '+' : ''}${(d.change * 100).toFixed(2)} pt`
      : `${d.change >= 0 ? '+' : ''}${(d.change * 100).toFixed(2)} %`;

export function regressionGatesOf(deltas: Delta[], cfg: GatesConfig['regression'], baselinePath: string): Gate[] {
  const gates: Gate[] = [];
  const spec = {
    size: { threshold: cfg.maxSizeGrowth, unit: 'relative growth' },
    accuracy: { threshold: cfg.maxTop1Drop, unit: 'top-1 drop' },
    latency: { threshold: cfg.maxLatencySlowdown, unit: 'relative slowdown (CI)' },
  } as const;
  for (const metric of ['size', 'accuracy', 'latency'] as const) {
    const ds = deltas.filter((d) => d.metric === metric);
    const compared = ds.filter((d) => d.status !== 'not-set');
    const failedItems = ds.filter((d) => d.status === 'fail' || (d.change !== null && !Number.isFinite(d.change)));
    const worst = compared.reduce<number | null>((acc, d) => {
      if (d.change === null || !Number.isFinite(d.change)) return acc;
      const bad = metric === 'accuracy' ? -d.change : d.change;
      return acc === null || bad > acc ? bad : acc;
    }, null);
    gates.push({
      name: `regression[${metric}]`,
      status: failedItems.length ? 'fail' : compared.length ? 'pass' : 'not-set',
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

export function regressionGates(ev: Evidence, cfg: GatesConfig): Gate[] {
  return ev.baseline ? regressionGatesOf(ev.baseline.deltas, cfg.regression, ev.baseline.path) : [];
}
