// Data preparation per mode, by running the project's own CLI (never importing data code):
//   lite modes:  ctrgcn data synth --out <dir>/raw --classes K --seed S   (.skeleton files)
//                ctrgcn data ntu --raw <dir>/raw --out <dir> --benchmark xsub   ([N,3,300,25,2] .npy + .pkl)
//                + the predict example: sample 0 of <dir>/xsub/val_data.npy as its own (3,300,25,2) .npy
//   whole modes: check the real paths the params file references and say how to produce what is missing.
// Every stage is skipped when its outputs exist and are newer than its inputs; the synthetic raw set
// is also regenerated when the settings it was made with (stamped beside it) differ from this run's.
// `prepareStages` says what to do; `prepare` runs it with execa, test_tipc/prepare.mjs with zx.
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { CodedError } from '../../util/errors.js';
import { slot, type ParamsFile } from '../params/index.js';
import { dirname as posixDirname, ifsSplit } from '../plan/index.js';
import { shellSplit } from '../params/index.js';
import { sliceFirstSample } from './npy-slice.js';
import { writeFileAtomic } from '../../util/atomic-write.js';

/**
 * The built-in lite set: 10 actions × 16 performers × 3 cameras × 2 replications → 660 X-sub train and
 * 300 val samples after denoising. Sized so that the lite recipe's 60 steps of batch 16 learn it.
 */
export const LITE_CLASSES = 10;
export const LITE_PERFORMERS = 16;
export const LITE_SEED = 1234;

/** This package's command (the data stages are ours whatever directory the chain runs in). */
const OWN_CLI = fileURLToPath(new URL('../../../bin/ctrgcn.js', import.meta.url));

export interface PrepareOptions {
  root: string;
  classes?: number;
  seed?: number;
  /** Performers of the lite set (IDs alternate between the X-sub train and val lists). */
  performers?: number;
  /** Extra arguments for `data synth`. */
  synthArgs?: string[];
  force?: boolean;
  out?: (line: string) => void;
  /** The CLI to run (default: this package's bin/ctrgcn.js under this Node). */
  cli?: string[];
}

export interface DataRefs {
  /** `-o DATASET.<split>.<file_path|label_path>=…` values of the train and eval commands. */
  files: string[];
  /** --input_file of the inference line. */
  inputFile: string;
  /** whole_infer weights (infer_model list). */
  inferModels: string[];
}

export function dataRefs(p: ParamsFile): DataRefs {
  const files = new Set<string>();
  for (const name of ['norm_train', 'eval'] as const) {
    let argv: string[];
    try {
      argv = shellSplit(slot(p, name).value).argv;
    } catch {
      continue;
    }
    for (const a of argv) {
      const m = /^DATASET\.[A-Za-z_]+\.(?:file_path|label_path)=(.+)$/.exec(a);
      if (m) files.add(m[1]);
    }
  }
  return {
    files: [...files],
    inputFile: slot(p, 'input_file').value,
    inferModels: ifsSplit(slot(p, 'infer_model').value),
  };
}

function mtime(f: string): number {
  try {
    return statSync(f).mtimeMs;
  } catch {
    return -1;
  }
}

function newestIn(dir: string, ext: string): number {
  try {
    return Math.max(
      -1,
      ...readdirSync(dir)
        .filter((f) => f.endsWith(ext))
        .map((f) => mtime(path.join(dir, f))),
    );
  } catch {
    return -1;
  }
}

/** Beside the lite data: the `data synth` arguments its raw set was made with. */
export const SYNTH_STAMP = '.synth-settings.json';

function readStamp(f: string): string | null {
  try {
    return readFileSync(f, 'utf8').trim();
  } catch {
    return null;
  }
}

export interface PrepareResult {
  ran: string[];
  skipped: string[];
  missing: string[];
}

/** One stage of preparation: a command of ours to run (`argv`), or work done in-process (`run`). */
export interface PrepareStage {
  name: 'synth' | 'ntu' | 'example' | 'check';
  /** Whether the stage must run now (asked right before it would run: earlier stages change the answer). */
  needed(): boolean;
  /** Starts the stage (clears what it replaces) and says what it does, for the progress line. */
  start(): string;
  /** The command to run in the root (stdout/stderr are the caller's). */
  argv?: string[];
  /** In-process work (the example cut, the whole-mode check that throws E_PREPARE_MISSING). */
  run?(): void;
  /** After the stage ran: stamps and checks. */
  done?(): void;
}

function wholeStages(p: ParamsFile, mode: string, refs: DataRefs, abs: (f: string) => string): PrepareStage[] {
  const check = (): void => {
    const need = mode === 'whole_infer' ? [...refs.inferModels, refs.inputFile] : [...refs.files, refs.inputFile];
    const missing = need.filter((f) => f && f !== 'null' && !existsSync(abs(f)));
    if (!missing.length) return;
    const ntu = refs.files.find((f) => /xsub|xview/.test(f));
    const ntuDir = ntu ? posixDirname(posixDirname(ntu)) : 'data/ntu-rgb-d';
    const dataMissing = missing.some((f) => refs.files.includes(f));
    const how = [
      `missing for ${mode}:`,
      ...missing.map((f) => `  ${f}`),
      '',
      'Produce them with:',
      ...(dataMissing
        ? [
            `  ctrgcn data ntu --raw <NTU RGB+D nturgb+d_skeletons dir> --out ${ntuDir} --benchmark xsub`,
            `  (or, for synthetic lite data at these paths: ctrgcn tipc prepare ${p.path} lite_train_lite_infer)`,
          ]
        : []),
      ...(missing.includes(refs.inputFile)
        ? [
            `  the predict example ${refs.inputFile}: a (3,300,25,2) float32 .npy (e.g. one sample of ${ntuDir}/xsub/val_data.npy)`,
          ]
        : []),
      ...(missing.some((f) => refs.inferModels.includes(f))
        ? ['  the released weights named on the infer_model line (whole_infer exports them first)']
        : []),
    ];
    throw new CodedError('E_PREPARE_MISSING', how.join('\n'));
  };
  return [{ name: 'check', needed: () => true, start: () => `${mode}: every referenced path exists`, run: check }];
}

