// Checkpoints (training.md §8): `<output_dir>/<model_name>_epoch_<EEEEE>` + `.safetensors`
// (weights + BN stats), `.pdparams` (Paddle-compatible pickle, what the TIPC driver passes to eval
// and export) and `.opt.safetensors` (momentum velocities + loop position, our `.pdopt`), each
// written atomically. A non-finite tensor is never written.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordBody } from '../contracts/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { CtrGcnModel } from '../model/ctrgcn.js';
import { readSafetensors, writeSafetensors, type TensorMap } from '../model/safetensors.js';
import { loadStateDict, readWeightsFile, stateDict, writePdparams } from '../model/weights.js';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS, readFileBounded } from '../util/file-limits.js';
import type { MomentumSgd } from './optimizer.js';

export const epochTag = (epoch1: number) => `epoch_${String(epoch1).padStart(5, '0')}`;

export function checkpointBase(outputDir: string, modelName: string, tag: string): string {
  return path.join(outputDir, `${modelName}_${tag}`);
}

/** Should 0-based epoch E be saved (E % save_interval == 0 or the last epoch)? */
export function shouldSave(epoch0: number, saveInterval: number, epochs: number): boolean {
  return epoch0 % saveInterval === 0 || epoch0 === epochs - 1;
}

export class NonFiniteError extends CodedError {
  constructor(what: string) {
    super('E_NAN_LOSS', what, 3);
    this.name = 'NonFiniteError';
  }
}

function assertFinite(map: TensorMap, what: string): void {
  for (const [k, t] of map) {
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i]))
        throw new NonFiniteError(
          `refusing to save ${what}: tensor ${k} holds ${t.data[i]}; the last good checkpoint is kept`,
        );
    }
  }
}

export interface LoopState {
  /** Epochs completed (1-based number of the checkpoint's epoch). */
  epoch: number;
  /** Optimiser steps done in the whole run. */
  globalStep: number;
  seed: number;
  bestTop1?: number;
  /** Epoch (1-based) of the best validation so far. */
  bestEpoch?: number;
}

/** Fixed name of the copy of the selected checkpoint (what this package's params files point at). */
export const selectedName = (modelName: string) => `${modelName}_selected.pdparams`;

export interface SelectionInput {
  outputDir: string;
  modelName: string;
  epochs: number;
  /** Best validation so far (`--validate`). */
  best?: { epoch: number; top1: number };
  /** Last checkpoint this run saved. */
  last?: { epoch: number; file: string };
}

/**
 * The checkpoint evaluation and export should use: `<model>_best` when validation ran (the best
 * validation top-1, as PaddleVideo keeps it), else the last epoch checkpoint (this run's, or the
 * newest on disk after a resume). It is copied to `<model>_selected.pdparams` (a fixed name a params
 * file can point at); returns the `selected` record body, or undefined when no checkpoint exists.
 */
export function selectCheckpoint(s: SelectionInput): RecordBody<'selected'> | undefined {
  const bestFile = `${checkpointBase(s.outputDir, s.modelName, 'best')}.pdparams`;
  let pick: { rule: 'best' | 'last'; file: string; epoch: number; top1: number | null; reason: string } | undefined;
  if (s.best && fs.existsSync(bestFile))
    pick = {
      rule: 'best',
      file: bestFile,
      epoch: s.best.epoch,
      top1: s.best.top1,
      reason: `best validation top-1 ${s.best.top1.toFixed(4)} (epoch ${s.best.epoch} of ${s.epochs}, --validate)`,
    };
  else {
    let last = s.last;
    if (!last) {
      const prefix = `${s.modelName}_epoch_`;
      const found = (fs.existsSync(s.outputDir) ? fs.readdirSync(s.outputDir) : [])
        .filter((f) => f.startsWith(prefix) && f.endsWith('.pdparams'))
        .map((f) => ({ tag: f.slice(prefix.length, -'.pdparams'.length), file: path.join(s.outputDir, f) }))
        .filter((x) => /^[0-9]{5}$/.test(x.tag))
        .map((x) => ({ epoch: Number(x.tag), file: x.file }))
        .sort((a, b) => b.epoch - a.epoch);
      last = found[0];
    }
    if (last)
      pick = {
        rule: 'last',
        file: last.file,
        epoch: last.epoch,
        top1: null,
        reason: `last checkpoint (epoch ${last.epoch} of ${s.epochs}); no validation ran (train with --validate to select the best)`,
      };
  }
  if (!pick) return undefined;
  const bytes = readFileBounded(pick.file, {
    what: 'checkpoint',
    maxBytes: FILE_LIMITS.safetensors,
    code: 'E_CHECKPOINT_INVALID',
  });
  const alias = path.join(s.outputDir, selectedName(s.modelName));
  writeFileAtomic(alias, bytes);
  return {
    rule: pick.rule,
    file: pick.file,
    alias,
    epoch: pick.epoch,
    val_top1: pick.top1,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    reason: pick.reason,
  };
}

