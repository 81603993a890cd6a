// Gate evaluation over what the chain left on disk: export-dir sizes, the eval accuracy line, predict
// latency reports, predict outputs (golden / determinism / perf-vs-accuracy-mode consistency).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { GatesConfig } from './gates-config.js';
import { allclose, compareValues, loadGt, parseLogForKeys, precisionOf } from './compare.js';
import {
  parseEvalLog,
  parseLatencyLog,
  parseMetricsJsonl,
  parsePredictLog,
  type LatencyReport,
  type PredictBlock,
} from './log-parse.js';
import type { StepResult } from './runner.js';

export interface Gate {
  name: string;
  value: number | string | null;
  threshold: number | string | null;
  unit: string;
  pass: boolean;
  detail?: string;
}

export interface Artifact {
  path: string;
  bytes: number;
}

export interface StepMetrics {
  latency?: LatencyReport;
  top1?: { class: number; score: number };
  eval?: { top1: number; top5: number };
}

export interface GateOutcome {
  gates: Gate[];
  artifacts: Artifact[];
  metrics: Map<number, StepMetrics>;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function globRe(pattern: string): RegExp {
  return new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
}

function benchmarkOn(r: StepResult): boolean {
  return r.argv.some((a) => /^--enable_benchmark=(true|t|1)$/i.test(a));
}

export function evaluateGates(results: StepResult[], cfg: GatesConfig, cwd: string): GateOutcome {
  const abs = (p: string) => path.resolve(cwd, p);
  const gates: Gate[] = [];
  const artifacts: Artifact[] = [];
  const metrics = new Map<number, StepMetrics>();
  const m = (id: number) => {
    let x = metrics.get(id);
    if (!x) metrics.set(id, (x = {}));
    return x;
  };

  // Size: every file matching the artifact pattern in each export's output dir.
  const exportsRun = results.filter((r) => r.kind === 'export' && r.origin === 'driver');
  const re = globRe(cfg.size.artifact);
  const multi = new Set(exportsRun.map((r) => r.dir)).size > 1;
  for (const dir of [...new Set(exportsRun.map((r) => r.dir))]) {
    const ex = exportsRun.find((r) => r.dir === dir)!;
    const name = multi ? `size[${path.basename(dir)}]` : 'size';
    if (ex.status !== 'pass') {
      gates.push({
        name,
        value: null,
        threshold: cfg.size.maxBytes,
        unit: 'B',
        pass: false,
        detail: `export ${ex.status}: no ${cfg.size.artifact} to measure in ${dir}`,
      });
      continue;
    }
    let files: string[];
    try {
      files = readdirSync(abs(dir))
        .filter((f) => re.test(f) && statSync(path.join(abs(dir), f)).isFile())
        .sort();
    } catch {
      files = [];
    }
    let total = 0;
    for (const f of files) {
      const bytes = statSync(path.join(abs(dir), f)).size;
      total += bytes;
      artifacts.push({ path: `${dir}/${f}`, bytes });
    }
    if (!files.length)
      gates.push({
        name,
        value: null,
        threshold: cfg.size.maxBytes,
        unit: 'B',
        pass: false,
        detail: `no file matching ${cfg.size.artifact} in ${dir}`,
      });
    else
      gates.push({
        name,
        value: total,
        threshold: cfg.size.maxBytes,
        unit: 'B',
        pass: total <= cfg.size.maxBytes,
        detail: `artifact ${dir}/${cfg.size.artifact} (${files.join(' + ')}) = ${total} B ${total <= cfg.size.maxBytes ? '≤' : '>'} ${cfg.size.maxBytes} B`,
      });
  }

  // Accuracy: the eval step's final line.
  for (const r of results.filter((x) => x.kind === 'eval')) {
    const name = results.filter((x) => x.kind === 'eval').length > 1 ? `accuracy[${r.name.slice(5)}]` : 'accuracy';
    const text = r.status === 'pass' ? readText(abs(r.stdout)) : null;
    const ev = text ? parseEvalLog(text) : null;
    if (ev) m(r.id).eval = ev;
    if (!ev)
      gates.push({
        name,
        value: null,
        threshold: cfg.accuracy.minTop1,
        unit: 'top1',
        pass: false,
        detail: r.status === 'pass' ? `no "[TEST] finished, avg_acc1= …" line in ${r.stdout}` : `eval ${r.status}`,
      });
    else
      gates.push({
        name,
        value: ev.top1,
        threshold: cfg.accuracy.minTop1,
        unit: 'top1',
        pass: ev.top1 >= cfg.accuracy.minTop1,
        detail: `avg_acc1=${ev.top1} avg_acc5=${ev.top5} (≥ ${cfg.accuracy.minTop1} required)`,
      });
  }

  // Training: the last validation top-1 of each training run (the final model; the eval step above
  // measures the epoch-1 checkpoint, which is what the driver hands to eval and export).
  if (cfg.training.minValTop1 !== null) {
    const trains = results.filter((x) => x.kind === 'train' && x.origin === 'driver');
    for (const r of trains) {
      const name = trains.length > 1 ? `training[${r.name.slice(6)}]` : 'training';
      const file = `${r.dir}/metrics.jsonl`;
      const text = r.status === 'pass' ? readText(abs(file)) : null;
      const vals = text ? parseMetricsJsonl(text).filter((p) => typeof p.val_top1 === 'number') : [];
      const last = vals.length ? vals[vals.length - 1].val_top1! : null;
      gates.push({
        name,
        value: last,
        threshold: cfg.training.minValTop1,
        unit: 'top1',
        pass: last !== null && last >= cfg.training.minValTop1,
        detail:
          last === null
            ? r.status === 'pass'
              ? `no val_top1 record in ${file} (train with --validate)`
              : `train ${r.status}`
            : `final val_top1=${last} from ${file} (≥ ${cfg.training.minValTop1} required)`,
      });
    }
  }

  // Predict outputs and latency of every cell that ran.
  const inferOk = results.filter((r) => r.kind === 'infer' && r.status === 'pass');
  const blocks = new Map<number, PredictBlock[]>();
  const texts = new Map<number, string>();
  for (const r of inferOk) {
    const text = readText(abs(r.stdout)) ?? '';
    texts.set(r.id, text);
    const b = parsePredictLog(text);
    blocks.set(r.id, b);
    if (b.length && b[b.length - 1].classes[0] !== undefined)
      m(r.id).top1 = { class: b[b.length - 1].classes[0], score: b[b.length - 1].scores[0] };
    const lat = parseLatencyLog(text);
    if (lat) m(r.id).latency = lat;
  }
  const benchCells = inferOk.filter((r) => r.origin === 'driver' && benchmarkOn(r));
  if (benchCells.length) {
    const missing = benchCells.filter((r) => metrics.get(r.id)?.latency?.inferenceMs === undefined);
    const worst = benchCells.reduce<{ ms: number; r: StepResult } | null>((acc, r) => {
      const ms = metrics.get(r.id)?.latency?.inferenceMs;
      return ms !== undefined && (!acc || ms > acc.ms) ? { ms, r } : acc;
    }, null);
    const lim = cfg.latency.maxInferenceMs;
    gates.push({
      name: 'latency',
      value: worst ? worst.ms : null,
      threshold: lim,
      unit: 'ms',
      pass: missing.length === 0 && (lim === null || (worst !== null && worst.ms <= lim)),
      detail: missing.length
        ? `no latency report (inference_time(ms)) in ${missing.map((r) => r.stdout).join(', ')}`
        : `worst inference_time(ms) over ${benchCells.length} cell(s): ${worst?.ms} (${worst?.r.name})${lim === null ? '; no budget set' : ''}`,
    });
  }

  // Golden: against GT files, else CPU cells against each other.
  const driverCells = inferOk.filter((r) => r.origin === 'driver');
  if (cfg.golden.gtFile) {
    const gt = loadGt(cfg.golden.gtFile, cwd);
    const fp32 = gt.get('fp32');
    if (!fp32)
      gates.push({
        name: 'golden',
        value: null,
        threshold: `atol ${cfg.golden.atol}, rtol ${cfg.golden.rtol}`,
        unit: '',
        pass: false,
        detail: `no fp32 GT file matches ${cfg.golden.gtFile}`,
      });
    else {
      const msgs: string[] = [];
      let pass = true;
      let maxd = 0;
      let n = 0;
      for (const r of driverCells) {
        const prec = precisionOf(r.log);
        const g = prec ? gt.get(prec) : undefined;
        if (!g) continue;
        n++;
        const c = compareValues(
          new Map([...fp32.keys()].map((k) => [k, g.get(k) ?? fp32.get(k)!])),
          parseLogForKeys(texts.get(r.id) ?? '', fp32.keys()),
          cfg.golden.atol,
          cfg.golden.rtol,
          r.name,
        );
        pass &&= c.pass;
        maxd = Math.max(maxd, c.maxAbsDiff);
        msgs.push(...c.messages);
      }
      gates.push({
        name: 'golden',
        value: n ? maxd : null,
        threshold: `atol ${cfg.golden.atol}, rtol ${cfg.golden.rtol}`,
        unit: 'abs diff',
        pass: pass && n > 0,
        detail: n
          ? msgs.length
            ? msgs.join('; ')
            : `${n} cell(s) consistent with ${cfg.golden.gtFile}`
          : 'no cell with a matching GT precision',
      });
    }
  } else {
    const cpu = driverCells.filter((r) => r.cell?.device === 'cpu');
    if (cpu.length >= 2)
      gates.push(
        agreement(
          'golden',
          cpu,
          metrics,
          cfg.golden.atol,
          cfg.golden.rtol,
          'CPU cells agree with each other (no GT file configured)',
        ),
      );
  }

  if (cfg.determinism.enabled) {
    const byPrec = new Map<string, StepResult[]>();
    for (const r of driverCells) {
      const p = r.cell?.precision ?? '?';
      byPrec.set(p, [...(byPrec.get(p) ?? []), r]);
    }
    const groups = [...byPrec.values()].filter((g) => g.length >= 2);
    if (groups.length) {
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
        value: Math.max(...parts.map((p) => (typeof p.value === 'number' ? p.value : Infinity))),
        threshold: cfg.determinism.atol,
        unit: 'abs diff',
        pass: parts.every((p) => p.pass),
        detail: parts.map((p) => p.detail).join('; '),
      });
    }
  }

  if (cfg.consistency.enabled) {
    const re2 = results.find((r) => r.origin === 'runner' && r.name.startsWith('infer:accuracy_mode'));
    if (re2) {
      const src = results.find((r) => re2.reason?.includes(r.name) && r.origin === 'driver');
      const a = src ? metrics.get(src.id)?.top1 : undefined;
      const b = re2.status === 'pass' ? metrics.get(re2.id)?.top1 : undefined;
      const ok = !!a && !!b && a.class === b.class && allclose(a.score, b.score, cfg.consistency.atol, 0);
      gates.push({
        name: 'consistency',
        value: a && b ? Math.abs(a.score - b.score) : null,
        threshold: cfg.consistency.atol,
        unit: 'abs diff',
        pass: ok,
        detail: !a
          ? `no top-1 lines in the benchmark-mode log ${src?.stdout ?? ''}`
          : !b
            ? `accuracy-mode re-run ${re2.status}${re2.status === 'pass' ? ' without top-1 lines' : ''} (${re2.log})`
            : `benchmark mode top-1 ${a.class}/${a.score} vs accuracy mode ${b.class}/${b.score}`,
      });
    }
  }
  return { gates, artifacts, metrics };
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
      value: null,
      threshold: atol,
      unit: 'abs diff',
      pass: false,
      detail: `no top-1 lines in ${ref.stdout}`,
    };
  let maxd = 0;
  const bad: string[] = [];
  for (const r of cells.slice(1)) {
    const b = metrics.get(r.id)?.top1;
    if (!b) {
      bad.push(`no top-1 lines in ${r.stdout}`);
      continue;
    }
    maxd = Math.max(maxd, Math.abs(a.score - b.score));
    if (a.class !== b.class || !allclose(a.score, b.score, atol, rtol))
      bad.push(`${r.name}: ${b.class}/${b.score} vs ${ref.name}: ${a.class}/${a.score}`);
  }
  return {
    name,
    value: maxd,
    threshold: atol,
    unit: 'abs diff',
    pass: bad.length === 0,
    detail: bad.length ? bad.join('; ') : `${what}: ${cells.length} cells, max |Δscore| ${maxd}`,
  };
}
