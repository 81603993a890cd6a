// The backbone registry: a backbone registered here (one entry, nothing else edited) is built from a
// recipe that names it, summarised, trained one step, exported, and recognised from its weights;
// registration refuses clashes, and an unknown name is answered with the known ones.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import YAML from 'yaml';
import { loadConfig } from '../config/recipe.js';
import { exportModel } from '../export/export-model.js';
import { readModelMetadata } from '../export/metadata.js';
import { buildModel } from '../train/loop.js';
import { MomentumSgd } from '../train/optimizer.js';
import { trainStep } from '../train/step.js';
import { initBackend } from '../util/backend.js';
import { ArchitectureError } from './block-tree.js';
import { backboneEntry, backbones, findBackbone, registerBackbone, type BackboneEntry } from './registry.js';
import { modelSummary } from './summary.js';
import { parseVariantName, resolveArch, variantTree } from './variants.js';
import { inferTree, stateDict, writeWeightsFile } from './weights.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-'));
const RECIPE = path.join(tmp, 'tiny.yaml');

/** A backbone of the test's own: graph conv in l1 and l5 only, fused convs, no l9, base 16. */
const TINY: BackboneEntry = {
  name: 'CTRGCN_tinyT',
  variant: 'ctrgcn_tiny_t',
  source: 'registry test',
  defaults: {
    dilations: [1, 2],
    temporalKernel: 5,
    lastBranch: 'remainder',
    strideGcnWidth: 'output',
    baseChannel: 16,
    gcnBlocks: ['l1', 'l5'],
    removedBlocks: ['l9'],
    ctrgc: 'fused',
    temporal: 'fused',
    convBias: false,
  },
};

beforeAll(async () => {
  await initBackend();
  registerBackbone(TINY);
  const lite = YAML.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../../configs/ctrgcn_light_lite.yaml'), 'utf8'),
  ) as { MODEL: { backbone: Record<string, unknown>; head: Record<string, unknown> }; model_name: string };
  lite.MODEL.backbone = { name: TINY.name };
  lite.MODEL.head.in_channels = 16;
  lite.model_name = 'CTRGCN_tinyT_joint';
  fs.writeFileSync(RECIPE, YAML.stringify(lite));
});

describe('a backbone registered by one entry', () => {
  it('is known by name and variant, and its defaults are what a recipe naming it builds', () => {
    expect(findBackbone('ctrgcn-tiny-t')?.name).toBe(TINY.name);
    expect(parseVariantName(TINY.name)).toBe(TINY.variant);
    const { cfg } = loadConfig(RECIPE);
    const o = resolveArch(cfg.MODEL);
    expect([o.backbone, o.variant, o.baseChannel, o.gcnBlocks, o.removedBlocks]).toEqual([
      TINY.name,
      TINY.variant,
      16,
      ['l1', 'l5'],
      ['l9'],
    ]);
  });

  it('is summarised, trains one step, exports, and is recognised from its weights', async () => {
    const { cfg } = loadConfig(RECIPE);
    const model = buildModel(cfg, 3);
    const s = modelSummary(model.tree);
    expect(s.model).toBe(TINY.variant);
    expect(s.trainable).toBeGreaterThan(0);
    expect(s.blocks.find((b) => b.name === 'l9')?.kind).toBe('Identity');
    const opt = new MomentumSgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
    const B = 2;
    const T = 32;
    const input = {
      data: Float32Array.from({ length: B * 3 * T * 25 * 2 }, (_, i) => Math.sin(i * 0.29) * 0.5),
      shape: [B, 3, T, 25, 2] as [number, number, number, number, number],
      targets: { labels: Int32Array.from([1, 7]) },
    };
    try {
      const r = trainStep(model, opt, input, 0, 0.05);
      expect(Number.isFinite(r.loss)).toBe(true);
      const n = tf.memory().numTensors;
      trainStep(model, opt, input, 0, 0.05);
      expect(tf.memory().numTensors).toBe(n);

      // The weights' tree inference walks the registry: the trained state dict is this backbone's.
      const sd = stateDict(model);
      expect(inferTree(sd)?.variant).toBe(TINY.variant);

      const weights = path.join(tmp, 'tiny.safetensors');
      writeWeightsFile(weights, sd, model.tree);
      const e = await exportModel({
        config: RECIPE,
        weights,
        outDir: path.join(tmp, 'export'),
        saveName: 'inference',
        precision: 'fp32',
      });
      const meta = readModelMetadata(e.onnxFile);
      expect([meta?.variant, meta?.architecture.backbone]).toEqual([TINY.variant, TINY.name]);
    } finally {
      opt.dispose();
      model.dispose();
    }
  });
});

describe('registration and look-up', () => {
  it('tells apart a backbone whose tensors are a superset of one registered before it', () => {
    const wider = registerBackbone({
      ...TINY,
      name: 'CTRGCN_tinyT9',
      variant: 'ctrgcn_tiny_t9',
      defaults: { ...TINY.defaults, removedBlocks: [] },
    });
    const tree = variantTree(wider.variant);
    const sd = new Map(tree.tensors.map((t) => [t.name, { shape: t.shape, data: new Float32Array(0) }]));
    expect(inferTree(sd as never)?.variant).toBe(wider.variant);
  });

  it('refuses a name or variant already taken, a second baseline, and unknown blocks', () => {
    const light = backboneEntry('ctrgcn_light');
    expect(() => registerBackbone({ ...TINY, name: 'Other', variant: light.variant })).toThrow(/already registered/);
    expect(() => registerBackbone({ ...TINY, name: light.name.toUpperCase(), variant: 'other_one' })).toThrow(
      /already registered/,
    );
    expect(() => registerBackbone({ ...TINY, name: 'Other2', variant: 'other_two', baseline: true })).toThrow(
      /comparison baseline/,
    );
    expect(() =>
      registerBackbone({
        ...TINY,
        name: 'Other3',
        variant: 'other_three',
        defaults: { ...TINY.defaults, gcnBlocks: ['l11' as 'l1'] },
      }),
    ).toThrow(/unknown blocks l11/);
    expect(backbones().filter((b) => b.name.startsWith('Other'))).toEqual([]);
  });

  it('answers an unknown model with the known ones and the closest', () => {
    expect(() => backboneEntry('ctrgcn_ligth')).toThrow(ArchitectureError);
    expect(() => backboneEntry('ctrgcn_ligth')).toThrow(/did you mean ctrgcn_light\?.*known: ctrgcn \(CTRGCN\)/);
    expect(() => variantTree('nope_net')).toThrow(/unknown model "nope_net"/);
  });

  it('recognises every shipped backbone from its own state dict, at its base channel and at 64', () => {
    for (const b of backbones().filter((x) => x.shipped))
      for (const baseChannel of [b.shipped!.baseChannel, 64]) {
        const tree = variantTree(b.variant, { baseChannel, numClasses: 12 });
        const sd = new Map(tree.tensors.map((t) => [t.name, { shape: t.shape, data: new Float32Array(0) }]));
        const got = inferTree(sd);
        expect([got?.variant, got?.baseChannel, got?.numClass], `${b.variant} base ${baseChannel}`).toEqual([
          b.variant,
          baseChannel,
          12,
        ]);
      }
  });
});
