// determinism and consistency: inference cells must print the same top-1 class and score.
//   determinism — every pair of driver cells of one precision (threads, batch size differ) within atol;
//   consistency — the benchmark-mode cell re-run in accuracy mode (--enable_benchmark=False) within atol.
import { allclose } from '../evidence/index.js';
import type { GatesConfig } from '../params/index.js';
import type { StepResult } from '../plan/index.js';
import { failed, notSet, type Evidence, type Gate, type StepMetrics } from './types.js';

/** All cells must print the same top-1 class and a score within atol + rtol·|score| of the first cell. */
export function agreement(
  name: string,
  cells: StepResult[],
  metrics: Map<number, StepMetrics>,
  atol: number,
  rtol: number,
  what: string,
): Gate {
  const ref = cells[0];
  const a = metrics.get(ref.id)?.top1;
  if (!a || !Number.isFinite(a.score)) return failed(name, 'abs diff', atol, `no top-1 result from ${ref.name}`);
  let maxd = 0;
  const bad: string[] = [];
  for (const r of cells.slice(1)) {
    const b = metrics.get(r.id)?.top1;
    if (!b) {
      bad.push(`no top-1 result from ${r.name}`);
      continue;
    }
    const d = Math.abs(a.score - b.score);
    maxd = Number.isFinite(d) ? Math.max(maxd, d) : NaN;
    if (a.class !== b.class || !allclose(a.score, b.score, atol, rtol) || !Number.isFinite(d))
      bad.push(`${r.name}: ${b.class}/${b.score} vs ${ref.name}: ${a.class}/${a.score}`);
  }
  return {
    name,
    status: bad.length === 0 ? 'pass' : 'fail',
    value: Number.isFinite(maxd) ? maxd : null,
    threshold: atol,
    unit: 'abs diff',
    detail: bad.length ? bad.join('; ') : `${what}: ${cells.length} cells, max |Δscore| ${maxd}`,
  };
}

export function determinismGates(ev: Evidence, cfg: GatesConfig): Gate[] {
  if (!cfg.determinism.enabled) return [];
  const byPrec = new Map<string, StepResult[]>();
  for (const r of ev.results.filter((x) => x.kind === 'infer' && x.origin === 'driver' && x.status === 'pass')) {
    const p = r.cell?.precision ?? '?';
    byPrec.set(p, [...(byPrec.get(p) ?? []), r]);
  }
  const groups = [...byPrec.values()].filter((g) => g.length >= 2);
  if (!groups.length)
    return [
      notSet(
        'determinism',
        'abs diff',
        cfg.determinism.atol,
        'fewer than two inference cells of one precision ran: nothing to compare',
      ),
    ];
  const parts = groups.map((g) =>
    agreement(
      'determinism',
      g,
      ev.metrics,
      cfg.determinism.atol,
      0,
      `same-precision cells (${g[0].cell?.precision}) give equal output`,
    ),
  );
  const vals = parts.map((p) => p.value);
  return [
    {
      name: 'determinism',
      status: parts.every((p) => p.status === 'pass') ? 'pass' : 'fail',
      value: vals.every((v) => typeof v === 'number') ? Math.max(...vals) : null,
      threshold: cfg.determinism.atol,
      unit: 'abs diff',
      detail: parts.map((p) => p.detail).join('; '),
    },
  ];
}

export function consistencyGates(ev: Evidence, cfg: GatesConfig): Gate[] {
  if (!cfg.consistency.enabled) return [];
  const atol = cfg.consistency.atol;
  const re2 = ev.results.find((r) => r.role === 'consistency');
  if (!re2)
    return [
      notSet(
        'consistency',
        'abs diff',
        atol,
        'no benchmark-mode inference cell passed, so there is nothing to re-run in accuracy mode',
      ),
    ];
  const src = ev.results.find((r) => re2.reason?.includes(r.name) && r.origin === 'driver');
  const a = src ? ev.metrics.get(src.id)?.top1 : undefined;
  const b = re2.status === 'pass' ? ev.metrics.get(re2.id)?.top1 : undefined;
  const d = a && b ? Math.abs(a.score - b.score) : null;
  const ok =
    !!a && !!b && a.class === b.class && d !== null && Number.isFinite(d) && allclose(a.score, b.score, atol, 0);
  return [
    {
      name: 'consistency',
      status: ok ? 'pass' : 'fail',
      value: d !== null && Number.isFinite(d) ? d : null,
      threshold: atol,
      unit: 'abs diff',
      detail: !a
        ? `no top-1 result from the benchmark-mode cell ${src?.name ?? ''}`
        : !b
          ? `accuracy-mode re-run ${re2.status}${re2.status === 'pass' ? ' without a top-1 result' : ''} (${re2.log})`
          : `benchmark mode top-1 ${a.class}/${a.score} vs accuracy mode ${b.class}/${b.score}`,
    },
  ];
}
