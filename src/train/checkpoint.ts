// Checkpoints (training.md §8): `<output_dir>/<model_name>_epoch_<EEEEE>` + `.safetensors`
// (weights + BN stats), `.pdparams` (Paddle-compatible pickle, what the TIPC driver passes to eval
// and export) and `.opt.safetensors` (momentum velocities + loop position, our `.pdopt`), each
// written atomically. A non-finite tensor is never written.
//
// The three files are one checkpoint only together. The optimiser file is written last and carries
// the manifest (size and sha256 of the other two), so a checkpoint is complete exactly when its
// optimiser file exists and the weights files match the manifest: a process killed between two
// files (or while rewriting `best`) leaves a checkpoint that resume refuses or skips, never one
// whose weights and optimiser state come from different steps.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordBody } from '../contracts/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { CtrGcnModel } from '../model/ctrgcn.js';
import { parseSafetensors, serializeSafetensors, type TensorMap } from '../model/safetensors.js';
import { loadStateDict, readWeightsFile, serializePdparams, stateDict } from '../model/weights.js';
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

/** The three files of the checkpoint at `base`, in the order they are written. */
export const checkpointFiles = (base: string) => ({
  pdparams: `${base}.pdparams`,
  safetensors: `${base}.safetensors`,
  opt: `${base}.opt.safetensors`,
});

interface FileDigest {
  bytes: number;
  sha256: string;
}

/** The optimiser file's manifest of the weights files it belongs with. */
interface Manifest {
  safetensors: FileDigest;
  pdparams: FileDigest;
}

const digest = (buf: Uint8Array): FileDigest => ({
  bytes: buf.byteLength,
  sha256: crypto.createHash('sha256').update(buf).digest('hex'),
});

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
  const files = checkpointFiles(base);
  const st = serializeSafetensors(weights, {
    format: 'ctrgcn-train',
    ...meta,
    epoch: String(state.epoch),
    global_step: String(state.globalStep),
  });
  const pd = serializePdparams(weights, model.tree);
  const manifest: Manifest = { safetensors: digest(st), pdparams: digest(pd) };
  writeFileAtomic(files.pdparams, pd);
  writeFileAtomic(files.safetensors, st);
  // Last: the optimiser file completes the checkpoint.
  writeFileAtomic(
    files.opt,
    serializeSafetensors(velocities, {
      format: 'ctrgcn-train-optimizer',
      loop_state: JSON.stringify(state),
      manifest: JSON.stringify(manifest),
    }),
  );
  return [files.safetensors, files.pdparams, files.opt];
}

/** A complete checkpoint, read and checked: its loop state and the bytes of each file. */
export interface VerifiedCheckpoint {
  state: LoopState;
  weights: Buffer;
  optimizer: Buffer;
}

export type CheckpointCheck = ({ ok: true } & VerifiedCheckpoint) | { ok: false; missing: boolean; problem: string };

function readPart(file: string, what: string): Buffer {
  return readFileBounded(file, { what, maxBytes: FILE_LIMITS.safetensors, code: 'E_CHECKPOINT_INVALID' });
}

function isDigest(d: unknown): d is FileDigest {
  const o = d as FileDigest | null;
  return typeof o === 'object' && o !== null && Number.isSafeInteger(o.bytes) && /^[0-9a-f]{64}$/.test(o.sha256);
}

/**
 * Reads the checkpoint at `base` and tells whether it is complete: the optimiser file holds a loop
 * state and a manifest, and both weights files have the size and sha256 the manifest names.
 * `missing`: no file of the checkpoint exists at all.
 */
export function checkCheckpoint(base: string): CheckpointCheck {
  const files = checkpointFiles(base);
  const present = Object.values(files).filter((f) => fs.existsSync(f));
  if (!present.length) return { ok: false, missing: true, problem: `no checkpoint at ${base}` };
  const cut = (problem: string): CheckpointCheck => ({ ok: false, missing: false, problem });
  if (!fs.existsSync(files.opt))
    return cut(`${files.opt} is missing (the checkpoint was not finished: the optimiser file is written last)`);
  const optimizer = readPart(files.opt, 'optimiser state');
  let metadata: Record<string, string>;
  try {
    metadata = parseSafetensors(optimizer, files.opt).metadata;
  } catch (e) {
    throw new CodedError('E_CHECKPOINT_INVALID', (e as Error).message);
  }
  if (!metadata.loop_state) throw new CodedError('E_CHECKPOINT_INVALID', `${files.opt}: no loop state in the metadata`);
  if (!metadata.manifest)
    return cut(`${files.opt}: no manifest of its weights files (written by an older version; resume needs one)`);
  let state: LoopState;
  let manifest: Manifest;
  try {
    state = JSON.parse(metadata.loop_state) as LoopState;
    manifest = JSON.parse(metadata.manifest) as Manifest;
  } catch (e) {
    throw new CodedError('E_CHECKPOINT_INVALID', `${files.opt}: malformed metadata (${(e as Error).message})`);
  }
  if (!Number.isSafeInteger(state.epoch) || !Number.isSafeInteger(state.globalStep))
    throw new CodedError('E_CHECKPOINT_INVALID', `${files.opt}: the loop state has no epoch and step`);
  let weights: Buffer | undefined;
  for (const part of ['safetensors', 'pdparams'] as const) {
    const want = manifest[part];
    if (!isDigest(want)) throw new CodedError('E_CHECKPOINT_INVALID', `${files.opt}: the manifest lacks ${part}`);
    const file = files[part];
    if (!fs.existsSync(file)) return cut(`${file} is missing`);
    const buf = readPart(file, 'checkpoint');
    const got = digest(buf);
    if (got.bytes !== want.bytes || got.sha256 !== want.sha256)
      return cut(
        `${file} (${got.bytes} bytes, sha256 ${got.sha256.slice(0, 12)}…) is not the file ${files.opt} was saved with ` +
          `(${want.bytes} bytes, sha256 ${want.sha256.slice(0, 12)}…): it was rewritten and the rest of the checkpoint was not`,
      );
    if (part === 'safetensors') weights = buf;
  }
  return { ok: true, state, weights: weights!, optimizer };
}

/** Reads a weights file (.safetensors or .pdparams) into the model. */
export function loadWeightsInto(model: CtrGcnModel, file: string, strict = true): void {
  if (!fs.existsSync(file)) throw new CodedError('E_WEIGHTS_MISSING', `weights file not found: ${file}`);
  loadStateDict(model, readWeightsFile(file), { strict, source: file });
}

/** Restores weights + optimiser state of `base` (resume); the checkpoint must be complete. */
export function loadCheckpoint(base: string, model: CtrGcnModel, opt: MomentumSgd): LoopState {
  const c = checkCheckpoint(base);
  if (!c.ok) {
    if (c.missing)
      throw new CodedError(
        'E_CHECKPOINT_MISSING',
        `checkpoint not found: ${checkpointFiles(base).opt} and its weights`,
      );
    throw new CodedError('E_CHECKPOINT_INCOMPLETE', `cannot resume from ${base}: ${c.problem}`);
  }
  const files = checkpointFiles(base);
  loadStateDict(model, parseSafetensors(c.weights, files.safetensors).tensors, {
    strict: true,
    source: files.safetensors,
  });
  try {
    opt.loadStateDict(parseSafetensors(c.optimizer, files.opt).tensors, model.params);
  } catch (e) {
    throw new CodedError('E_CHECKPOINT_INVALID', `${files.opt}: ${(e as Error).message}`);
  }
  return c.state;
}
