// Steps of ours that the runner adds after the driver's plan (origin `runner`; never in
// results_python.log), each derived from a driver command so that it runs the same tool the same way:
//   - artifact exports: the driver's export + `<precisionFlag>=P`, output into `<save_dir>/P/`;
//   - artifact evals: the driver's eval with its `-w=…` replaced by `<artifactEvalFlag>=<dir>/<model_file>`,
//     for the fp32 export and every extra precision (accuracy of what ships);
//   - a reference export (chain.reference.export + `-o=<LOG_PATH>/reference`), once per run;
//   - latency benchmarks of the trained model and the reference: the first passed fp32 inference
//     cell of the unit with `--enable_benchmark=True` and a list file of N copies of its input, where
//     N = warm-up + MLPerf's minimum query count for the p90 (gates.latency confidence / margin).
import path from 'node:path';
import type { Precision } from '../../contracts/index.js';
import { minQueryCount } from '../../util/quantile.js';
import type { ChainConfig, GatesConfig } from '../params/index.js';
import type { Plan } from './planner.js';
import type { ExtraStep, StepResult } from './steps.js';
import { shellSplit } from '../params/index.js';

/** Warm-up batches of the predict benchmark (tipc.md §8: auto_log excludes the first 3). */
export const BENCHMARK_WARMUP = 3;

export const REFERENCE_DIR = 'reference';

export function benchmarkQueries(g: GatesConfig['latency']): number {
  return BENCHMARK_WARMUP + minQueryCount(0.9, g.confidence, g.margin);
}

function replaceToken(argv: readonly string[], key: string, value: string | null): string[] | null {
  const i = argv.findIndex((a) => a.startsWith(`${key}=`));
  if (i < 0) return null;
  const out = [...argv];
  if (value === null) out.splice(i, 1);
  else out[i] = `${key}=${value}`;
  return out;
}

/**
 * The inference template with the reference model's own flag values (`--config X` or `--config=X`): an
 * inference command must name the reference's recipe, not the trained model's.
 */
export function withFlags(argv: readonly string[], flags: Readonly<Record<string, string>> | undefined): string[] {
  const out = [...argv];
  for (const [flag, value] of Object.entries(flags ?? {})) {
    const i = out.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) out.push(`${flag}=${value}`);
    else if (out[i] === flag && i + 1 < out.length) out[i + 1] = value;
    else out[i] = `${flag}=${value}`;
  }
  return out;
}

export interface ExtraPlan {
  steps: ExtraStep[];
  /** Why an expected extra step could not be derived. */
  notes: string[];
}

interface LatencyTemplate {
  unit: string;
  tag: string;
  cpu?: StepResult;
  gpu?: StepResult;
  deps: number[];
}

/** The extra steps of one chain run, added in order (their ids follow the plan's). */
class ExtraBuilder {
  readonly steps: ExtraStep[] = [];
  readonly notes: string[] = [];
  readonly templates: LatencyTemplate[] = [];
  reference?: { dir: string; dep: number };

  constructor(
    readonly plan: Plan,
    readonly results: readonly StepResult[],
    readonly chain: ChainConfig,
    readonly gates: GatesConfig,
    readonly firstId: number,
    readonly gpuOk: boolean,
  ) {}

  get S() {
    return this.plan.slots;
  }

  add(x: ExtraStep): number {
    this.steps.push(x);
    return this.firstId + this.steps.length - 1;
  }

