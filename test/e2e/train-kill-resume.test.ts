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
import { readSafetensors } from '../../src/model/safetensors.js';
import { writeTinySplit } from '../../src/train/test-fixtures.js';

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
});
