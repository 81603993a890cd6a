import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../util/backend.js';
import { readSafetensors } from '../model/safetensors.js';
import { readWeightsFile } from '../model/weights.js';
import { loadConfig } from '../config/recipe.js';
import { TrainLogger } from './logger.js';
import { train } from './loop.js';
import { evaluate } from './evaluate.js';
import { writeTinySplit } from './fixtures.test-util.js';
import { recordsOf } from '../contracts/index.js';
import { checkRecords, RECORDS_OK } from '../contracts/records.test-util.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const AUG = path.join(ROOT, 'configs/ctrgcn_light_ntucs_joint_aug.yaml');

function sink() {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { out, lines };
}

describe('training loop: checkpoints, resume, eval (tiny model, tiny data)', () => {
  let dir: string;
  let split: { data: string; labels: string };
  beforeAll(async () => {
    await initBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-loop-'));
    split = writeTinySplit(dir, 'train', { count: 9, frames: 40, classes: 3, seed: 5, minValid: 20 });
  });

  const overrides = (out: string, extra: string[] = []) => [
    `DATASET.train.file_path=${split.data}`,
    `DATASET.train.label_path=${split.labels}`,
    `DATASET.valid.file_path=${split.data}`,
    `DATASET.valid.label_path=${split.labels}`,
    `DATASET.test.file_path=${split.data}`,
    `DATASET.test.label_path=${split.labels}`,
    'MODEL.backbone.base_channel=8',
    'MODEL.head.in_channels=8',
    'MODEL.head.num_classes=3',
    'PIPELINE.train.sample.window_size=16',
    'PIPELINE.valid.sample.window_size=16',
    'PIPELINE.test.sample.window_size=16',
    'DATASET.batch_size=2',
    'DATASET.test_batch_size=4',
    'epochs=2',
    'save_interval=1',
    'log_interval=1',
    `output_dir=${out}`,
    ...extra,
  ];

  it('resume from an epoch checkpoint reproduces the uninterrupted run; eval writes its report', async () => {
    const a = path.join(dir, 'a');
    const la = sink();
    const { cfg } = loadConfig(AUG, overrides(a));
    const s = await train({
      cfg,
      seed: 7,
      maxIters: 2,
      validate: true,
      logger: new TrainLogger({ out: la.out, metricsFile: path.join(a, 'metrics.jsonl') }),
    });
    expect(s.steps).toBe(4);
    for (const f of ['CTRGCN_light_joint_epoch_00001', 'CTRGCN_light_joint_epoch_00002', 'CTRGCN_light_joint_best']) {
      for (const ext of ['.safetensors', '.pdparams', '.opt.safetensors'])
        expect(fs.existsSync(path.join(a, f + ext)), f + ext).toBe(true);
    }
    const text = la.lines.join('\n');
    expect(text).toMatch(
      /^\[\d\d\/\d\d \d\d:\d\d:\d\d\] epoch:\[ {2}1\/2 {2}\] train step:0 {4}loss: +\d\.\d{5} lr: 0\.\d{6} top1: \d\.\d{5} top5: \d\.\d{5} batch_cost: \d+\.\d{5} sec, reader_cost: \d+\.\d{5} sec, ips: \d+\.\d{5} instance\/sec, eta: \d+:\d\d:\d\d$/m,
    );
    expect(text).toMatch(/END epoch:1 {3}train loss_avg: +\d\.\d{5} {2}top1_avg: /);
    expect(text).toMatch(/END epoch:2 {3}val loss_avg: /);
    expect(text).toMatch(/Already save the best model \(top1 acc\)/);
    expect(text).toMatch(/training CTRGCN_light_joint finished/);
    expect(text).not.toMatch(/\u001b\[/);
    // The chain records (src/contracts), parsed by the one codec; a format change would be caught.
    const rc = checkRecords(path.join(a, 'metrics.jsonl'), [
      'train_step',
      'train_epoch',
      'val',
      'checkpoint',
      'selected',
      'train_end',
    ]);
    expect(rc).toMatchObject(RECORDS_OK);
    const steps = recordsOf(rc.records, 'train_step');
    expect(steps).toHaveLength(4);
    expect(steps[0]).toMatchObject({ epoch: 1, iter: 0, global_step: 1 });
    expect(recordsOf(rc.records, 'val')).toHaveLength(2);
    // Best by validation is selected for eval/export and copied under the fixed name.
    const [sel] = recordsOf(rc.records, 'selected');
    expect(sel).toMatchObject({ rule: 'best', file: path.join(a, 'CTRGCN_light_joint_best.pdparams') });
    expect(sel.alias).toBe(path.join(a, 'CTRGCN_light_joint_selected.pdparams'));
    expect(fs.readFileSync(sel.alias)).toEqual(fs.readFileSync(sel.file));
    expect(sel.val_top1).toBe(Math.max(...recordsOf(rc.records, 'val').map((v) => v.top1)));
    expect(recordsOf(rc.records, 'train_end')[0]).toMatchObject({ steps: 4, model_name: 'CTRGCN_light_joint' });

    // Resume in a fresh folder from epoch 1 of run A.
    const b = path.join(dir, 'b');
    fs.mkdirSync(b);
    for (const ext of ['.safetensors', '.pdparams', '.opt.safetensors']) {
      fs.copyFileSync(
        path.join(a, `CTRGCN_light_joint_epoch_00001${ext}`),
        path.join(b, `CTRGCN_light_joint_epoch_00001${ext}`),
      );
    }
    const { cfg: cfgB } = loadConfig(AUG, overrides(b, ['resume_epoch=1']));
    const sb = await train({
      cfg: cfgB,
      seed: 7,
      maxIters: 2,
      logger: new TrainLogger({ out: sink().out, metricsFile: path.join(b, 'metrics.jsonl') }),
    });
    expect(sb.steps).toBe(2);
    // Without validation the last checkpoint is selected.
    const [selB] = recordsOf(checkRecords(path.join(b, 'metrics.jsonl'), ['selected']).records, 'selected');
    expect(selB).toMatchObject({ rule: 'last', epoch: 2, val_top1: null });
    expect(selB.reason).toMatch(/no validation ran/);
    const wa = readSafetensors(path.join(a, 'CTRGCN_light_joint_epoch_00002.safetensors'));
    const wb = readSafetensors(path.join(b, 'CTRGCN_light_joint_epoch_00002.safetensors'));
    // Bit-identical, tensor by tensor (shuffle, crop, rotation and mixup draws derive from seed and epoch).
    const differing = [...wa].filter(
      ([k, t]) => !Buffer.from(t.data.buffer).equals(Buffer.from(wb.get(k)!.data.buffer)),
    );
    expect(differing.map(([k]) => k)).toEqual([]);
    // The .pdparams holds the same tensors.
    const pd = readWeightsFile(path.join(a, 'CTRGCN_light_joint_epoch_00002.pdparams'));
    expect(pd.size).toBe(wa.size);

    const le = sink();
    const { cfg: cfgE } = loadConfig(AUG, overrides(a));
    const rep = await evaluate({
      cfg: cfgE,
      weights: path.join(a, 'CTRGCN_light_joint_epoch_00001.pdparams'),
      logger: new TrainLogger({ out: le.out, metricsFile: path.join(a, 'eval.records.jsonl') }),
    });
    const er = checkRecords(path.join(a, 'eval.records.jsonl'), ['eval']);
    expect(er).toMatchObject(RECORDS_OK);
    const [ev] = recordsOf(er.records, 'eval');
    expect(ev).toMatchObject({ source: 'checkpoint', samples: 9, precision: null, top1: rep.top1 });
    expect(ev.predictions).toHaveLength(9);
    const etext = le.lines.join('\n');
    expect(etext).toMatch(/\[TEST\] Processing batch 0\/2 \.\.\./);
    expect(etext).toMatch(/\[TEST\] Processing batch 2\/2 \.\.\./);
    expect(etext).toMatch(/\[TEST\] finished, avg_acc1= \d/);
    expect(rep.samples).toBe(9);
    const j = JSON.parse(fs.readFileSync(path.join(a, 'eval_metrics.json'), 'utf8'));
    expect(j).toHaveProperty('top1_batch_mean');
    expect(j).toHaveProperty('per_class');
  });
});