  /** Words of a chain command, or a note and undefined when it cannot be split. */
  words(what: string, command: string): string[] | undefined {
    try {
      return shellSplit(command).argv;
    } catch (e) {
      this.notes.push(`${what} cannot be split into words: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** One driver export: its extra precisions, the evals of every exported model, its latency template. */
  unit(e: StepResult): void {
    const unit = e.dir;
    const tag = path.posix.basename(unit);
    const dirOf = new Map<Precision, { dir: string; dep: number }>([['fp32', { dir: unit, dep: e.id }]]);
    for (const p of this.chain.precisions) {
      const exported = this.precisionExport(e, unit, tag, p);
      if (exported) dirOf.set(p, exported);
    }
    this.artifactEvals(e, unit, tag, dirOf);
    const cells = this.results.filter(
      (r) => r.kind === 'infer' && r.origin === 'driver' && r.dir === unit && r.status === 'pass',
    );
    this.templates.push({
      unit,
      tag,
      cpu: cells.find((r) => r.cell?.device === 'cpu' && r.cell.precision === 'fp32'),
      gpu: this.gpuOk ? cells.find((r) => r.cell?.device === 'gpu' && r.cell.precision === 'fp32') : undefined,
      deps: [e.id],
    });
  }

  /** The driver's export with `<precisionFlag>=p`, into `<unit>/p`. */
  precisionExport(e: StepResult, unit: string, tag: string, p: Precision): { dir: string; dep: number } | undefined {
    const { S, chain } = this;
    const dir = `${unit}/${p}`;
    const moved = replaceToken(e.argv, S.exportOutKey, dir);
    if (!moved) {
      this.notes.push(`${e.name}: no \`${S.exportOutKey}=…\` argument to redirect, so no ${p} export`);
      return undefined;
    }
    const dep = this.add({
      kind: 'export',
      name: `export:${tag}_${p}`,
      role: 'artifact-export',
      argv: [...moved, `${chain.precisionFlag}=${p}`],
      log: `${this.plan.logPath}/${tag}_export_${p}.log`,
      dir,
      dependsOn: [e.id],
      env: e.env,
      precision: p,
      unit,
      target: 'trained',
      reason: `ours: the driver's export with ${chain.precisionFlag}=${p}`,
    });
    return { dir, dep };
  }

  /** The driver's eval of the unit on each exported model instead of the checkpoint. */
  artifactEvals(e: StepResult, unit: string, tag: string, dirOf: Map<Precision, { dir: string; dep: number }>): void {
    const { S, chain } = this;
    if (!chain.artifactEvalFlag) return;
    const ev = this.results.find((r) => r.kind === 'eval' && r.origin === 'driver' && r.dir === unit);
    if (!ev) {
      this.notes.push(`${e.name}: no eval command in this mode, so the exported models are not evaluated`);
      return;
    }
    for (const [p, { dir, dep }] of dirOf) {
      const argv = replaceToken(ev.argv, S.evalWeightsKey, null) ?? [...ev.argv];
      this.add({
        kind: 'eval',
        name: `eval:${tag}_onnx_${p}`,
        role: 'artifact-eval',
        argv: [...argv, `${chain.artifactEvalFlag}=${dir}/${S.modelFileValue}`],
        log: `${this.plan.logPath}/${tag}_eval_onnx_${p}.log`,
        dir,
        dependsOn: [dep],
        env: ev.env,
        precision: p,
        unit,
        target: 'trained',
        reason: `ours: the driver's eval on the exported ${p} model (${chain.artifactEvalFlag}) instead of the checkpoint`,
      });
    }
  }

  /** chain.reference.export into `<LOG_PATH>/reference`, once per run. */
  referenceExport(): void {
    const ref = this.chain.reference;
    if (!ref) return;
    const dir = `${this.plan.logPath}/${REFERENCE_DIR}`;
    const words = this.words('chain.reference.export', ref.export);
    if (!words) return;
    const argv = [this.S.python, ...words, `${this.S.exportOutKey}=${dir}`];
    const dep = this.add({
      kind: 'export',
      name: `export:${REFERENCE_DIR}`,
      role: 'reference-export',
      argv,
      log: `${this.plan.logPath}/${REFERENCE_DIR}_export.log`,
      dir,
      dependsOn: [],
      env: {},
      precision: 'fp32',
      target: 'reference',
      reason: `ours: reference model ${ref.name} for the relative latency budget and the golden check`,
    });
    this.reference = { dir, dep };
  }

  /** Golden logits: the exported fp32 model (or the reference) on the stored input, raw logits to a .npy. */
  goldenLogits(exports: readonly StepResult[]): void {
    const GL = this.gates.golden.logits;
    if (!GL || !this.chain.logits) return;
    const logitsCmd = (dir: string, tag: string, dep: number, target: 'trained' | 'reference', unit?: string) => {
      const words = this.words('chain.logits', this.chain.logits!);
      if (!words) return;
      const model = `${dir}/${this.S.modelFileValue}`;
      const logPath = this.plan.logPath;
      this.add({
        kind: 'infer',
        name: `infer:${tag}_golden_logits`,
        role: 'golden-logits',
        argv: [
          this.S.python,
          ...words,
          `--onnx=${model}`,
          `--input=${GL.input}`,
          `--out=${logPath}/${tag}_golden_logits.npy`,
        ],
        log: `${logPath}/${tag}_golden_logits.log`,
        dir,
        dependsOn: [dep],
        env: {},
        precision: 'fp32',
        target,
        ...(unit ? { unit } : {}),
        reason: `ours: logits of the model ${model} on ${GL.input} for the golden gate (vs ${GL.expected})`,
      });
    };
    if (this.gates.golden.model === 'reference') {
      if (this.reference) logitsCmd(this.reference.dir, REFERENCE_DIR, this.reference.dep, 'reference');
    } else for (const e of exports) logitsCmd(e.dir, path.posix.basename(e.dir), e.id, 'trained', e.dir);
  }

