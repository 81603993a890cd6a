// `ctrgcn train` killed with SIGKILL in the middle of an epoch, then resumed with `--resume`, ends
// with the same bytes as an uninterrupted run of the same seed: every checkpoint file of the later
// epochs, the selected copy, and the records of every epoch (timings aside). Tiny model, tiny data,
// the tuned recipe (mixup, label smoothing, per-iteration LR, random crop and rotation), so every
// seeded stream and the optimiser state must come back exactly.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRecords, recordsOf, type ChainRecord } from '../../src/contracts/index.js';
import { checkRecords, RECORDS_OK } from '../../src/contracts/records.test-util.js';
import { readSafetensors, type TensorMap } from '../../src/model/safetensors.js';
import { readWeightsFile } from '../../src/model/weights.js';
import { checkCheckpoint, checkpointFiles } from '../../src/train/checkpoint.js';
import { findResumePoint, removeStaleTemps } from '../../src/train/resume.js';
import { writeTinySplit } from '../../src/train/fixtures.test-util.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(root, 'bin/ctrgcn.js');
const AUG = path.join(root, 'configs/ctrgcn_light_ntucs_joint_aug.yaml');
const MODEL = 'CTRGCN_light_joint';
const EPOCHS = 3;
const STEPS = 8; // per epoch: 16 samples, batch 2

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `ctrgcn train` in its own process group (so SIGKILL reaches the launcher and its worker). */
function startTrain(argv: string[]): Run {
  const child = spawn(process.execPath, [BIN, 'train', ...argv], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', TIPC_RECORDS: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

function readRecords(file: string): ChainRecord[] {
  if (!fs.existsSync(file)) return [];
  // The file is being appended to: only whole lines count.
  const text = fs.readFileSync(file, 'utf8');
  return parseRecords(text.slice(0, text.lastIndexOf('\n') + 1), file).records;
}

/** The records with what depends on the clock or the machine taken out. */
function deterministic(records: ChainRecord[], dir: string): unknown[] {
  const timing = new Set(['batch_cost', 'reader_cost', 'ips', 'rss_mb', 'peak_rss_mb']);
  const epochTiming = new Set(['avg_batch_cost', 'avg_reader_cost', 'batch_cost_sum', 'avg_ips']);
  return records
    .filter((r) => ['train_step', 'train_epoch', 'val', 'checkpoint', 'selected'].includes(r.kind))
    .map((r) =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => !timing.has(k) && !epochTiming.has(k))
          .map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll(dir, '<out>') : v]),
      ),
    );
}

/** Names of the tensors whose bytes differ between two safetensors files (plus any missing one). */
function differingTensors(a: string, b: string): string[] {
  const ta = readSafetensors(a);
  const tb = readSafetensors(b);
  const names = new Set([...ta.keys(), ...tb.keys()]);
  return [...names].filter((k) => {
    const x = ta.get(k);
    const y = tb.get(k);
    return !x || !y || !Buffer.from(x.data.buffer).equals(Buffer.from(y.data.buffer));
  });
}

