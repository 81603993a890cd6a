import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRecords, RecordWriter } from '../contracts/index.js';
import { loadConfig } from '../config/recipe.js';
import { stateDict } from '../model/weights.js';
import { initBackend } from '../util/backend.js';
import { CodedError } from '../util/errors.js';
import { runTrain } from '../cli/train.js';
import {
  checkCheckpoint,
  checkpointBase,
  checkpointFiles,
  epochTag,
  loadCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';
import { buildModel } from './loop.js';
import { writeTinySplit } from './fixtures.test-util.js';
import { MomentumSgd } from './optimizer.js';
import { findResumePoint, removeStaleTemps, resolveResumePoint, trimRecordsForResume } from './resume.js';
import { serializeSafetensors, readSafetensors } from '../model/safetensors.js';
import type { CtrGcnModel } from '../model/ctrgcn.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CFG = path.join(ROOT, 'configs/ctrgcn_light_ntucs_joint.yaml');
const MODEL = 'CTRGCN_light_joint';
const TINY = ['MODEL.backbone.base_channel=8', 'MODEL.head.in_channels=8', 'MODEL.head.num_classes=3'];

/** A pid that no process has any more. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof CodedError) return e.code;
    throw e;
  }
  return undefined;
}

describe('checkpoint completeness and resume points', () => {
  let dir: string;
  let model: CtrGcnModel;
  let opt: MomentumSgd;
  beforeAll(async () => {
    await initBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-resume-'));
    model = buildModel(loadConfig(CFG, TINY).cfg, 3);
    opt = new MomentumSgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
  });
  afterAll(() => {
    model.dispose();
    opt.dispose();
  });

  const base = (out: string, epoch: number) => checkpointBase(out, MODEL, epochTag(epoch));
  const save = (out: string, epoch: number) =>
    saveCheckpoint(base(out, epoch), model, opt, { epoch, globalStep: epoch * 4, seed: 3 });

  it('a saved checkpoint is complete and loads back the same tensors', () => {
    const out = path.join(dir, 'roundtrip');
    save(out, 1);
    const c = checkCheckpoint(base(out, 1));
    expect(c.ok).toBe(true);
    const other = buildModel(loadConfig(CFG, TINY).cfg, 99);
    const o2 = new MomentumSgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
    try {
      expect(loadCheckpoint(base(out, 1), other, o2)).toEqual({ epoch: 1, globalStep: 4, seed: 3 });
      const want = stateDict(model);
      const got = stateDict(other);
      for (const [k, t] of want)
        expect(Buffer.from(got.get(k)!.data.buffer).equals(Buffer.from(t.data.buffer)), k).toBe(true);
    } finally {
      other.dispose();
      o2.dispose();
    }
    expect(findResumePoint(out, MODEL)).toEqual({ epoch: 1, skipped: [] });
  });

  it('a save cut off after its first files is skipped by auto and refused when named', () => {
    const out = path.join(dir, 'cut');
    save(out, 1);
    save(out, 2);
    // What a kill while writing epoch 2's optimiser file leaves: the weights files and a temp file.
    const f2 = checkpointFiles(base(out, 2));
    fs.renameSync(f2.opt, path.join(out, `.${path.basename(f2.opt)}.${deadPid()}.2.tmp`));
    const p = findResumePoint(out, MODEL);
    expect(p.epoch).toBe(1);
    expect(p.skipped).toEqual([expect.stringMatching(/epoch_00002: .*opt\.safetensors is missing/)]);
    expect(codeOf(() => loadCheckpoint(base(out, 2), model, opt))).toBe('E_CHECKPOINT_INCOMPLETE');
    expect(resolveResumePoint(2, out, MODEL)).toEqual({ epoch: 2, skipped: [], auto: false });
    expect(resolveResumePoint('auto', out, MODEL)).toMatchObject({ epoch: 1, auto: true });
  });

  it('a weights file rewritten without its optimiser file (a torn rewrite of best) is not complete', () => {
    const out = path.join(dir, 'torn');
    save(out, 1);
    const b1 = checkpointBase(out, MODEL, 'best');
    saveCheckpoint(b1, model, opt, { epoch: 1, globalStep: 4, seed: 3 });
    const f = checkpointFiles(b1);
    // The next save of best got as far as its .safetensors (other weights), then stopped.
    const w = readSafetensors(f.safetensors);
    const [k0] = w.keys();
    w.get(k0)!.data[0] += 1;
    fs.writeFileSync(f.safetensors, serializeSafetensors(w, { epoch: '2' }));
    const c = checkCheckpoint(b1);
    expect(c.ok).toBe(false);
    expect(!c.ok && c.problem).toMatch(/best\.safetensors .* is not the file .* was saved with .*: it was rewritten/);
    expect(codeOf(() => loadCheckpoint(b1, model, opt))).toBe('E_CHECKPOINT_INCOMPLETE');
    // The same for an epoch checkpoint whose .pdparams is missing.
    fs.rmSync(checkpointFiles(base(out, 1)).pdparams);
    expect(findResumePoint(out, MODEL)).toEqual({
      epoch: 0,
      skipped: [expect.stringMatching(/epoch_00001: .*epoch_00001\.pdparams is missing/)],
    });
  });

  it('no checkpoint: auto starts afresh, a named epoch is E_CHECKPOINT_MISSING; a manifest-less one is skipped', () => {
    const out = path.join(dir, 'none');
    fs.mkdirSync(out);
    expect(resolveResumePoint('auto', out, MODEL)).toEqual({ epoch: 0, skipped: [], auto: true });
    expect(codeOf(() => loadCheckpoint(base(out, 1), model, opt))).toBe('E_CHECKPOINT_MISSING');
    save(out, 1);
    const f = checkpointFiles(base(out, 1));
    fs.writeFileSync(
      f.opt,
      serializeSafetensors(new Map(), { loop_state: JSON.stringify({ epoch: 1, globalStep: 4, seed: 3 }) }),
    );
    expect(findResumePoint(out, MODEL).skipped).toEqual([expect.stringMatching(/no manifest .*older version/)]);
  });

  it('temp files of dead writers are removed; a live writer’s and other files are kept', async () => {
    const out = path.join(dir, 'temps');
    fs.mkdirSync(out);
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      const dead = `.${MODEL}_epoch_00002.safetensors.${deadPid()}.a.tmp`;
      const deadMetrics = `.metrics.jsonl.${deadPid()}.0.tmp`;
      const alive = `.${MODEL}_best.pdparams.${live.pid}.1.tmp`;
      const other = `.OtherModel_epoch_00001.pdparams.${deadPid()}.0.tmp`;
      for (const f of [dead, deadMetrics, alive, other, 'notes.tmp']) fs.writeFileSync(path.join(out, f), 'x');
      expect(removeStaleTemps(out, MODEL).sort()).toEqual([deadMetrics, dead].sort());
      expect(fs.readdirSync(out).sort()).toEqual([alive, other, 'notes.tmp'].sort());
    } finally {
      live.kill();
    }
  });
});

describe('metrics.jsonl of a resumed run', () => {
  it('keeps the records of the epochs the checkpoint holds and drops the rest, a torn line included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-trim-'));
    const file = path.join(dir, 'metrics.jsonl');
    const w = new RecordWriter([file], {}, { truncate: true });
    const step = (epoch: number, iter: number) =>
      w.write('train_step', {
        epoch,
        iter,
        global_step: (epoch - 1) * 2 + iter + 1,
        loss: 1,
        lr: 0.1,
        top1: 0.5,
        top5: 1,
        batch_cost: 0.1,
        reader_cost: 0,
        ips: 20,
        rss_mb: 1,
        peak_rss_mb: 1,
      });
    const epochEnd = (epoch: number) => {
      w.write('train_epoch', {
        epoch,
        epochs: 3,
        steps: 2,
        loss_avg: 1,
        top1_avg: 0.5,
        top5_avg: 1,
        avg_batch_cost: 0.1,
        avg_reader_cost: 0,
        batch_cost_sum: 0.2,
        avg_ips: 20,
      });
      w.write('checkpoint', { epoch, global_step: epoch * 2, tag: epochTag(epoch), file: `x_${epoch}.pdparams` });
    };
    for (const e of [1, 2]) {
      step(e, 0);
      step(e, 1);
      epochEnd(e);
    }
    step(3, 0);
    w.write('train_end', {
      model_name: MODEL,
      epochs: 3,
      steps: 5,
      wall_s: 1,
      mean_step_s: 0.1,
      samples_per_s: 20,
      peak_rss_mb: 1,
      last_val_top1: null,
      best_val_top1: null,
    });
    w.close();
    fs.appendFileSync(file, '{"v":1,"kind":"train_st'); // the line the kill cut
    const before = parseRecords(fs.readFileSync(file, 'utf8'), file).records.length;
    expect(before).toBe(10);
    expect(trimRecordsForResume(file, 2)).toBe(3);
    const after = parseRecords(fs.readFileSync(file, 'utf8'), file);
    expect(after.problems).toEqual([]);
    expect(after.records.map((r) => `${r.kind}:${(r as { epoch?: number }).epoch}`)).toEqual([
      'train_step:1',
      'train_step:1',
      'train_epoch:1',
      'checkpoint:1',
      'train_step:2',
      'train_step:2',
      'train_epoch:2',
      'checkpoint:2',
    ]);
    expect(trimRecordsForResume(file, 1)).toBe(4);
    expect(trimRecordsForResume(file, 1)).toBe(0);
    expect(trimRecordsForResume(path.join(dir, 'absent.jsonl'), 1)).toBe(0);
  });

  it('a resume that cannot load its checkpoint leaves metrics.jsonl as it was', async () => {
    await initBackend();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-noresume-'));
    const split = writeTinySplit(dir, 'train', { count: 4, frames: 20, classes: 3, seed: 1 });
    const out = path.join(dir, 'run');
    fs.mkdirSync(out);
    const metrics = path.join(out, 'metrics.jsonl');
    const text = '{"v":1,"kind":"train_step"}\n{"torn';
    fs.writeFileSync(metrics, text);
    const argv = [
      '-c',
      CFG,
      ...[...TINY, `DATASET.train.file_path=${split.data}`, `DATASET.train.label_path=${split.labels}`]
        .concat(['DATASET.batch_size=2', 'PIPELINE.train.sample.window_size=16', `output_dir=${out}`, 'resume_epoch=3'])
        .flatMap((o) => ['-o', o]),
    ];
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const err = (await runTrain(argv).catch((e: unknown) => e)) as CodedError;
      expect(err.code).toBe('E_CHECKPOINT_MISSING');
    } finally {
      log.mockRestore();
    }
    expect(fs.readFileSync(metrics, 'utf8')).toBe(text);
  });

  it('--resume and -o resume_epoch together are a usage error', async () => {
    await expect(runTrain(['-c', CFG, '--resume', '-o', 'resume_epoch=1'])).rejects.toThrow(
      /--resume and -o resume_epoch=… both say where to resume/,
    );
  });
});