export function saveCheckpoint(
  base: string,
  model: CtrGcnModel,
  opt: MomentumSgd,
  state: LoopState,
  meta: Record<string, string> = {},
): string[] {
  const weights = stateDict(model);
  assertFinite(weights, `${base}`);
  const velocities = opt.stateDict();
  assertFinite(velocities, `${base} optimiser state`);
  fs.mkdirSync(path.dirname(base), { recursive: true });
  const metadata = {
    format: 'ctrgcn-train',
    ...meta,
    epoch: String(state.epoch),
    global_step: String(state.globalStep),
  };
  writeSafetensors(`${base}.safetensors`, weights, metadata);
  writePdparams(`${base}.pdparams`, weights, model.tree);
  writeSafetensors(`${base}.opt.safetensors`, velocities, {
    format: 'ctrgcn-train-optimizer',
    loop_state: JSON.stringify(state),
  });
  return [`${base}.safetensors`, `${base}.pdparams`, `${base}.opt.safetensors`];
}

/** Reads a weights file (.safetensors or .pdparams) into the model. */
export function loadWeightsInto(model: CtrGcnModel, file: string, strict = true): void {
  if (!fs.existsSync(file)) throw new CodedError('E_WEIGHTS_MISSING', `weights file not found: ${file}`);
  loadStateDict(model, readWeightsFile(file), { strict, source: file });
}

/** Restores weights + optimiser state of `base` (resume). */
export function loadCheckpoint(base: string, model: CtrGcnModel, opt: MomentumSgd): LoopState {
  const wFile = fs.existsSync(`${base}.safetensors`) ? `${base}.safetensors` : `${base}.pdparams`;
  const oFile = `${base}.opt.safetensors`;
  if (!fs.existsSync(wFile))
    throw new CodedError('E_CHECKPOINT_MISSING', `checkpoint not found: ${base}.safetensors (or .pdparams)`);
  if (!fs.existsSync(oFile)) throw new CodedError('E_CHECKPOINT_MISSING', `optimiser state not found: ${oFile}`);
  loadWeightsInto(model, wFile, true);
  const buf = readFileBounded(oFile, {
    what: 'optimiser state',
    maxBytes: FILE_LIMITS.safetensors,
    code: 'E_CHECKPOINT_INVALID',
  });
  const n = buf.length >= 8 ? Number(buf.readBigUInt64LE(0)) : -1;
  if (n < 2 || 8 + n > buf.length)
    throw new CodedError('E_CHECKPOINT_INVALID', `${oFile}: safetensors header length ${n} does not fit the file`);
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as { __metadata__?: Record<string, string> };
  const raw = header.__metadata__?.loop_state;
  if (!raw) throw new CodedError('E_CHECKPOINT_INVALID', `${oFile}: no loop state in the metadata`);
  try {
    opt.loadStateDict(readSafetensors(oFile), model.params);
  } catch (e) {
    throw new CodedError('E_CHECKPOINT_INVALID', `${oFile}: ${(e as Error).message}`);
  }
  return JSON.parse(raw) as LoopState;
}
