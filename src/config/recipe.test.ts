import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadConfig, validateConfig } from './recipe.js';
import { parseLiteral } from './overrides.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LIGHT = path.join(ROOT, 'configs/ctrgcn_light_ntucs_joint.yaml');

describe('recipes and overrides (training.md §1, §11, §12.2)', () => {
  it('every shipped recipe validates with the §1 values', () => {
    for (const f of fs.readdirSync(path.join(ROOT, 'configs')).filter((f) => f.endsWith('.yaml'))) {
      expect(() => loadConfig(path.join(ROOT, 'configs', f)), f).not.toThrow();
    }
    const aug = loadConfig(path.join(ROOT, 'configs/ctrgcn_light_ntucs_joint_aug.yaml')).cfg;
    expect(aug.MODEL.head.ls_eps).toBe(0.1);
    expect(aug.OPTIMIZER.weight_decay?.value).toBe(4e-4);
    expect(aug.MIX?.alpha).toBe(0.2);
    expect(aug.epochs).toBe(100);
    const off = loadConfig(path.join(ROOT, 'configs/ctrgcn_ntucs_joint.yaml')).cfg;
    expect(off.MODEL.backbone).toMatchObject({ name: 'CTRGCN', base_channel: 64 });
    expect(off.model_name).toBe('CTRGCN_joint');
  });

  it('variant recipes carry the upstream values; layout options are schema-checked', () => {
    const v1 = loadConfig(path.join(ROOT, 'configs/ctrgcn_light_v1_ntucs_joint.yaml')).cfg;
    expect(v1.MODEL.backbone).toMatchObject({
      name: 'CTRGCN_lightV1',
      base_channel: 72,
      graph_args: { labeling_mode: 'spatial' },
    });
    expect([v1.MODEL.head.in_channels, v1.MODEL.head.ls_eps, v1.MIX?.alpha, v1.epochs]).toEqual([72, 0.1, 0.2, 100]);
    const v2 = loadConfig(path.join(ROOT, 'configs/ctrgcn_light_v2_ntucs_joint.yaml')).cfg;
    expect([v2.MODEL.backbone.name, v2.MODEL.backbone.base_channel, v2.model_name]).toEqual([
      'CTRGCN_lightV2',
      62,
      'CTRGCN_lightV2_joint',
    ]);
    const lite = loadConfig(path.join(ROOT, 'configs/ctrgcn_lite_ntucs_joint.yaml')).cfg;
    expect(lite.MODEL.backbone).toMatchObject({ name: 'CTRGCNLite', base_channel: 64, remove_l9: false });
    expect(lite.OPTIMIZER.learning_rate).toMatchObject({ warmup_start_lr: 0.005, cosine_base_lr: 0.01 });
    expect(() => loadConfig(LIGHT, ['MODEL.backbone.gcn_blocks=[l1, l11]'])).toThrow(
      /MODEL\.backbone\.gcn_blocks\.1" must be one of "l1"/,
    );
    expect(() => loadConfig(LIGHT, ['MODEL.backbone.ctrgc=merged'])).toThrow(/"MODEL\.backbone\.ctrgc" must be one of/);
    expect(loadConfig(LIGHT, ['MODEL.backbone.gcn_blocks=[l1, l5, l8]']).cfg.MODEL.backbone.gcn_blocks).toEqual([
      'l1',
      'l5',
      'l8',
    ]);
  });

  it('parses literals like upstream', () => {
    expect(parseLiteral('2')).toBe(2);
    expect(parseLiteral('4e-4')).toBe(4e-4);
    expect(parseLiteral('True')).toBe(true);
    expect(parseLiteral('False')).toBe(false);
    expect(parseLiteral('[0.5, 1]')).toEqual([0.5, 1]);
    expect(parseLiteral('"a/b.npy"')).toBe('a/b.npy');
    expect(parseLiteral('./x=y')).toBe('./x=y');
  });

  it('applies TIPC-style overrides (first "=" splits, list indices; unknown leaf warns with allowUnknown)', () => {
    const { cfg, warnings } = loadConfig(
      LIGHT,
      [
        'epochs=2',
        'DATASET.batch_size=32',
        'output_dir=./out/a=b',
        'DATASET.train.file_path=/d/train_data.npy',
        'PIPELINE.train.sample.p_interval.0=0.6',
        'Global.use_gpu=False',
        'MODEL.head.nonexistent=3',
      ],
      { allowUnknown: true },
    );
    expect(cfg.epochs).toBe(2);
    expect(cfg.DATASET.batch_size).toBe(32);
    expect(cfg.output_dir).toBe('./out/a=b');
    expect(cfg.DATASET.train.file_path).toBe('/d/train_data.npy');
    expect(cfg.PIPELINE.train.sample.p_interval).toEqual([0.6, 1]);
    expect(cfg.Global?.use_gpu).toBe(false);
    expect(warnings.join()).toMatch(/MODEL\.head\.nonexistent/);
  });

  it('unknown intermediate keys fail, naming the key', () => {
    expect(() => loadConfig(LIGHT, ['DATASETS.batch_size=3'])).toThrow(/unknown key "DATASETS"/);
    expect(() => loadConfig(LIGHT, ['epochs'])).toThrow(/key=value/);
  });

  it('schema errors name the key path; strings are not booleans', () => {
    const raw = YAML.parse(fs.readFileSync(LIGHT, 'utf8'));
    raw.PIPELINE.train.transform[1].SketeonModalityTransform.bone = 'Fasle';
    expect(() => validateConfig(raw, 'x.yaml')).toThrow(
      /x\.yaml: "PIPELINE\.train\.transform\.1\.SketeonModalityTransform\.bone" must be boolean/,
    );
    const raw2 = YAML.parse(fs.readFileSync(LIGHT, 'utf8'));
    raw2.DATASET.batchsize = 3;
    expect(() => validateConfig(raw2, 'y.yaml')).toThrow(/unknown key "DATASET\.batchsize"/);
    const raw3 = YAML.parse(fs.readFileSync(LIGHT, 'utf8'));
    delete raw3.OPTIMIZER.learning_rate.boundaries;
    raw3.OPTIMIZER.learning_rate.warmup_epoch = 5;
    expect(() => validateConfig(raw3, 'z.yaml')).toThrow(
      /missing key "OPTIMIZER\.learning_rate\.boundaries".*unknown key "OPTIMIZER\.learning_rate\.warmup_epoch"|unknown key "OPTIMIZER\.learning_rate\.warmup_epoch".*missing key/,
    );
    expect(() => loadConfig(LIGHT, ['DATASET.batch_size=0'])).toThrow(/DATASET\.batch_size/);
  });

  it('a missing file is a named error', () => {
    const f = path.join(os.tmpdir(), 'no-such-config.yaml');
    expect(() => loadConfig(f)).toThrow(/config file not found: .*no-such-config\.yaml/);
  });
});
