// Gate evaluation over what the chain measured. Every gate ends `pass`, `fail` or `not-set`: not-set
// means there was no threshold (budget, GT file) or nothing to measure, and it is never counted as a
// pass (`--strict` makes it a failure). Sizes come from disk, everything else from the steps' chain
// records (PaddleVideo's log text only for steps that wrote none).
import path from 'node:path';
import type { GatesConfig, ChainConfig } from './gates-config.js';
import { allclose, compareValues, loadGt, precisionOf } from './compare-results.js';
import { measure, unitOf, type Measurements, type LatencyMeasure } from './measure.js';
import type { StepResult } from './runner.js';
import { ChainData } from './step-data.js';

export type GateStatus = 'pass' | 'fail' | 'not-set';

export interface Gate {
  name: string;
  status: GateStatus;
  value: number | string | null;
  threshold: number | string | null;
  unit: string;
  detail?: string;
}

export interface Artifact {
  path: string;
  bytes: number;
}

export interface StepMetrics {
  latency?: {
    inferenceMs?: number;
    p50?: number;
    p90?: number;
    p50Ci?: [number, number];
    p90Ci?: [number, number];
    batches?: number;
    source: 'records' | 'paddlevideo-log';
  };
  top1?: { class: number; score: number };
  eval?: { top1: number; top5: number };
}

