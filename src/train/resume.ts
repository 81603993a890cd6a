// Resuming a run that stopped (training.md §8): `resume_epoch=auto` finds the newest complete epoch
// checkpoint, the temp files a killed writer left behind are removed, and the run's metrics.jsonl
// is cut back to the epochs the checkpoint holds, so the records read as one uninterrupted run.
import fs from 'node:fs';
import path from 'node:path';
import { codec, type ChainRecord } from '../contracts/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS, readTextBounded } from '../util/file-limits.js';
import { checkCheckpoint, checkpointBase, epochTag } from './checkpoint.js';

export interface ResumePoint {
  /** Epochs the checkpoint holds (0: none found, start afresh). */
  epoch: number;
  /** Checkpoints passed over, newest first, with why (`…_epoch_00003: … is missing`). */
  skipped: string[];
}

const EPOCH_FILE = /^(.+)_epoch_([0-9]{5})\.(?:safetensors|pdparams|opt\.safetensors)$/;

/** Epoch numbers (1-based) that have at least one checkpoint file of `modelName` in `dir`. */
export function epochsOnDisk(dir: string, modelName: string): number[] {
  if (!fs.existsSync(dir)) return [];
  const found = new Set<number>();
  for (const f of fs.readdirSync(dir)) {
    const m = EPOCH_FILE.exec(f);
    if (m && m[1] === modelName) found.add(Number(m[2]));
  }
  return [...found].sort((a, b) => b - a);
}

/** The newest epoch checkpoint whose files are all complete (see checkCheckpoint). */
export function findResumePoint(dir: string, modelName: string): ResumePoint {
  const skipped: string[] = [];
  for (const epoch of epochsOnDisk(dir, modelName)) {
    const base = checkpointBase(dir, modelName, epochTag(epoch));
    try {
      const c = checkCheckpoint(base);
      if (c.ok) {
        if (c.state.epoch === epoch) return { epoch, skipped };
        skipped.push(`${path.basename(base)}: its loop state says epoch ${c.state.epoch}`);
      } else skipped.push(`${path.basename(base)}: ${c.problem}`);
    } catch (e) {
      if (!(e instanceof CodedError)) throw e;
      skipped.push(`${path.basename(base)}: ${e.message}`);
    }
  }
  return { epoch: 0, skipped };
}

/** Whether the epoch checkpoint is complete (a resume from it will load); never throws. */
export function completeEpochCheckpoint(dir: string, modelName: string, epoch: number): boolean {
  try {
    return checkCheckpoint(checkpointBase(dir, modelName, epochTag(epoch))).ok;
  } catch (e) {
    if (e instanceof CodedError) return false;
    throw e;
  }
}

/** `.<name>.<pid>.<n>.tmp`, as src/util/atomic-write.ts names its temp files. */
const TEMP_FILE = /^\.(.+)\.([0-9]+)\.[0-9a-z]+\.tmp$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files of `modelName`'s outputs in `dir` whose writer is no longer running (a
 * process killed mid-save cannot remove its own); returns their names. Never used by resume in
 * any case: only the final names are read.
 */
export function removeStaleTemps(dir: string, modelName: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const removed: string[] = [];
  for (const f of fs.readdirSync(dir)) {
    const m = TEMP_FILE.exec(f);
    if (!m || !(m[1].startsWith(`${modelName}_`) || m[1] === 'metrics.jsonl')) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(dir, f), { force: true });
    removed.push(f);
  }
  return removed;
}

/** Record kinds written once per epoch (or step) of training; the others describe a finished run. */
const PER_EPOCH = new Set<ChainRecord['kind']>(['train_step', 'train_epoch', 'val', 'checkpoint']);

/**
 * Rewrites a run's records file (atomically) for a resume from `epoch`: keeps the records of
 * epochs ≤ `epoch`, drops what the stopped run wrote after its checkpoint (later epochs, a torn
 * last line, the `selected` / `train_end` of an earlier finish). Returns the number of lines dropped.
 */
export function trimRecordsForResume(file: string, epoch: number): number {
  if (!fs.existsSync(file)) return 0;
  const text = readTextBounded(file, {
    what: 'chain records',
    maxBytes: FILE_LIMITS.report,
    code: 'E_FILE_UNREADABLE',
  });
  const kept: string[] = [];
  let dropped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      dropped++;
      continue;
    }
    const r = value as ChainRecord & { epoch?: unknown };
    const keep =
      codec.check(value).length === 0 && PER_EPOCH.has(r.kind) && typeof r.epoch === 'number' && r.epoch <= epoch;
    if (keep) kept.push(line);
    else dropped++;
  }
  if (dropped) writeFileAtomic(file, kept.map((l) => `${l}\n`).join(''));
  return dropped;
}

/** `resume_epoch` as the loop uses it: a number as given, `auto` looked up in the output folder. */
export function resolveResumePoint(
  value: number | 'auto',
  dir: string,
  modelName: string,
): ResumePoint & { auto: boolean } {
  if (value === 'auto') return { ...findResumePoint(dir, modelName), auto: true };
  return { epoch: value, skipped: [], auto: false };
}
