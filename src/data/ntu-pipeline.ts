// NTU RGB+D raw `.skeleton` directory → {xview,xsub}/{train,val}_data.npy + _label.pkl.
//
// Memory stays O(one sample): pass 1 parses, denoises and centres each file and appends its
// (T_i × 75|150) float32 sequence to a scratch file (≈ 2–3 GB for the full 56,578 samples);
// pass 2 streams every split from the scratch file through NpyStreamWriter. Everything is written
// under `out/.ntu-staging-<pid>-*` and moved into place by rename only after every split succeeded;
// on error (or SIGINT/SIGTERM) the staging directory is removed, so `out` never holds partial files.
// A staging directory left by a killed process is removed by the next run.
//
// Output layout (`out/`):
//   xview/, xsub/                {train,val}_data.npy, {train,val}_label.pkl
//   raw_data/                    frames_cnt.txt (frames per sample after dropping B = 0 frames), frames_drop.log
//   denoised_data/               frames_cnt.txt (T_i), noise_length.log, noise_spread.log, noise_motion.log,
//                                denoised_failed_1.log, denoised_failed_2.log, missing_skes{,_1,_2}.log,
//                                actors_info/<name>.txt (with --actors-info)
//   statistics/                  skes_available_name.txt (the samples converted, in order, no final newline),
//                                samples_with_missing_skeletons.txt (the samples left out: files with no body in
//                                any frame, which upstream's statistics exclude, plus the names given with --missing)
//   summary.json                 counts per rule and per split (NtuSummary)
// Not written: the intermediate pickles (raw_skes_data.pkl, raw_denoised_{joints,colors}.pkl) —
// they would hold the whole set in memory; the logs and frame counts carry the same diagnostics.
import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../util/errors.js';
import { center, denoise, type DenoiseRecord } from './denoise.js';
import { writeLabelPickle } from './labels.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { FILE_LIMITS, readTextBounded } from '../util/file-limits.js';
import { NpyStreamWriter } from './npy.js';
import { isNtuName, parseNtuName, type NtuName } from './ntu-names.js';
import { rawBodies } from './raw-bodies.js';
import { MAX_FRAMES, SAMPLE_SHAPE, toSampleLayout, translateSequence } from './sequence.js';
import { parseSkeleton, type SkeletonFile } from './skeleton-file.js';
import { splitIndices, type Benchmark, type SplitPart } from './splits.js';

export interface NtuPrepareOptions {
  /** Directory of `<name>.skeleton` files. */
  raw: string;
  out: string;
  benchmarks?: Benchmark[];
  /** Optional list of names to exclude (e.g. samples_with_missing_skeletons.txt). */
  missingFile?: string;
  /** Optional statistics directory with skes_available_name.txt (names in that order). */
  statisticsDir?: string;
  /** Write `denoised_data/actors_info/<name>.txt` for case-B samples. */
  actorsInfo?: boolean;
  maxFrames?: number;
  onProgress?: (p: NtuProgress) => void;
}

export interface NtuProgress {
  phase: 'denoise' | 'write';
  done: number;
  total: number;
  /** e.g. "xsub/train_data.npy" during the write phase. */
  detail?: string;
}

export interface NtuSummary {
  raw: string;
  out: string;
  files: number;
  excludedByList: number;
  /** Files with no body in any frame: skipped and listed in statistics/samples_with_missing_skeletons.txt. */
  skippedEmpty: number;
  samples: number;
  caseA: number;
  caseB: number;
  framesDropSamples: number;
  bodiesRemovedByLength: number;
  bodiesRemovedBySpread: number;
  bodiesRemovedByMotion: number;
  denoisedFailed1: number;
  denoisedFailed2: number;
  missingFrameSamples: number;
  twoActorSamples: number;
  maxFrames: number;
  splits: Record<string, { train: number; val: number; none: number }>;
  outputs: string[];
  logs: string;
  seconds: number;
}

interface SeqEntry {
  offset: number; // byte offset in the scratch file
  frames: number;
  cols: 75 | 150;
}