export interface GateOutcome {
  gates: Gate[];
  artifacts: Artifact[];
  metrics: Map<number, StepMetrics>;
  measurements: Measurements;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const statusOf = (ok: boolean): GateStatus => (ok ? 'pass' : 'fail');

export interface EvaluateOptions {
  gates: GatesConfig;
  chain: ChainConfig;
  cwd: string;
  /** params line 29 key (`-p`): how the export command names its weights. */
  exportWeightsKey: string;
}

export function evaluateGates(results: StepResult[], o: EvaluateOptions): GateOutcome {
  const { gates: cfg, chain, cwd } = o;
  const data = new ChainData(results, cwd, chain.records === 'required');
  const ms = measure(results, data, cwd, cfg.size.artifact, o.exportWeightsKey);
  const gates: Gate[] = [];
  const artifacts: Artifact[] = [];
  const metrics = new Map<number, StepMetrics>();
  const m = (id: number) => {
    let x = metrics.get(id);
    if (!x) metrics.set(id, (x = {}));
    return x;
  };
  const driverExports = results.filter((r) => r.kind === 'export' && r.origin === 'driver');
  const units = [...new Set(driverExports.map((r) => r.dir))];
  const trainUnits = results.filter((r) => r.kind === 'train' && r.origin === 'driver').map((r) => r.dir);
  const allUnits = [...new Set([...units, ...trainUnits])];
  const multi = allUnits.length > 1;
  const named = (base: string, unit: string) => (multi ? `${base}@${path.posix.basename(unit)}` : base);

  // Records: every step of ours left valid records (and none is malformed, whatever the policy).
  const problems = data.problems();
  if (chain.records === 'required' || problems.length) {
    const n = [...data.byId.values()].reduce((a, d) => a + (d.records?.length ?? 0), 0);
    gates.push({
      name: 'records',
      status: statusOf(problems.length === 0),
      value: n,
      threshold: chain.records === 'required' ? 'every passed step' : 'no malformed line',
      unit: 'records',
      detail: problems.length
        ? problems.slice(0, 6).join('; ')
        : `${n} valid chain records from ${data.byId.size} steps`,
    });
  }

  // Size: every export of the model (the driver's and our extra precisions), same budget.
  const exportsAll = results.filter((r) => r.kind === 'export' && r.role !== 'reference-export');
  for (const r of exportsAll) {
    const p = r.precision ?? 'fp32';
    const name = named(r.origin === 'driver' ? 'size' : `size[${p}]`, unitOf(r));
    const sm = ms.sizes.find((s) => s.dir === r.dir && s.role !== 'reference');
    if (r.status !== 'pass' || !sm) {
      gates.push({
        name,
        status: 'fail',
        value: null,
        threshold: cfg.size.maxBytes,
        unit: 'B',
        detail:
          r.status !== 'pass'
            ? `export ${r.status}: nothing to measure in ${r.dir}`
            : `no file matching ${cfg.size.artifact} in ${r.dir}`,
      });
      continue;
    }
    for (const [f, bytes] of Object.entries(sm.files)) artifacts.push({ path: `${r.dir}/${f}`, bytes });
    const rec = data.last(r.id, 'export');
    const mismatch = rec
      ? Object.entries(rec.files).filter(([f, b]) => sm.files[f] !== undefined && sm.files[f] !== b)
      : [];
    const ok = sm.totalBytes <= cfg.size.maxBytes && mismatch.length === 0;
    gates.push({
      name,
      status: statusOf(ok),
      value: sm.totalBytes,
      threshold: cfg.size.maxBytes,
      unit: 'B',
      detail:
        `artifact ${r.dir}/${cfg.size.artifact} (${Object.entries(sm.files)
          .map(([f, b]) => `${f} ${b} B`)
          .join(
            ' + ',
          )}) = ${sm.totalBytes} B ${sm.totalBytes <= cfg.size.maxBytes ? '≤' : '>'} ${cfg.size.maxBytes} B` +
        (mismatch.length
          ? `; the export record disagrees with the disk: ${mismatch.map(([f, b]) => `${f} ${b} B recorded`).join(', ')}`
          : ''),
    });
  }

  // Accuracy: the shipped model (fp32 export when the chain evaluates exports, else the checkpoint),
  // the checkpoint beside it, and quantised exports relative to fp32.
  const minTop1 = cfg.accuracy.minTop1;
  const thresholdGate = (name: string, value: number | null, what: string, missing: string): Gate =>
    value === null
      ? {
          name,
          status: missing ? 'fail' : 'not-set',
          value: null,
          threshold: minTop1,
          unit: 'top1',
          detail: missing || `nothing measured (${what})`,
        }
      : minTop1 === null
        ? {
            name,
            status: 'not-set',
            value,
            threshold: null,
            unit: 'top1',
            detail: `${what}: top-1 ${value}; no gates.accuracy.minTop1 set`,
          }
        : {
            name,
            status: statusOf(value >= minTop1),
            value,
            threshold: minTop1,
            unit: 'top1',
            detail: `${what}: top-1 ${value} ${value >= minTop1 ? '≥' : '<'} ${minTop1}`,
          };
  for (const unit of allUnits) {
    const ev = results.find((r) => r.kind === 'eval' && r.origin === 'driver' && r.dir === unit);
    const arts = results.filter((r) => r.role === 'artifact-eval' && r.unit === unit);
    const ckpt = ms.accuracy.find((a) => a.unit === unit && a.model === 'checkpoint');
    if (ev && ckpt) m(ev.id).eval = { top1: ckpt.top1, top5: ckpt.top5 };
    const why = (r: StepResult | undefined, what: string) =>
      !r
        ? ''
        : r.status !== 'pass'
          ? `${what} ${r.status}${r.reason ? ` (${r.reason})` : ''}`
          : `no accuracy in ${data.get(r.id)?.records ? `the records of ${r.name} (${r.records})` : r.stdout}`;
    const ckptWhat = `checkpoint ${ckpt?.path ?? ''} (${ckpt?.source === 'paddlevideo-log' ? "eval log's [TEST] finished line" : 'eval record'})`;
    if (!arts.length) {
      if (ev) gates.push(thresholdGate(named('accuracy', unit), ckpt?.top1 ?? null, ckptWhat, why(ev, 'eval')));
      continue;
    }
    const fp32Step = arts.find((r) => r.precision === 'fp32');
    const fp32 = ms.accuracy.find((a) => a.unit === unit && a.model === 'fp32');
    gates.push(
      thresholdGate(
        named('accuracy', unit),
        fp32?.top1 ?? null,
        `exported model ${fp32?.path ?? ''} on ${fp32?.samples ?? '?'} samples (onnxruntime)`,
        why(fp32Step, 'eval of the fp32 export'),
      ),
    );
    if (ev)
      gates.push(thresholdGate(named('accuracy[checkpoint]', unit), ckpt?.top1 ?? null, ckptWhat, why(ev, 'eval')));
    for (const r of arts.filter((x) => x.precision !== 'fp32')) {
      const p = r.precision!;
      const a = ms.accuracy.find((x) => x.unit === unit && x.model === p);
      const name = named(`accuracy[${p}]`, unit);
      const ratio = cfg.accuracy.quantizedMinRatio;
      if (!a || !fp32) {
        gates.push({
          name,
          status: 'fail',
          value: a?.top1 ?? null,
          threshold: `≥ ${ratio} × fp32`,
          unit: 'top1',
          detail: !a ? why(r, `eval of the ${p} export`) : 'no fp32 accuracy to compare with',
        });
        continue;
      }
      const need = ratio * fp32.top1;
      const agree =
        a.agreementWithFp32 !== undefined
          ? `; top-1 agrees with fp32 on ${pct(a.agreementWithFp32)} of samples (${a.changedVsFp32} changed)`
          : '';
      gates.push({
        name,
        status: statusOf(a.top1 >= need),
        value: a.top1,
        threshold: Number(need.toFixed(6)),
        unit: 'top1',
        detail: `${p} export ${a.path}: top-1 ${a.top1} ${a.top1 >= need ? '≥' : '<'} ${ratio} × fp32 ${fp32.top1}${agree}`,
      });
    }
  }

  // Training: the last validation top-1 of each training run.
  for (const t of results.filter((x) => x.kind === 'train' && x.origin === 'driver')) {
    const name = named('training', t.dir);
    const tm = ms.training.find((x) => x.unit === t.dir);
    const last = tm?.lastValTop1 ?? null;
    const lim = cfg.training.minValTop1;
    gates.push(
      last === null
        ? {
            name,
            status: t.status !== 'pass' ? 'fail' : 'not-set',
            value: null,
            threshold: lim,
            unit: 'top1',
            detail:
              t.status !== 'pass' ? `train ${t.status}` : `no validation record from ${t.name} (train with --validate)`,
          }
        : lim === null
          ? {
              name,
              status: 'not-set',
              value: last,
              threshold: null,
              unit: 'top1',
              detail: `final validation top-1 ${last}; no gates.training.minValTop1 set`,
            }
          : {
              name,
              status: statusOf(last >= lim),
              value: last,
              threshold: lim,
              unit: 'top1',
              detail: `final validation top-1 ${last} ${last >= lim ? '≥' : '<'} ${lim}`,
            },
    );
  }

  // Provenance: the exported model came from the checkpoint training selected, and the model evaluated
  // is the file that ships.
  for (const c of ms.certified) {
    const exp = results.find((x) => x.kind === 'export' && x.origin === 'driver' && x.dir === c.unit);
    const rec = exp ? data.last(exp.id, 'export') : undefined;
    const name = named('provenance', c.unit);
    if (c.rule === 'driver' || !rec) {
      gates.push({
        name,
        status: 'not-set',
        value: null,
        threshold: 'export of the selected checkpoint',
        unit: '',
        detail:
          c.rule === 'driver'
            ? 'training recorded no checkpoint selection'
            : `no export record from ${exp?.name ?? 'the export'}`,
      });
      continue;
    }
    const problemsP: string[] = [];
    if (rec.source.sha256 !== c.sha256)
      problemsP.push(
        `the export was made from ${rec.source.weights} (sha256 ${rec.source.sha256.slice(0, 12)}…), not from the selected ${c.checkpoint} (${c.sha256?.slice(0, 12)}…)`,
      );
    const evaluated = ms.accuracy.find((a) => a.unit === c.unit && a.model === 'fp32');
    if (evaluated?.sha256 && c.artifactSha256 && evaluated.sha256 !== c.artifactSha256)
      problemsP.push(`the evaluated ${evaluated.path} differs from the file on disk now`);
    gates.push({
      name,
      status: statusOf(problemsP.length === 0),
      value: c.rule,
      threshold: 'export of the selected checkpoint',
      unit: '',
      detail: problemsP.length ? problemsP.join('; ') : `${c.checkpoint} (${c.reason}) → ${rec.dir}`,
    });
  }

  // Per-cell metrics for the report.
  const inferOk = results.filter((r) => r.kind === 'infer' && r.status === 'pass');
  for (const r of inferOk) {
    const t = data.top1(r.id);
    if (t) m(r.id).top1 = { class: t.class, score: t.score };
    const l = data.latencyOf(r.id);
    if (l) {
      const i = l.record?.inference_ms;
      m(r.id).latency = {
        inferenceMs: l.inferenceMs,
        source: l.source,
        ...(i ? { p50: i.p50, p90: i.p90, p50Ci: i.p50_ci, p90Ci: i.p90_ci, batches: l.record!.batches } : {}),
      };
    }
  }

  gates.push(...latencyGates(results, ms, cfg, chain, metrics, named));
  gates.push(...goldenGates(results, data, cfg, cwd));

  const driverCells = inferOk.filter((r) => r.origin === 'driver');
  if (cfg.determinism.enabled) {
    const byPrec = new Map<string, StepResult[]>();
    for (const r of driverCells) {
      const p = r.cell?.precision ?? '?';
      byPrec.set(p, [...(byPrec.get(p) ?? []), r]);
    }
    const groups = [...byPrec.values()].filter((g) => g.length >= 2);
    if (!groups.length)
      gates.push({
        name: 'determinism',
        status: 'not-set',
        value: null,
        threshold: cfg.determinism.atol,
        unit: 'abs diff',
        detail: 'fewer than two inference cells of one precision ran: nothing to compare',
      });
    else {
      const parts = groups.map((g) =>
        agreement(
          'determinism',
          g,
          metrics,
          cfg.determinism.atol,
          0,
          `same-precision cells (${g[0].cell?.precision}) give equal output`,
        ),
      );
      gates.push({
        name: 'determinism',
        status: parts.every((p) => p.status === 'pass') ? 'pass' : 'fail',
        value: parts.every((p) => typeof p.value === 'number')
          ? Math.max(...parts.map((p) => p.value as number))
          : null,
        threshold: cfg.determinism.atol,
        unit: 'abs diff',
        detail: parts.map((p) => p.detail).join('; '),
      });
    }
  }

  if (cfg.consistency.enabled) {
    const re2 = results.find((r) => r.role === 'consistency');
    if (!re2)
      gates.push({
        name: 'consistency',
        status: 'not-set',
        value: null,
        threshold: cfg.consistency.atol,
        unit: 'abs diff',
        detail: 'no benchmark-mode inference cell passed, so there is nothing to re-run in accuracy mode',
      });
    else {
      const src = results.find((r) => re2.reason?.includes(r.name) && r.origin === 'driver');
      const a = src ? metrics.get(src.id)?.top1 : undefined;
      const b = re2.status === 'pass' ? metrics.get(re2.id)?.top1 : undefined;
      const ok = !!a && !!b && a.class === b.class && allclose(a.score, b.score, cfg.consistency.atol, 0);
      gates.push({
        name: 'consistency',
        status: statusOf(ok),
        value: a && b ? Math.abs(a.score - b.score) : null,
        threshold: cfg.consistency.atol,
        unit: 'abs diff',
        detail: !a
          ? `no top-1 result from the benchmark-mode cell ${src?.name ?? ''}`
          : !b
            ? `accuracy-mode re-run ${re2.status}${re2.status === 'pass' ? ' without a top-1 result' : ''} (${re2.log})`
            : `benchmark mode top-1 ${a.class}/${a.score} vs accuracy mode ${b.class}/${b.score}`,
      });
    }
  }
  return { gates, artifacts, metrics, measurements: ms };
}

function ciText(l: LatencyMeasure): string {
  return `p50 ${l.p50} ms [${l.p50Ci.join(', ')}], p90 ${l.p90} ms [${l.p90Ci.join(', ')}] (${l.confidence * 100} % CI, ${l.batches} batches${l.ciExact ? '' : ', too few for the CI'})`;
}

function latencyGates(
  results: readonly StepResult[],
  ms: Measurements,
  cfg: GatesConfig,
  chain: ChainConfig,
  metrics: Map<number, StepMetrics>,
  named: (base: string, unit: string) => string,
): Gate[] {
  const out: Gate[] = [];
  const L = cfg.latency;
  const ref = ms.latency.find((l) => l.target === 'reference' && l.device === 'cpu');
  const benches = results.filter((r) => r.role === 'latency' && r.target === 'trained' && r.cell?.device !== 'gpu');
  const units = [...new Set(results.filter((r) => r.kind === 'export' && r.origin === 'driver').map((r) => r.dir))];
  for (const unit of units) {
    const bench = benches.find((r) => r.unit === unit);
    const lm = ms.latency.find((l) => l.unit === unit && l.target === 'trained' && l.device === 'cpu');
    const name = named('latency', unit);
    // Relative budget: same-run reference model.
    if (L.maxRatioP50 !== null) {
      if (!chain.reference || !chain.benchmark) {
        out.push({
          name,
          status: 'not-set',
          value: null,
          threshold: L.maxRatioP50,
          unit: '× reference p50',
          detail: 'gates.latency.maxRatioP50 needs chain.reference and chain.benchmark',
        });
      } else if (!lm || !ref) {
        const refStep = results.find(
          (r) => r.role === 'latency' && r.target === 'reference' && r.cell?.device !== 'gpu',
        );
        out.push({
          name,
          status: 'fail',
          value: null,
          threshold: L.maxRatioP50,
          unit: '× reference p50',
          detail: [
            !lm
              ? `model benchmark ${bench ? `${bench.status}${bench.reason ? ` (${bench.reason})` : ''}` : 'did not run (no passed fp32 CPU cell)'}`
              : '',
            !ref
              ? `reference benchmark ${refStep ? `${refStep.status}${refStep.reason ? ` (${refStep.reason})` : ''}` : 'did not run'}`
              : '',
          ]
            .filter(Boolean)
            .join('; '),
        });
      } else {
        const ratio = lm.p50 / ref.p50;
        const lo = lm.p50Ci[0] / ref.p50Ci[1];
        const hi = lm.p50Ci[1] / ref.p50Ci[0];
        out.push({
          name,
          status: statusOf(ratio <= L.maxRatioP50),
          value: Number(ratio.toFixed(4)),
          threshold: L.maxRatioP50,
          unit: '× reference p50',
          detail: `model ${ciText(lm)} vs reference ${chain.reference.name} ${ciText(ref)}: ratio ${ratio.toFixed(3)} (CI ${lo.toFixed(3)}–${hi.toFixed(3)}) ${ratio <= L.maxRatioP50 ? '≤' : '>'} ${L.maxRatioP50}`,
        });
      }
    }
    // Absolute budget (an option): the benchmark's p50, else the worst driver cell's mean.
    if (L.maxInferenceMs !== null) {
      const lim = L.maxInferenceMs;
      const cells = results.filter(
        (r) => r.kind === 'infer' && r.origin === 'driver' && r.status === 'pass' && r.dir === unit,
      );
      const worst = cells.reduce<{ ms: number; r: StepResult } | null>((acc, r) => {
        const v = metrics.get(r.id)?.latency?.inferenceMs;
        return v !== undefined && (!acc || v > acc.ms) ? { ms: v, r } : acc;
      }, null);
      const v = lm ? lm.p50 : (worst?.ms ?? null);
      out.push({
        name: `${name}[abs]`,
        status: v === null ? (cells.length ? 'fail' : 'not-set') : statusOf(v <= lim),
        value: v,
        threshold: lim,
        unit: 'ms',
        detail:
          v === null
            ? cells.length
              ? `no latency report from ${cells.map((r) => r.name).join(', ')}`
              : 'no inference cell ran'
            : lm
              ? `benchmark ${ciText(lm)} ${v <= lim ? '≤' : '>'} ${lim} ms (p50)`
              : `worst mean inference_time(ms) over ${cells.length} cell(s): ${v} (${worst!.r.name}) ${v <= lim ? '≤' : '>'} ${lim} ms`,
      });
    }
    if (L.maxRatioP50 === null && L.maxInferenceMs === null)
      out.push({
        name,
        status: 'not-set',
        value: lm ? lm.p50 : null,
        threshold: null,
        unit: 'ms',
        detail: `no latency budget set (gates.latency.maxRatioP50 or maxInferenceMs)${lm ? `; measured ${ciText(lm)}` : ''}`,
      });
  }
  return out;
}

function goldenGates(results: readonly StepResult[], data: ChainData, cfg: GatesConfig, cwd: string): Gate[] {
  const G = cfg.golden;
  const thr = `atol ${G.atol}, rtol ${G.rtol}`;
  if (!G.gtFile)
    return [
      {
        name: 'golden',
        status: 'not-set',
        value: null,
        threshold: thr,
        unit: 'abs diff',
        detail:
          'no GT file configured (gates.golden.gtFile; `ctrgcn tipc golden PARAMS` writes one from the reference model)',
      },
    ];
  const gt = loadGt(G.gtFile, cwd);
  const fp32 = gt.get('fp32');
  if (!fp32)
    return [
      {
        name: 'golden',
        status: 'fail',
        value: null,
        threshold: thr,
        unit: 'abs diff',
        detail: `no fp32 GT file matches ${G.gtFile} (write it with \`ctrgcn tipc golden PARAMS\`)`,
      },
    ];
  // Which outputs are compared: the reference model's (pinned weights) or the driver's cells.
  const cells =
    G.model === 'reference'
      ? results.filter((r) => r.role === 'latency' && r.target === 'reference' && r.cell?.device !== 'gpu')
      : results.filter((r) => r.kind === 'infer' && r.origin === 'driver' && r.status === 'pass');
  const msgs: string[] = [];
  let pass = true;
  let maxd = 0;
  let n = 0;
  for (const r of cells) {
    if (r.status !== 'pass') {
      pass = false;
      msgs.push(`${r.name} ${r.status}`);
      continue;
    }
    const prec = G.model === 'reference' ? 'fp32' : precisionOf(r.log);
    const g = prec ? gt.get(prec) : undefined;
    if (!g) continue;
    n++;
    const c = compareValues(
      new Map([...fp32.keys()].map((k) => [k, g.get(k) ?? fp32.get(k)!])),
      data.predictKeys(r.id, fp32.keys()),
      G.atol,
      G.rtol,
      r.name,
    );
    pass &&= c.pass;
    maxd = Math.max(maxd, c.maxAbsDiff);
    msgs.push(...c.messages);
  }
  return [
    {
      name: 'golden',
      status: n === 0 ? 'fail' : statusOf(pass),
      value: n ? maxd : null,
      threshold: thr,
      unit: 'abs diff',
      detail: n
        ? msgs.length
          ? msgs.join('; ')
          : `${n} output(s) of the ${G.model === 'reference' ? 'reference model' : 'inference cells'} consistent with ${G.gtFile}`
        : msgs.length
          ? msgs.join('; ')
          : `no ${G.model === 'reference' ? 'reference-model benchmark' : 'inference cell'} with a matching GT precision`,
    },
  ];
}

/** All cells must print the same top-1 class and scores within atol + rtol·|score| of the first cell. */
function agreement(
  name: string,
  cells: StepResult[],
  metrics: Map<number, StepMetrics>,
  atol: number,
  rtol: number,
  what: string,
): Gate {
  const ref = cells[0];
  const a = metrics.get(ref.id)?.top1;
  if (!a)
    return {
      name,
      status: 'fail',
      value: null,
      threshold: atol,
      unit: 'abs diff',
      detail: `no top-1 result from ${ref.name}`,
    };
  let maxd = 0;
  const bad: string[] = [];
  for (const r of cells.slice(1)) {
    const b = metrics.get(r.id)?.top1;
    if (!b) {
      bad.push(`no top-1 result from ${r.name}`);
      continue;
    }
    maxd = Math.max(maxd, Math.abs(a.score - b.score));
    if (a.class !== b.class || !allclose(a.score, b.score, atol, rtol))
      bad.push(`${r.name}: ${b.class}/${b.score} vs ${ref.name}: ${a.class}/${a.score}`);
  }
  return {
    name,
    status: statusOf(bad.length === 0),
    value: maxd,
    threshold: atol,
    unit: 'abs diff',
    detail: bad.length ? bad.join('; ') : `${what}: ${cells.length} cells, max |Δscore| ${maxd}`,
  };
}
