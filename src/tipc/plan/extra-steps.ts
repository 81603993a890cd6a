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

export function buildExtraSteps(
  plan: Plan,
  results: readonly StepResult[],
  chain: ChainConfig,
  gates: GatesConfig,
  firstId: number,
  gpuOk: boolean,
): ExtraPlan {
  const steps: ExtraStep[] = [];
  const notes: string[] = [];
  const S = plan.slots;
  const add = (x: ExtraStep): number => {
    steps.push(x);
    return firstId + steps.length - 1;
  };
  const exports = results.filter((r) => r.kind === 'export' && r.origin === 'driver');
  const latencyTemplates: Array<{ unit: string; tag: string; cpu?: StepResult; gpu?: StepResult; deps: number[] }> = [];

  for (const e of exports) {
    const unit = e.dir;
    const tag = path.posix.basename(unit);
    const dirOf = new Map<Precision, { dir: string; dep: number }>([['fp32', { dir: unit, dep: e.id }]]);
    for (const p of chain.precisions) {
      const dir = `${unit}/${p}`;
      const moved = replaceToken(e.argv, S.exportOutKey, dir);
      if (!moved) {
        notes.push(`${e.name}: no \`${S.exportOutKey}=…\` argument to redirect, so no ${p} export`);
        continue;
      }
      const id = add({
        kind: 'export',
        name: `export:${tag}_${p}`,
        role: 'artifact-export',
        argv: [...moved, `${chain.precisionFlag}=${p}`],
        log: `${plan.logPath}/${tag}_export_${p}.log`,
        dir,
        dependsOn: [e.id],
        env: e.env,
        precision: p,
        unit,
        target: 'trained',
        reason: `ours: the driver's export with ${chain.precisionFlag}=${p}`,
      });
      dirOf.set(p, { dir, dep: id });
    }
    const ev = results.find((r) => r.kind === 'eval' && r.origin === 'driver' && r.dir === unit);
    if (chain.artifactEvalFlag) {
      if (!ev) notes.push(`${e.name}: no eval command in this mode, so the exported models are not evaluated`);
      else
        for (const [p, { dir, dep }] of dirOf) {
          const argv = replaceToken(ev.argv, S.evalWeightsKey, null) ?? [...ev.argv];
          add({
            kind: 'eval',
            name: `eval:${tag}_onnx_${p}`,
            role: 'artifact-eval',
            argv: [...argv, `${chain.artifactEvalFlag}=${dir}/${S.modelFileValue}`],
            log: `${plan.logPath}/${tag}_eval_onnx_${p}.log`,
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
    const cells = results.filter(
      (r) => r.kind === 'infer' && r.origin === 'driver' && r.dir === unit && r.status === 'pass',
    );
    latencyTemplates.push({
      unit,
      tag,
      cpu: cells.find((r) => r.cell?.device === 'cpu' && r.cell.precision === 'fp32'),
      gpu: gpuOk ? cells.find((r) => r.cell?.device === 'gpu' && r.cell.precision === 'fp32') : undefined,
      deps: [e.id],
    });
  }

  let reference: { dir: string; dep: number } | undefined;
  if (chain.reference) {
    const dir = `${plan.logPath}/${REFERENCE_DIR}`;
    let argv: string[];
    try {
      argv = [S.python, ...shellSplit(chain.reference.export).argv, `${S.exportOutKey}=${dir}`];
    } catch (e) {
      notes.push(`chain.reference.export cannot be split into words: ${(e as Error).message}`);
      argv = [];
    }
    if (argv.length)
      reference = {
        dir,
        dep: add({
          kind: 'export',
          name: `export:${REFERENCE_DIR}`,
          role: 'reference-export',
          argv,
          log: `${plan.logPath}/${REFERENCE_DIR}_export.log`,
          dir,
          dependsOn: [],
          env: {},
          precision: 'fp32',
          target: 'reference',
          reason: `ours: reference model ${chain.reference.name} for the relative latency budget and the golden check`,
        }),
      };
  }

  // Golden logits: the exported fp32 model (or the reference) on the stored input, raw logits to a .npy.
  const GL = gates.golden.logits;
  if (GL && chain.logits) {
    const logitsCmd = (dir: string, tag: string, dep: number, target: 'trained' | 'reference', unit?: string) => {
      let words: string[];
      try {
        words = shellSplit(chain.logits!).argv;
      } catch (e) {
        notes.push(`chain.logits cannot be split into words: ${(e as Error).message}`);
        return;
      }
      const model = `${dir}/${S.modelFileValue}`;
      add({
        kind: 'infer',
        name: `infer:${tag}_golden_logits`,
        role: 'golden-logits',
        argv: [
          S.python,
          ...words,
          `--onnx=${model}`,
          `--input=${GL.input}`,
          `--out=${plan.logPath}/${tag}_golden_logits.npy`,
        ],
        log: `${plan.logPath}/${tag}_golden_logits.log`,
        dir,
        dependsOn: [dep],
        env: {},
        precision: 'fp32',
        target,
        ...(unit ? { unit } : {}),
        reason: `ours: logits of the model ${model} on ${GL.input} for the golden gate (vs ${GL.expected})`,
      });
    };
    if (gates.golden.model === 'reference') {
      if (reference) logitsCmd(reference.dir, REFERENCE_DIR, reference.dep, 'reference');
    } else for (const e of exports) logitsCmd(e.dir, path.posix.basename(e.dir), e.id, 'trained', e.dir);
  }

  if (chain.benchmark) {
    const n = benchmarkQueries(gates.latency);
    const list = `${plan.logPath}/latency_inputs.txt`;
    const listText = Array.from({ length: n }, () => S.inputFileValue).join('\n') + '\n';
    const bench = (
      template: StepResult,
      dir: string,
      name: string,
      deps: number[],
      target: 'trained' | 'reference',
      unit?: string,
    ) => {
      let argv: string[] | null =
        target === 'reference' ? withFlags(template.argv, chain.reference?.inferFlags) : [...template.argv];
      argv = argv && replaceToken(argv, S.modelFileKey, `${dir}/${S.modelFileValue}`);
      argv = argv && (replaceToken(argv, S.paramsFileKey, `${dir}/${S.paramsFileValue}`) ?? argv);
      argv = argv && replaceToken(argv, S.inputFileKey, list);
      if (!argv) {
        notes.push(`${template.name}: no ${S.modelFileKey}=… / ${S.inputFileKey}=… argument, so no latency benchmark`);
        return;
      }
      argv = replaceToken(argv, S.benchmarkKey, 'True') ?? [...argv, `${S.benchmarkKey}=True`];
      const device = template.cell?.device ?? 'cpu';
      add({
        kind: 'infer',
        name,
        role: 'latency',
        argv: [...argv, `${chain.benchmark!.listFlag}=True`],
        log: `${plan.logPath}/${name.slice('infer:'.length)}.log`,
        dir,
        dependsOn: deps,
        env: template.env,
        precision: 'fp32',
        target,
        ...(unit ? { unit } : {}),
        ...(template.cell ? { cell: template.cell } : {}),
        writeFiles: [{ path: list, text: listText }],
        reason: `ours: latency benchmark (${device}, ${n} queries incl. ${BENCHMARK_WARMUP} warm-up) of ${target === 'reference' ? `the reference model ${chain.reference?.name ?? ''}` : 'the exported model'}, like ${template.name}`,
      });
    };
    let refDone = false;
    for (const t of latencyTemplates) {
      if (!t.cpu) notes.push(`${t.tag}: no passed fp32 CPU inference cell to derive the latency benchmark from`);
      for (const [dev, tpl] of [
        ['cpu', t.cpu],
        ['gpu', t.gpu],
      ] as const) {
        if (!tpl) continue;
        bench(tpl, t.unit, `infer:${t.tag}_latency_${dev}`, t.deps, 'trained', t.unit);
        if (reference && !refDone)
          bench(tpl, reference.dir, `infer:${REFERENCE_DIR}_latency_${dev}`, [reference.dep], 'reference');
      }
      if (reference) refDone = true;
    }
  }
  return { steps, notes };
}