describe('train killed mid-epoch resumes to bit-identical weights (CLI, SIGKILL)', () => {
  let dir: string;
  let split: { data: string; labels: string };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-kill-'));
    split = writeTinySplit(dir, 'train', { count: 16, frames: 40, classes: 3, seed: 5, minValid: 20 });
  });

  const args = (out: string, extra: string[] = []) =>
    [
      `DATASET.train.file_path=${split.data}`,
      `DATASET.train.label_path=${split.labels}`,
      `DATASET.valid.file_path=${split.data}`,
      `DATASET.valid.label_path=${split.labels}`,
      'MODEL.backbone.base_channel=8',
      'MODEL.head.in_channels=8',
      'MODEL.head.num_classes=3',
      'PIPELINE.train.sample.window_size=16',
      'PIPELINE.valid.sample.window_size=16',
      'DATASET.batch_size=2',
      'DATASET.valid_batch_size=8',
      `epochs=${EPOCHS}`,
      'save_interval=1',
      'log_interval=1',
      `output_dir=${out}`,
    ]
      .flatMap((o) => ['-o', o])
      .concat(['-c', AUG, '--seed=11', '--validate', ...extra]);

  it('SIGKILL after the epoch-1 checkpoint, in epoch 2; --resume reaches the uninterrupted bytes', async () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');

    const runA = await startTrain(args(a)).done;
    expect(runA.code, runA.stderr).toBe(0);

    // Run B: watch its records; kill the whole process group once epoch 1's checkpoint is recorded
    // (written after its files) and a step of epoch 2 has been logged.
    const metricsB = path.join(b, 'metrics.jsonl');
    const B = startTrain(args(b));
    let killedAt: ChainRecord | undefined;
    const watcher = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const recs = readRecords(metricsB);
        const saved = recordsOf(recs, 'checkpoint').some((r) => r.tag === 'epoch_00001');
        const step2 = recordsOf(recs, 'train_step').find((r) => r.epoch === 2);
        if (saved && step2) {
          killedAt = step2;
          process.kill(-B.child.pid!, 'SIGKILL');
          clearInterval(poll);
          resolve();
        }
      }, 5);
      void B.done.then(() => {
        clearInterval(poll);
        resolve();
      });
    });
    await watcher;
    const killed = await B.done;
    expect(killed.signal, `run B was not killed: ${killed.stderr}`).toBe('SIGKILL');
    expect(killedAt).toMatchObject({ epoch: 2 });
    // The kill landed inside epoch 2: its checkpoint was never completed.
    expect(fs.existsSync(path.join(b, `${MODEL}_epoch_00002.opt.safetensors`))).toBe(false);
    const stepsBeforeKill = recordsOf(readRecords(metricsB), 'train_step').filter((r) => r.epoch === 2).length;
    expect(stepsBeforeKill).toBeLessThan(STEPS);

    const resumed = await startTrain(args(b, ['--resume'])).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`Resumed from .*${MODEL}_epoch_00001 \\(epoch 1, step ${STEPS}\\)`));
    expect(resumed.stdout).toMatch(/epoch:\[ {2}2\/3 {2}\] train step:0 /);
    expect(resumed.stdout).not.toMatch(/epoch:\[ {2}1\/3 {2}\]/);

    // Bit-identical: the weights tensor by tensor, then every file of the epochs B trained after the kill.
    for (const tag of ['epoch_00003', 'best'])
      expect(
        differingTensors(path.join(a, `${MODEL}_${tag}.safetensors`), path.join(b, `${MODEL}_${tag}.safetensors`)),
        tag,
      ).toEqual([]);
    for (const tag of ['epoch_00002', 'epoch_00003', 'best'])
      for (const ext of ['.safetensors', '.pdparams', '.opt.safetensors'])
        expect(
          fs
            .readFileSync(path.join(b, `${MODEL}_${tag}${ext}`))
            .equals(fs.readFileSync(path.join(a, `${MODEL}_${tag}${ext}`))),
          `${tag}${ext}`,
        ).toBe(true);
    const selected = `${MODEL}_selected.pdparams`;
    expect(fs.readFileSync(path.join(b, selected)).equals(fs.readFileSync(path.join(a, selected)))).toBe(true);

    // The records read as one uninterrupted run: no torn line, epoch 2 once, and every loss, LR,
    // accuracy and validation figure equal to run A's.
    expect(
      checkRecords(metricsB, ['train_step', 'train_epoch', 'val', 'checkpoint', 'selected', 'train_end']),
    ).toMatchObject(RECORDS_OK);
    const recA = readRecords(path.join(a, 'metrics.jsonl'));
    const recB = readRecords(metricsB);
    expect(recordsOf(recB, 'train_step')).toHaveLength(EPOCHS * STEPS);
    expect(recordsOf(recB, 'train_epoch').map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(deterministic(recB, b)).toEqual(deterministic(recA, a));
    const lastA = recordsOf(recA, 'train_epoch').at(-1)!;
    const lastB = recordsOf(recB, 'train_epoch').at(-1)!;
    expect([lastB.loss_avg, lastB.top1_avg]).toEqual([lastA.loss_avg, lastA.top1_avg]);
    // Nothing half-written is left behind.
    expect(fs.readdirSync(b).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  // A writer that saves checkpoints back to back (every tensor of save k holds the value k, so a
  // file shows which save it came from), at the shipped model size (≈ 4 MB a file).
  const SAVER = (out: string) => `
    const dist = ${JSON.stringify(path.join(root, 'dist'))};
    const tf = await import('@tensorflow/tfjs');
    await (await import(dist + '/util/backend.js')).initBackend();
    const { loadConfig } = await import(dist + '/config/recipe.js');
    const { buildModel } = await import(dist + '/train/loop.js');
    const { MomentumSgd } = await import(dist + '/train/optimizer.js');
    const { saveCheckpoint, checkpointBase, epochTag } = await import(dist + '/train/checkpoint.js');
    const { cfg } = loadConfig(${JSON.stringify(AUG)}, []);
    const model = buildModel(cfg, 1);
    const opt = new MomentumSgd({ momentum: 0.9, nesterov: true, weightDecay: 0 });
    const out = ${JSON.stringify(out)};
    for (let k = 1; ; k++) {
      for (const v of [...model.params.values(), ...model.buffers.values()]) v.assign(tf.fill(v.shape, k));
      const state = { epoch: k, globalStep: k, seed: 1 };
      saveCheckpoint(checkpointBase(out, '${MODEL}', epochTag(k)), model, opt, state);
      saveCheckpoint(checkpointBase(out, '${MODEL}', 'best'), model, opt, state);
      process.stdout.write(k + '\\n');
    }`;

  /** Whether every element of every tensor equals `k`. */
  const allEqual = (m: TensorMap, k: number) => [...m.values()].every((t) => t.data.every((x) => x === k));

  it('a checkpoint being written when SIGKILL lands is never used; its temp file is ignored, then removed', async () => {
    let evidence = 0;
    // Each kill aims at one file of a save: it is sent when that file's temp file appears
    // (`after`: saves completed first), from the first file of a save to `best`'s completing file.
    const aims = [
      { file: '_epoch_00004.pdparams', after: 0 },
      { file: '_epoch_00004.safetensors', after: 0 },
      { file: '_epoch_00004.opt.safetensors', after: 0 },
      { file: '_best.opt.safetensors', after: 3 },
    ];
    for (const [n, aim] of aims.entries()) {
      const out = path.join(dir, `saver-${n}`);
      fs.mkdirSync(out);
      const child = spawn(process.execPath, ['--input-type=module', '-e', SAVER(out)], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
      });
      let reported = 0;
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
      child.stdout.on('data', (d: Buffer) => {
        reported = Math.max(reported, ...String(d).trim().split('\n').map(Number));
        if (reported >= 6) child.kill('SIGKILL'); // the aimed file was missed: stop anyway
      });
      const watcher = fs.watch(out, (_e, name) => {
        if (reported >= aim.after && name?.startsWith(`.${MODEL}${aim.file}.`) && name.endsWith('.tmp'))
          child.kill('SIGKILL');
      });
      const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, sig) => resolve(sig)));
      expect(await closed, stderr).toBe('SIGKILL');
      watcher.close();

      const temps = fs.readdirSync(out).filter((f) => f.endsWith('.tmp'));
      // Resume finds a complete checkpoint at least as new as the last save reported, and its files
      // are the files of that one save.
      const point = findResumePoint(out, MODEL);
      expect(point.epoch).toBeGreaterThanOrEqual(reported);
      const base = path.join(out, `${MODEL}_epoch_${String(point.epoch).padStart(5, '0')}`);
      expect(allEqual(readSafetensors(checkpointFiles(base).safetensors), point.epoch)).toBe(true);
      expect(allEqual(readWeightsFile(checkpointFiles(base).pdparams), point.epoch)).toBe(true);
      // `best` is rewritten in place by every save: when its files are complete they are one save's.
      const best = checkCheckpoint(path.join(out, `${MODEL}_best`));
      if (best.ok) {
        expect(allEqual(readSafetensors(path.join(out, `${MODEL}_best.safetensors`)), best.state.epoch)).toBe(true);
        expect(allEqual(readWeightsFile(path.join(out, `${MODEL}_best.pdparams`)), best.state.epoch)).toBe(true);
      } else expect(best.problem).toMatch(/missing|rewritten/);
      if (temps.length || point.skipped.length || !best.ok) evidence++;
      // The dead writer's temp files are removed; the checkpoints are not touched.
      expect(removeStaleTemps(out, MODEL).sort()).toEqual(temps.sort());
      expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(findResumePoint(out, MODEL).epoch).toBe(point.epoch);
    }
    // At least one kill landed inside a save (a temp file, a cut epoch checkpoint or a torn `best`).
    expect(evidence).toBeGreaterThan(0);
  });
});