/** Append-only text log inside the staging directory. */
class LogFile {
  private fd: number;
  constructor(file: string, header?: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
    if (header !== undefined) this.line(header);
  }
  line(s: string): void {
    fs.writeSync(this.fd, s + '\n');
  }
  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

function readNameList(file: string, what: string): string[] {
  const text = readTextBounded(file, {
    what,
    maxBytes: FILE_LIMITS.list,
    code: 'E_FILE_UNREADABLE',
    missingCode: 'E_INPUT_MISSING',
  });
  return text
    .split('\n')
    .map((l) => l.trim().replace(/\.skeleton$/, ''))
    .filter((l) => l.length > 0);
}

/** The sample names to process, in order: statistics file order, or the sorted file names. */
export function listSamples(
  raw: string,
  statisticsDir?: string,
  missingFile?: string,
): { names: NtuName[]; files: number; excluded: number; excludedNames: string[] } {
  let st: fs.Stats;
  let entries: string[];
  try {
    st = fs.statSync(raw);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CodedError(
      'E_RAW_MISSING',
      `${raw}: raw skeleton directory ${code === 'ENOENT' ? 'not found' : `cannot be opened (${code})`}`,
    );
  }
  if (!st.isDirectory()) throw new CodedError('E_RAW_MISSING', `${raw}: not a directory`);
  try {
    entries = fs.readdirSync(raw);
  } catch (e) {
    throw new CodedError(
      'E_FILE_UNREADABLE',
      `${raw}: cannot list the raw skeleton directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const present = entries.filter((f) => f.endsWith('.skeleton')).map((f) => f.slice(0, -'.skeleton'.length));
  let names: string[];
  if (statisticsDir) {
    names = readNameList(path.join(statisticsDir, 'skes_available_name.txt'), 'the available-names list');
    const have = new Set(present);
    const absent = names.filter((n) => !have.has(n));
    if (absent.length)
      throw new CodedError(
        'E_RAW_MISSING',
        `${raw}: ${absent.length} listed samples have no .skeleton file (first: ${absent[0]}.skeleton)`,
      );
  } else {
    names = present.sort();
  }
  if (names.length === 0) throw new CodedError('E_RAW_EMPTY', `${raw}: no .skeleton files found`);
  const badName = names.find((n) => !isNtuName(n));
  if (badName)
    throw new CodedError(
      'E_SKELETON_NAME',
      `${path.join(raw, badName)}.skeleton: name does not match SsssCcccPpppRrrrAaaa`,
    );
  const excludedNames: string[] = [];
  if (missingFile) {
    const skip = new Set(readNameList(missingFile, 'the missing-skeletons list'));
    names = names.filter((n) => (skip.has(n) ? (excludedNames.push(n), false) : true));
    if (names.length === 0) throw new CodedError('E_RAW_EMPTY', `${raw}: every sample is excluded by ${missingFile}`);
  }
  return {
    names: names.map((n) => parseNtuName(n)!),
    files: present.length,
    excluded: excludedNames.length,
    excludedNames,
  };
}

/** Every frame has B = 0 (or F = 0): upstream's raw parse would fail on it, its statistics exclude it. */
function hasNoBody(sk: SkeletonFile): boolean {
  return sk.frames.every((f) => f.bodies.length === 0);
}

const STAGING_PREFIX = '.ntu-staging-';

/** Removes staging directories left by killed runs (their process id is no longer alive). */
function removeStaleStaging(out: string): void {
  for (const d of fs.readdirSync(out)) {
    const pid = Number(/^\.ntu-staging-(\d+)-/.exec(d)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(out, d), { recursive: true, force: true });
    }
  }
}

function makeStaging(out: string): string {
  try {
    fs.mkdirSync(out, { recursive: true });
    removeStaleStaging(out);
    return fs.mkdtempSync(path.join(out, `${STAGING_PREFIX}${process.pid}-`));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new CodedError(
      'E_OUTPUT_UNWRITABLE',
      `${out}: cannot create the output directory (${code || (e as Error).message})`,
    );
  }
}

/** Moves every file of `staging` (recursively) to the same relative path under `out`. */
function publish(staging: string, out: string, skip: (rel: string) => boolean): string[] {
  const moved: string[] = [];
  const walk = (rel: string) => {
    for (const ent of fs.readdirSync(path.join(staging, rel), { withFileTypes: true })) {
      const r = path.join(rel, ent.name);
      if (skip(r)) continue;
      if (ent.isDirectory()) {
        fs.mkdirSync(path.join(out, r), { recursive: true });
        walk(r);
      } else {
        fs.renameSync(path.join(staging, r), path.join(out, r));
        moved.push(r);
      }
    }
  };
  walk('');
  return moved;
}

function logRecord(logs: Record<string, LogFile>, name: string, rec: DenoiseRecord): void {
  for (const b of rec.lengthRemoved)
    logs.length.line(`${name}\t${b.bodyID}\t${b.motion.toFixed(6)}\t${center(String(b.length), 6)}`);
  for (const b of rec.spreadRemoved)
    logs.spread.line(`${name}\t${b.bodyID}\t${b.motion.toFixed(6)}\t${b.rate.toFixed(6)}`);
  if (rec.failed1) logs.failed1.line(name);
  if (rec.failed2) logs.failed2.line(name);
  const am = rec.actorMissing;
  if (am) {
    if (am.cnt1 > am.cnt2)
      logs.missing1.line(
        `${name}\t${center(String(am.numFrames), 10)}\t${center(String(am.cnt1), 6)}\t${center(String(am.cnt2), 6)}\t${center(String(am.start), 5)}\t${center(String(am.end), 3)}`,
      );
    else
      logs.missing2.line(
        `${name}\t${center(String(am.numFrames), 10)}\t${center(String(am.cnt1), 6)}\t${center(String(am.cnt2), 6)}`,
      );
  }
  if (rec.missing)
    logs.missing.line(
      `${name}\t${center(String(rec.missing.numFrames), 10)}\t${center(String(rec.missing.numMissing), 11)}`,
    );
}

/** One conversion in progress: its staging folder and whatever must be closed or removed on failure. */
interface Conversion {
  opts: NtuPrepareOptions;
  staging: string;
  scratchFile: string;
  scratchFd: number;
  logs: Record<string, LogFile>;
  writers: NpyStreamWriter[];
  summary: NtuSummary;
}

/** What pass 1 keeps: each sample's centred sequence in the scratch file, and the samples left out. */
interface Denoised {
  entries: SeqEntry[];
  rawCounts: number[];
  kept: NtuName[];
  empty: string[];
}

/** Upstream's denoising logs (under raw_data/ and denoised_data/ of the staging folder), with their headers. */
function openLogs(staging: string): Record<string, LogFile> {
  const den = (f: string) => path.join(staging, 'denoised_data', f);
  const skel = center('Skeleton', 20);
  const body = `${skel}\t${center('bodyID', 17)}\t${center('Motion', 8)}`;
  return {
    drop: new LogFile(path.join(staging, 'raw_data', 'frames_drop.log')),
    length: new LogFile(den('noise_length.log'), `${body}\tLength`),
    spread: new LogFile(den('noise_spread.log'), `${body}\t${center('Rate', 8)}`),
    motion: new LogFile(den('noise_motion.log'), body),
    failed1: new LogFile(den('denoised_failed_1.log')),
    failed2: new LogFile(den('denoised_failed_2.log')),
    missing: new LogFile(den('missing_skes.log'), `${skel}\tnum_frames\tnum_missing`),
    missing1: new LogFile(den('missing_skes_1.log'), `${skel}\tnum_frames\tActor1\tActor2\tStart\tEnd`),
    missing2: new LogFile(den('missing_skes_2.log'), `${skel}\tnum_frames\tActor1\tActor2`),
  };
}

function emptySummary(opts: NtuPrepareOptions, files: number, excluded: number): NtuSummary {
  return {
    raw: opts.raw,
    out: opts.out,
    files,
    excludedByList: excluded,
    skippedEmpty: 0,
    samples: 0,
    caseA: 0,
    caseB: 0,
    framesDropSamples: 0,
    bodiesRemovedByLength: 0,
    bodiesRemovedBySpread: 0,
    bodiesRemovedByMotion: 0,
    denoisedFailed1: 0,
    denoisedFailed2: 0,
    missingFrameSamples: 0,
    twoActorSamples: 0,
    maxFrames: 0,
    splits: {},
    outputs: [],
    logs: 'raw_data/frames_drop.log, denoised_data/*.log',
    seconds: 0,
  };
}

function readSkeleton(file: string): SkeletonFile {
  const text = readTextBounded(file, {
    what: '.skeleton file',
    maxBytes: FILE_LIMITS.skeleton,
    code: 'E_FILE_UNREADABLE',
    missingCode: 'E_RAW_MISSING',
  });
  return parseSkeleton(text, file);
}

/** Counts one sample's denoising outcome into the summary and the logs. */
function countDenoised(c: Conversion, name: string, d: ReturnType<typeof denoise>): void {
  const { summary } = c;
  const rec = d.record;
  if (d.case === 'A') summary.caseA++;
  else summary.caseB++;
  summary.bodiesRemovedByLength += rec.lengthRemoved.length;
  summary.bodiesRemovedBySpread += rec.spreadRemoved.length;
  if (rec.failed1) summary.denoisedFailed1++;
  if (rec.failed2) summary.denoisedFailed2++;
  if (rec.missing) summary.missingFrameSamples++;
  if (d.cols === 150) summary.twoActorSamples++;
  logRecord(c.logs, name, rec);
  if (c.opts.actorsInfo && rec.actorsInfo)
    writeFileAtomic(path.join(c.staging, 'denoised_data', 'actors_info', `${name}.txt`), rec.actorsInfo + '\n');
}

/** Pass 1: parse → raw bodies → denoise → centre, each sequence appended to the scratch file. */
function denoisePass(c: Conversion, names: NtuName[], maxFrames: number): Denoised {
  const out: Denoised = { entries: [], rawCounts: [], kept: [], empty: [] };
  const progress = (i: number) => c.opts.onProgress?.({ phase: 'denoise', done: i + 1, total: names.length });
  let offset = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i].name;
    const file = path.join(c.opts.raw, `${name}.skeleton`);
    const sk = readSkeleton(file);
    if (hasNoBody(sk)) {
      // Upstream's statistics leave such samples out (samples_with_missing_skeletons.txt); so do we.
      out.empty.push(name);
      progress(i);
      continue;
    }
    out.kept.push(names[i]);
    const raw = rawBodies(sk, name);
    out.rawCounts.push(raw.numFrames);
    if (raw.dropped.length) {
      c.summary.framesDropSamples++;
      c.logs.drop.line(`${name}: ${raw.dropped.length} frames missed: [${raw.dropped.join(', ')}]`);
    }
    const d = denoise(raw);
    countDenoised(c, name, d);
    if (d.numFrames > maxFrames)
      throw new CodedError(
        'E_SEQUENCE_TOO_LONG',
        `${file}: ${d.numFrames} frames after denoising, more than the ${maxFrames}-frame window`,
      );
    const seq = translateSequence(d.joints, d.cols, file);
    fs.writeSync(c.scratchFd, new Uint8Array(seq.buffer, seq.byteOffset, seq.byteLength), 0, seq.byteLength, offset);
    out.entries.push({ offset, frames: d.numFrames, cols: d.cols });
    offset += seq.byteLength;
    c.summary.maxFrames = Math.max(c.summary.maxFrames, d.numFrames);
    progress(i);
  }
  return out;
}

/** The statistics/ and frame-count files upstream's scripts write between their passes. */
function writeStatistics(c: Conversion, d: Denoised, excludedByList: string[], total: number): void {
  c.summary.skippedEmpty = d.empty.length;
  c.summary.samples = d.kept.length;
  if (d.kept.length === 0)
    throw new CodedError(
      'E_RAW_EMPTY',
      `${c.opts.raw}: every one of the ${total} samples has no body in any frame; nothing to convert`,
    );
  const excludedNames = [...d.empty, ...excludedByList].sort();
  const at = (...p: string[]) => path.join(c.staging, ...p);
  writeFileAtomic(at('statistics', 'skes_available_name.txt'), d.kept.map((n) => n.name).join('\n'));
  writeFileAtomic(at('statistics', 'samples_with_missing_skeletons.txt'), excludedNames.join('\n'));
  writeFileAtomic(at('raw_data', 'frames_cnt.txt'), d.rawCounts.join('\n') + '\n');
  writeFileAtomic(at('denoised_data', 'frames_cnt.txt'), d.entries.map((e) => e.frames).join('\n') + '\n');
}

/** Pass 2: each benchmark's train and val split, streamed in split order from the scratch file. */
function writeSplits(c: Conversion, d: Denoised, benchmarks: Benchmark[], maxFrames: number): string[] {
  const plan: { b: Benchmark; part: SplitPart; idx: number[] }[] = [];
  for (const b of benchmarks) {
    const train = splitIndices(d.kept, b, 'train');
    const val = splitIndices(d.kept, b, 'val');
    c.summary.splits[b] = { train: train.length, val: val.length, none: d.kept.length - train.length - val.length };
    plan.push({ b, part: 'train', idx: train }, { b, part: 'val', idx: val });
  }
  const totalWrites = plan.reduce((s, p) => s + p.idx.length, 0);
  let written = 0;
  const shape = [SAMPLE_SHAPE[0], maxFrames, SAMPLE_SHAPE[2], SAMPLE_SHAPE[3]];
  const sample = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (const { b, part, idx } of plan) {
    const rel = `${b}/${part}_data.npy`;
    const w = new NpyStreamWriter(path.join(c.staging, rel), idx.length, shape);
    c.writers.push(w);
    for (const i of idx) {
      const e = d.entries[i];
      const seq = new Float32Array(e.frames * e.cols);
      const n = fs.readSync(c.scratchFd, new Uint8Array(seq.buffer), 0, seq.byteLength, e.offset);
      if (n !== seq.byteLength) throw new CodedError('E_SCRATCH', `${c.scratchFile}: short read for ${d.kept[i].name}`);
      w.write(toSampleLayout(seq, e.cols, maxFrames, sample, d.kept[i].name));
      c.opts.onProgress?.({ phase: 'write', done: ++written, total: totalWrites, detail: rel });
    }
    w.finish();
    c.writers.pop();
    writeLabelPickle(
      path.join(c.staging, b, `${part}_label.pkl`),
      idx.map((i) => d.kept[i].name),
      idx.map((i) => d.kept[i].label),
    );
  }
  return plan.flatMap(({ b, part }) => [`${b}/${part}_data.npy`, `${b}/${part}_label.pkl`]);
}

/** Closes and removes everything a failed conversion opened; maps disk-full and permission errors. */
function abandon(c: Conversion, e: unknown): never {
  for (const w of c.writers) w.abort();
  for (const o of Object.values(c.logs)) {
    try {
      o.close();
    } catch {
      /* already closed */
    }
  }
  if (c.scratchFd >= 0) fs.closeSync(c.scratchFd);
  fs.rmSync(c.staging, { recursive: true, force: true });
  if (e instanceof CodedError) throw e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EACCES' || code === 'EROFS' || code === 'EDQUOT')
    throw new CodedError('E_OUTPUT_UNWRITABLE', `${c.opts.out}: ${(e as Error).message}`);
  throw e;
}

/**
 * Raw NTU skeletons → `{benchmark}/{train,val}_{data.npy,label.pkl}` and upstream's statistics and
 * logs, all written in a staging folder under `out` and moved into place only when complete.
 */
export async function prepareNtu(opts: NtuPrepareOptions): Promise<NtuSummary> {
  const t0 = Date.now();
  const benchmarks = opts.benchmarks ?? ['xview', 'xsub'];
  const maxFrames = opts.maxFrames ?? MAX_FRAMES;
  const { names, files, excluded, excludedNames } = listSamples(opts.raw, opts.statisticsDir, opts.missingFile);
  const staging = makeStaging(opts.out);
  const c: Conversion = {
    opts,
    staging,
    scratchFile: path.join(staging, 'scratch.f32'),
    scratchFd: -1,
    logs: {},
    writers: [],
    summary: emptySummary(opts, files, excluded),
  };
  const onSignal = () => {
    fs.rmSync(staging, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    c.logs = openLogs(staging);
    c.scratchFd = fs.openSync(c.scratchFile, 'w+');
    const d = denoisePass(c, names, maxFrames);
    for (const l of Object.values(c.logs)) l.close();
    writeStatistics(c, d, excludedNames, names.length);
    c.summary.outputs = writeSplits(c, d, benchmarks, maxFrames);
    fs.closeSync(c.scratchFd);
    c.scratchFd = -1;
    fs.rmSync(c.scratchFile);
    c.summary.seconds = (Date.now() - t0) / 1000;
    writeFileAtomic(path.join(staging, 'summary.json'), JSON.stringify(c.summary, null, 2) + '\n');
    publish(staging, opts.out, () => false);
    fs.rmSync(staging, { recursive: true, force: true });
    return c.summary;
  } catch (e) {
    return abandon(c, e);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
