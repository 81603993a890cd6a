// latency: the model against the reference model timed in the same run (gates.latency.maxRatioP50),
// judged on the confidence intervals, not on the point p50s: the model's p50 upper bound ÷ the
// reference's p50 lower bound must be within the budget — the slowest ratio the two intervals allow
// (at 95 % each, the ratio's own confidence is at least 90 %). A p50 or bound ≤ 0 (no real timing), or a
// benchmark with too few queries for an exact interval, fails. An optional absolute budget
// (maxInferenceMs) is judged on the benchmark's p50 upper bound, else on the worst cell's mean.
import type { GatesConfig } from '../params/index.js';
import type { LatencyMeasure } from '../evidence/index.js';
import { failed, notSet, verdict, type Evidence, type Gate } from './types.js';

export function ciText(l: LatencyMeasure): string {
  return `p50 ${l.p50} ms [${l.p50Ci.join(', ')}], p90 ${l.p90} ms [${l.p90Ci.join(', ')}] (${l.confidence * 100} % CI, ${l.batches} batches${l.ciExact ? '' : ', too few for the CI'})`;
}

/** Why a benchmark cannot be judged on its interval, or null when it can. */
export function unusable(l: LatencyMeasure, who: string): string | null {
  const nums = [l.p50, ...l.p50Ci];
  if (!nums.every(Number.isFinite)) return `${who}: p50 ${l.p50} [${l.p50Ci.join(', ')}] is not a finite timing`;
  if (l.p50 <= 0 || l.p50Ci[0] <= 0) return `${who}: p50 ${l.p50} ms, lower bound ${l.p50Ci[0]} ms: not a real timing`;
  if (l.p50Ci[0] > l.p50Ci[1]) return `${who}: p50 interval [${l.p50Ci.join(', ')}] is inverted`;
  if (!l.ciExact)
    return `${who}: ${l.batches} timed queries are too few for an exact ${l.confidence * 100} % interval of the p50`;
  return null;
}

export function latencyGates(ev: Evidence, cfg: GatesConfig): Gate[] {
  const out: Gate[] = [];
  const L = cfg.latency;
  const { results, ms, chain } = ev;
  const ref = ms.latency.find((l) => l.target === 'reference' && l.device === 'cpu');
  const benches = results.filter((r) => r.role === 'latency' && r.target === 'trained' && r.cell?.device !== 'gpu');
  const units = [...new Set(results.filter((r) => r.kind === 'export' && r.origin === 'driver').map((r) => r.dir))];
  const unitName = '× reference p50 (CI bound ratio)';
  for (const unit of units) {
    const bench = benches.find((r) => r.unit === unit);
    const lm = ms.latency.find((l) => l.unit === unit && l.target === 'trained' && l.device === 'cpu');
    const name = ev.named('latency', unit);
    if (L.maxRatioP50 === null) {
      if (L.maxInferenceMs === null)
        out.push(
          notSet(
            name,
            unitName,
            null,
            `no latency budget set (gates.latency.maxRatioP50 or maxInferenceMs)${lm ? `; measured ${ciText(lm)}` : ''}`,
          ),
        );
    } else if (!chain.reference || !chain.benchmark) {
      out.push(
        notSet(name, unitName, L.maxRatioP50, 'gates.latency.maxRatioP50 needs chain.reference and chain.benchmark'),
      );
    } else if (!lm || !ref) {
      const refStep = results.find((r) => r.role === 'latency' && r.target === 'reference' && r.cell?.device !== 'gpu');
      out.push(
        failed(
          name,
          unitName,
          L.maxRatioP50,
          [
            !lm
              ? `model benchmark ${bench ? `${bench.status}${bench.reason ? ` (${bench.reason})` : ''}` : 'did not run (no passed fp32 CPU cell)'}`
              : '',
            !ref
              ? `reference benchmark ${refStep ? `${refStep.status}${refStep.reason ? ` (${refStep.reason})` : ''}` : 'did not run'}`
              : '',
          ]
            .filter(Boolean)
            .join('; '),
        ),
      );
    } else {
      const bad = unusable(lm, 'model') ?? unusable(ref, `reference ${chain.reference.name}`);
      if (bad)
        out.push(failed(name, unitName, L.maxRatioP50, `${bad}; model ${ciText(lm)} vs reference ${ciText(ref)}`));
      else {
        const hi = lm.p50Ci[1] / ref.p50Ci[0];
        const point = lm.p50 / ref.p50;
        const lo = lm.p50Ci[0] / ref.p50Ci[1];
        out.push(
          verdict({
            name,
            unit: unitName,
            value: Number(hi.toFixed(4)),
            threshold: L.maxRatioP50,
            cmp: '≤',
            key: 'gates.latency.maxRatioP50',
            what: `model ${ciText(lm)} vs reference ${chain.reference.name} ${ciText(ref)}, same run: model p50 upper bound ÷ reference p50 lower bound`,
            note: `point ratio ${point.toFixed(3)}, ratio interval ${lo.toFixed(3)}–${hi.toFixed(3)}`,
          }),
        );
      }
    }
    if (L.maxInferenceMs !== null) {
      const lim = L.maxInferenceMs;
      const cells = results.filter(
        (r) => r.kind === 'infer' && r.origin === 'driver' && r.status === 'pass' && r.dir === unit,
      );
      const worst = cells.reduce<{ ms: number; name: string } | null>((acc, r) => {
        const v = ev.metrics.get(r.id)?.latency?.inferenceMs;
        return v !== undefined && (!acc || v > acc.ms) ? { ms: v, name: r.name } : acc;
      }, null);
      const bad = lm ? unusable(lm, 'model') : null;
      if (bad) out.push(failed(`${name}[abs]`, 'ms', lim, bad));
      else
        out.push(
          verdict({
            name: `${name}[abs]`,
            unit: 'ms',
            value: lm ? lm.p50Ci[1] : (worst?.ms ?? null),
            threshold: lim,
            cmp: '≤',
            key: 'gates.latency.maxInferenceMs',
            what: lm
              ? `benchmark ${ciText(lm)}: p50 upper bound in ms`
              : `worst mean inference_time(ms) over ${cells.length} cell(s)${worst ? ` (${worst.name})` : ''}`,
            failure:
              !lm && !worst && cells.length
                ? `no latency report from ${cells.map((r) => r.name).join(', ')}`
                : undefined,
          }),
        );
    }
  }
  return out;
}