/** The stages that make (lite modes) or check (whole modes) the data of `mode`, in order. */
export function prepareStages(p: ParamsFile, mode: string, opts: PrepareOptions): PrepareStage[] {
  const abs = (f: string) => path.resolve(opts.root, f);
  const refs = dataRefs(p);
  if (!mode.startsWith('lite_train')) return wholeStages(p, mode, refs, abs);
  const cli = opts.cli ?? [process.execPath, OWN_CLI];
  const quoted = (argv: string[]) => argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');

  // Lite: the data dir is the parent of the benchmark dir holding train_data.npy.
  const train = refs.files.find((f) => /train_data\.npy$/.test(f));
  if (!train)
    throw new CodedError(
      'E_PREPARE_PARAMS',
      `${p.path}: the norm_train line (${slot(p, 'norm_train').fileLine || '?'}) has no -o DATASET.train.file_path=…/train_data.npy override to prepare`,
    );
  const benchDir = posixDirname(train);
  const benchmark = path.basename(benchDir);
  const dataDir = posixDirname(benchDir);
  const rawDir = `${dataDir}/raw`;
  const synthArgv = [
    '--classes',
    String(opts.classes ?? LITE_CLASSES),
    '--seed',
    String(opts.seed ?? LITE_SEED),
    '--performers',
    String(opts.performers ?? LITE_PERFORMERS),
    ...(opts.synthArgs ?? []),
  ];
  const stampFile = abs(`${dataDir}/${SYNTH_STAMP}`);
  const stamp = JSON.stringify({ synth: synthArgv });
  const stale = () => newestIn(abs(rawDir), '.skeleton') >= 0 && readStamp(stampFile) !== stamp;
  const synth = [...cli, 'data', 'synth', '--out', rawDir, ...synthArgv];
  const ntu = [...cli, 'data', 'ntu', '--raw', rawDir, '--out', dataDir, '--benchmark', benchmark];
  const outputs = ['train_data.npy', 'train_label.pkl', 'val_data.npy', 'val_label.pkl'].map((f) =>
    abs(`${benchDir}/${f}`),
  );
  const val = abs(`${benchDir}/val_data.npy`);
  const example = refs.inputFile;
  const stages: PrepareStage[] = [
    {
      name: 'synth',
      needed: () => !!opts.force || newestIn(abs(rawDir), '.skeleton') < 0 || stale(),
      start: () => {
        if (!stale()) return `synth: ${quoted(synth)}`;
        // Made with other settings: never reuse it silently.
        rmSync(abs(rawDir), { recursive: true, force: true });
        return `${rawDir} was made with other settings (${stampFile}): making it again\nsynth: ${quoted(synth)}`;
      },
      argv: synth,
      done: () => writeFileAtomic(stampFile, stamp + '\n'),
    },
    {
      name: 'ntu',
      needed: () => {
        const rawNow = newestIn(abs(rawDir), '.skeleton');
        return !!opts.force || outputs.some((f) => mtime(f) < 0 || mtime(f) < rawNow);
      },
      start: () => `ntu: ${quoted(ntu)}`,
      argv: ntu,
      done: () => {
        const missing = refs.files.filter((f) => !existsSync(abs(f)));
        if (missing.length)
          throw new CodedError(
            'E_PREPARE_MISSING',
            `after preparing, still missing: ${missing.join(', ')} (does the params file point into ${dataDir}?)`,
          );
      },
    },
  ];
  if (example && example !== 'null')
    stages.push({
      name: 'example',
      needed: () => !!opts.force || mtime(abs(example)) < mtime(val),
      start: () => `example: sample 0 of ${benchDir}/val_data.npy → ${example}`,
      run: () => {
        sliceFirstSample(val, abs(example));
      },
    });
  return stages;
}

/** Runs the stages of `mode` (commands with execa; their output is shown only when one fails). */
export async function prepare(p: ParamsFile, mode: string, opts: PrepareOptions): Promise<PrepareResult> {
  const out = opts.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const res: PrepareResult = { ran: [], skipped: [], missing: [] };
  for (const stage of prepareStages(p, mode, opts)) {
    if (!stage.needed()) {
      res.skipped.push(stage.name);
      continue;
    }
    for (const line of stage.start().split('\n')) out(`[prepare] ${line}`);
    if (stage.argv) {
      const r = await execa(stage.argv[0], stage.argv.slice(1), { cwd: opts.root, reject: false, all: true });
      if (r.exitCode !== 0)
        throw new CodedError(
          'E_PREPARE_FAILED',
          `${stage.name} failed (exit ${r.exitCode}):\n${(r.all ?? '').toString().trimEnd().split('\n').slice(-20).join('\n')}`,
        );
    }
    stage.run?.();
    stage.done?.();
    if (stage.name !== 'check') res.ran.push(stage.name);
  }
  if (res.skipped.length) out(`[prepare] up to date: ${res.skipped.join(', ')}`);
  return res;
}
