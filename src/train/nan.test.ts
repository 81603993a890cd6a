import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../util/backend.js';
import { CodedError } from '../util/errors.js';
import { writeNpy } from '../data/npy.js';
import { writeLabelPickle } from '../data/labels.js';
import { runTrain } from '../cli/train.js';
import { writeTinySplit } from './fixtures.test-util.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CFG = path.join(ROOT, 'configs/ctrgcn_light_ntucs_joint.yaml');

describe('errors: NaN loss keeps the last good checkpoint; bad inputs are named', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-nan-'));
  });

  const args = (data: string, labels: string, out: string, extra: string[] = []) => [
    '-c',
    CFG,
    `-o=DATASET.train.file_path=${data}`,
    `-o=DATASET.train.label_path=${labels}`,
    '-o',
    'MODEL.backbone.base_channel=8',
    '-o',
    'MODEL.head.in_channels=8',
    '-o',
    'MODEL.head.num_classes=3',
    '-o',
    'PIPELINE.train.sample.window_size=16',
    '-o',
    'DATASET.batch_size=2',
    '-o',
    'save_interval=1',
    '-o',
    `output_dir=${out}`,
    '--seed=3',
    '--max_iters=1',
    ...extra,
  ];

  it('a NaN loss is a named error with a non-zero exit code and never overwrites a checkpoint', async () => {
    const out = path.join(dir, 'run');
    const good = writeTinySplit(dir, 'good', { count: 4, frames: 20, classes: 3, seed: 1 });
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runTrain(args(good.data, good.labels, out, ['-o', 'epochs=1']))).toBe(0);
      const ckpt = path.join(out, 'CTRGCN_light_joint_epoch_00001.safetensors');
      const before = fs.readFileSync(ckpt);
      // Same run continued for a second epoch on data that turns the loss into NaN.
      const bad = path.join(dir, 'nan_data.npy');
      writeNpy(bad, '<f4', [4, 3, 20, 25, 2], new Float32Array(4 * 3 * 20 * 50).fill(NaN));
      const err = await runTrain(args(bad, good.labels, out, ['-o', 'epochs=2', '-o', 'resume_epoch=1'])).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(CodedError);
      expect((err as CodedError).code).toBe('E_NAN_LOSS');
      expect((err as CodedError).exitCode).not.toBe(0);
      expect(fs.readFileSync(ckpt).equals(before)).toBe(true);
      expect(fs.existsSync(path.join(out, 'CTRGCN_light_joint_epoch_00002.safetensors'))).toBe(false);
    } finally {
      log.mockRestore();
    }
  });

  it('missing data, label-count mismatch and config typos are named', async () => {
    const good = writeTinySplit(dir, 'g2', { count: 4, frames: 20, classes: 3, seed: 2 });
    await expect(runTrain(args(path.join(dir, 'missing.npy'), good.labels, path.join(dir, 'o1')))).rejects.toThrow(
      /data file not found: .*missing\.npy/,
    );
    const lab = path.join(dir, 'three_label.pkl');
    writeLabelPickle(lab, ['a', 'b', 'c'], [0, 1, 2]);
    await expect(runTrain(args(good.data, lab, path.join(dir, 'o2')))).rejects.toThrow(
      /three_label\.pkl: 3 labels, but .*g2_data\.npy holds 4 samples/,
    );
    await expect(
      runTrain([
        ...args(good.data, good.labels, path.join(dir, 'o3')),
        '-o',
        'OPTIMIZER.learning_rate.step_base_lr=abc',
      ]),
    ).rejects.toThrow(/OPTIMIZER\.learning_rate\.step_base_lr" must be number/);
    await expect(
      runTrain([...args(good.data, good.labels, path.join(dir, 'o4')), '-o', 'OPTIMIZR.momentum=0.5']),
    ).rejects.toThrow(/unknown key "OPTIMIZR"/);
  });

  it('Global.use_gpu=True never falls back to a silent CPU run', async () => {
    const good = writeTinySplit(dir, 'g3', { count: 4, frames: 20, classes: 3, seed: 3 });
    let gpuInstalled = true;
    try {
      const optional = '@tensorflow/tfjs-node-gpu'; // optional package: not resolved at type-check time
      await import(optional);
    } catch {
      gpuInstalled = false;
    }
    if (gpuInstalled) return;
    await expect(
      runTrain([...args(good.data, good.labels, path.join(dir, 'o5')), 'Global.use_gpu=True']),
    ).rejects.toThrow(/tfjs-node-gpu/);
  });
});
