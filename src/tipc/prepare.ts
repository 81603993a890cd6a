// Data preparation per mode, by running the project's own CLI (never importing data code):
//   lite modes:  ctrgcn data synth --out <dir>/raw --classes K --seed S   (.skeleton files)
//                ctrgcn data ntu --raw <dir>/raw --out <dir> --benchmark xsub   ([N,3,300,25,2] .npy + .pkl)
//                + the predict example: sample 0 of <dir>/xsub/val_data.npy as its own (3,300,25,2) .npy
//   whole modes: check the real paths the params file references and say how to produce what is missing.
// Every stage is skipped when its outputs exist and are newer than its inputs; the synthetic raw set
// is also regenerated when the settings it was made with (stamped beside it) differ from this run's.
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { CodedError } from '../util/errors.js';
import { at, type ParamsFile } from './params-file.js';
import { dirname as posixDirname, ifsSplit } from './planner.js';
import { shellSplit } from './shell-words.js';
import { sliceFirstSample } from './npy-slice.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * The built-in lite set: 10 actions × 16 performers × 3 cameras × 2 replications → 660 X-sub train and
 * 300 val samples after denoising. Sized so that the lite recipe's 60 steps of batch 16 learn it.
 */
export const LITE_CLASSES = 10;
export const LITE_PERFORMERS = 16;
export const LITE_SEED = 1234;

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
  /** The CLI to run (default: <root>/bin/ctrgcn.js under this Node). */
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
  for (const idx of [15, 23]) {
    let argv: string[];
    try {
      argv = shellSplit(at(p, idx).value).argv;
    } catch {
      continue;
    }
    for (const a of argv) {
      const m = /^DATASET\.[A-Za-z_]+\.(?:file_path|label_path)=(.+)$/.exec(a);
      if (m) files.add(m[1]);
    }
  }
  return { files: [...files], inputFile: at(p, 47).value, inferModels: ifsSplit(at(p, 36).value) };
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

export async function prepare(p: ParamsFile, mode: string, opts: PrepareOptions): Promise<PrepareResult> {
  const out = opts.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const abs = (f: string) => path.resolve(opts.root, f);
  const refs = dataRefs(p);
  const res: PrepareResult = { ran: [], skipped: [], missing: [] };
  const cli = opts.cli ?? [process.execPath, path.join(opts.root, 'bin', 'ctrgcn.js')];

  if (!mode.startsWith('lite_train')) {
    const need = mode === 'whole_infer' ? [...refs.inferModels, refs.inputFile] : [...refs.files, refs.inputFile];
    for (const f of need) if (f && f !== 'null' && !existsSync(abs(f))) res.missing.push(f);
    if (res.missing.length) {
      const ntu = refs.files.find((f) => /xsub|xview/.test(f));
      const ntuDir = ntu ? posixDirname(posixDirname(ntu)) : 'data/ntu-rgb-d';
      const how = [
        `missing for ${mode}:`,
        ...res.missing.map((f) => `  ${f}`),
        '',
        'Produce them with:',
        ...(res.missing.some((f) => refs.files.includes(f))
          ? [`  ctrgcn data ntu --raw <NTU RGB+D nturgb+d_skeletons dir> --out ${ntuDir} --benchmark xsub`]
          : []),
        ...(res.missing.some((f) => refs.files.includes(f))
          ? [`  (or, for synthetic lite data at these paths: ctrgcn tipc prepare ${p.path} lite_train_lite_infer)`]
          : []),
        ...(res.missing.includes(refs.inputFile)
          ? [
              `  the predict example ${refs.inputFile}: a (3,300,25,2) float32 .npy (e.g. one sample of ${ntuDir}/xsub/val_data.npy)`,
            ]
          : []),
        ...(res.missing.some((f) => refs.inferModels.includes(f))
          ? ['  the released weights named on the infer_model line (whole_infer exports them first)']
          : []),
      ];
      throw new CodedError('E_PREPARE_MISSING', how.join('\n'));
    }
    out(`[prepare] ${mode}: every referenced path exists`);
    return res;
  }

  // Lite: the data dir is the parent of the benchmark dir holding train_data.npy.
  const train = refs.files.find((f) => /train_data\.npy$/.test(f));
  if (!train)
    throw new CodedError(
      'E_PREPARE_PARAMS',
      `${p.path}: the norm_train line (${p.lines[15]?.fileLine ?? '?'}) has no -o DATASET.train.file_path=…/train_data.npy override to prepare`,
    );
  const benchDir = posixDirname(train);
  const benchmark = path.basename(benchDir);
  const dataDir = posixDirname(benchDir);
  const rawDir = `${dataDir}/raw`;
  const run = async (argv: string[], what: string) => {
    out(`[prepare] ${what}: ${argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
    const r = await execa(argv[0], argv.slice(1), { cwd: opts.root, reject: false, all: true });
    if (r.exitCode !== 0)
      throw new CodedError(
        'E_PREPARE_FAILED',
        `${what} failed (exit ${r.exitCode}):\n${(r.all ?? '').toString().trimEnd().split('\n').slice(-20).join('\n')}`,
      );
    res.ran.push(what);
  };

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
  const rawNewest = newestIn(abs(rawDir), '.skeleton');
  const stale = rawNewest >= 0 && readStamp(stampFile) !== stamp;
  if (opts.force || rawNewest < 0 || stale) {
    if (stale) {
      out(`[prepare] ${rawDir} was made with other settings (${stampFile}): making it again`);
      rmSync(abs(rawDir), { recursive: true, force: true });
    }
    await run([...cli, 'data', 'synth', '--out', rawDir, ...synthArgv], 'synth');
    writeFileAtomic(stampFile, stamp + '\n');
  } else res.skipped.push('synth');

  const outputs = ['train_data.npy', 'train_label.pkl', 'val_data.npy', 'val_label.pkl'].map((f) =>
    abs(`${benchDir}/${f}`),
  );
  const rawNow = newestIn(abs(rawDir), '.skeleton');
  if (opts.force || outputs.some((f) => mtime(f) < 0 || mtime(f) < rawNow)) {
    await run([...cli, 'data', 'ntu', '--raw', rawDir, '--out', dataDir, '--benchmark', benchmark], 'ntu');
  } else res.skipped.push('ntu');
  for (const f of refs.files) if (!existsSync(abs(f))) res.missing.push(f);
  if (res.missing.length)
    throw new CodedError(
      'E_PREPARE_MISSING',
      `after preparing, still missing: ${res.missing.join(', ')} (does the params file point into ${dataDir}?)`,
    );

  const example = refs.inputFile;
  const val = abs(`${benchDir}/val_data.npy`);
  if (example && example !== 'null') {
    if (opts.force || mtime(abs(example)) < mtime(val)) {
      const r = sliceFirstSample(val, abs(example));
      out(`[prepare] example: sample 0 of ${benchDir}/val_data.npy → ${example} (${r.shape.join('×')}, ${r.bytes} B)`);
      res.ran.push('example');
    } else res.skipped.push('example');
  }
  if (res.skipped.length) out(`[prepare] up to date: ${res.skipped.join(', ')}`);
  return res;
}
