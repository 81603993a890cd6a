// The one slow test: synthetic NTU-format .skeleton files → the real data pipeline (denoise,
// X-sub split, .npy + _label.pkl) → the light model trained briefly on CPU → val top-1 far above chance.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../util/backend.js';
import { generateSynthNtu } from '../data/synth/generate.js';
import { prepareNtu } from '../data/ntu-pipeline.js';
import { loadConfig } from '../config/recipe.js';
import { TrainLogger } from './logger.js';
import { train } from './loop.js';
import { evaluate } from './evaluate.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLASSES = 6;

describe('learning on synthetic data through the real pipeline', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-learn-'));
    generateSynthNtu({
      out: path.join(dir, 'raw'),
      classes: CLASSES,
      seed: 21,
      performers: 6,
      cameras: 2,
      replications: 2,
      minFrames: 40,
      maxFrames: 80,
    });
    await prepareNtu({ raw: path.join(dir, 'raw'), out: dir, benchmarks: ['xsub'] });
  }, 300_000);

  it('CTRGCN_light beats chance clearly on the X-sub val split', async () => {
    const x = path.join(dir, 'xsub');
    const out = path.join(dir, 'run');
    const { cfg } = loadConfig(path.join(ROOT, 'configs/ctrgcn_light_lite.yaml'), [
      `DATASET.train.file_path=${x}/train_data.npy`,
      `DATASET.train.label_path=${x}/train_label.pkl`,
      `DATASET.test.file_path=${x}/val_data.npy`,
      `DATASET.test.label_path=${x}/val_label.pkl`,
      'DATASET.batch_size=8',
      'epochs=5',
      'OPTIMIZER.learning_rate.max_epoch=5',
      'log_interval=100',
      `output_dir=${out}`,
    ]);
    const quiet = new Writable({ write: (_c, _e, cb) => cb() });
    const s = await train({ cfg, seed: 5, logger: new TrainLogger({ out: quiet }) });
    expect(s.steps).toBeGreaterThanOrEqual(40);
    const rep = await evaluate({
      cfg,
      weights: path.join(out, 'CTRGCN_light_joint_epoch_00005.pdparams'),
      logger: new TrainLogger({ out: quiet }),
    });
    console.log(
      `learning test: ${s.steps} steps in ${s.wallSec.toFixed(0)} s, val top-1 ${rep.top1.toFixed(3)} on ${rep.samples} samples (chance ${1 / CLASSES})`,
    );
    expect(rep.samples).toBeGreaterThan(10);
    // Chance is 1/6; at least three times chance after this short run.
    expect(rep.top1).toBeGreaterThanOrEqual(0.5);
  }, 600_000);
});