  /** A latency benchmark like inference cell `template`, on the model in `dir`, over the list file. */
  benchmark(
    template: StepResult,
    dir: string,
    name: string,
    deps: number[],
    target: 'trained' | 'reference',
    unit?: string,
  ): void {
    const { S, chain } = this;
    const n = benchmarkQueries(this.gates.latency);
    const list = `${this.plan.logPath}/latency_inputs.txt`;
    const listText = Array.from({ length: n }, () => S.inputFileValue).join('\n') + '\n';
    let argv: string[] | null =
      target === 'reference' ? withFlags(template.argv, chain.reference?.inferFlags) : [...template.argv];
    argv = argv && replaceToken(argv, S.modelFileKey, `${dir}/${S.modelFileValue}`);
    argv = argv && (replaceToken(argv, S.paramsFileKey, `${dir}/${S.paramsFileValue}`) ?? argv);
    argv = argv && replaceToken(argv, S.inputFileKey, list);
    if (!argv) {
      this.notes.push(
        `${template.name}: no ${S.modelFileKey}=… / ${S.inputFileKey}=… argument, so no latency benchmark`,
      );
      return;
    }
    argv = replaceToken(argv, S.benchmarkKey, 'True') ?? [...argv, `${S.benchmarkKey}=True`];
    const device = template.cell?.device ?? 'cpu';
    const what = target === 'reference' ? `the reference model ${chain.reference?.name ?? ''}` : 'the exported model';
    this.add({
      kind: 'infer',
      name,
      role: 'latency',
      argv: [...argv, `${chain.benchmark!.listFlag}=True`],
      log: `${this.plan.logPath}/${name.slice('infer:'.length)}.log`,
      dir,
      dependsOn: deps,
      env: template.env,
      precision: 'fp32',
      target,
      ...(unit ? { unit } : {}),
      ...(template.cell ? { cell: template.cell } : {}),
      writeFiles: [{ path: list, text: listText }],
      reason: `ours: latency benchmark (${device}, ${n} queries incl. ${BENCHMARK_WARMUP} warm-up) of ${what}, like ${template.name}`,
    });
  }

  /** Each unit's benchmark per device, and the reference's beside the first unit's. */
  latencyBenchmarks(): void {
    if (!this.chain.benchmark) return;
    const ref = this.reference;
    let refDone = false;
    for (const t of this.templates) {
      if (!t.cpu) this.notes.push(`${t.tag}: no passed fp32 CPU inference cell to derive the latency benchmark from`);
      for (const [dev, tpl] of [
        ['cpu', t.cpu],
        ['gpu', t.gpu],
      ] as const) {
        if (!tpl) continue;
        this.benchmark(tpl, t.unit, `infer:${t.tag}_latency_${dev}`, t.deps, 'trained', t.unit);
        if (ref && !refDone)
          this.benchmark(tpl, ref.dir, `infer:${REFERENCE_DIR}_latency_${dev}`, [ref.dep], 'reference');
      }
      if (ref) refDone = true;
    }
  }
}

/** Our steps after the driver's plan, derived from its results: artifacts, evals, reference, golden, latency. */
export function buildExtraSteps(
  plan: Plan,
  results: readonly StepResult[],
  chain: ChainConfig,
  gates: GatesConfig,
  firstId: number,
  gpuOk: boolean,
): ExtraPlan {
  const b = new ExtraBuilder(plan, results, chain, gates, firstId, gpuOk);
  const exports = results.filter((r) => r.kind === 'export' && r.origin === 'driver');
  for (const e of exports) b.unit(e);
  b.referenceExport();
  b.goldenLogits(exports);
  b.latencyBenchmarks();
  return { steps: b.steps, notes: b.notes };
}
