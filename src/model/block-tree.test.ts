import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/recipe.js';
import { unpickle, isNdarray } from '../util/pickle.js';
import { ArchitectureError, DATA_BN_LAYOUT, dataBnChannel, type ModelTree, type ParamSpec } from './block-tree.js';
import { sharedPath } from '../util/shared-data.test-util.js';
import { backboneEntry } from './registry.js';
import {
  archKey,
  PACKAGE_ROOT,
  resolveArch,
  treeFromModelSection,
  variantTree,
  shippedVariants,
  type BackboneSection,
} from './variants.js';

const count = (specs: readonly ParamSpec[], trainable?: boolean) =>
  specs
    .filter((s) => trainable === undefined || s.trainable === trainable)
    .reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);

const FIXTURE = sharedPath('fixtures/paddlevideo/ctrgcn_light_joint_epoch_00001.pdparams');
const byName = (t: ModelTree) => new Map(t.tensors.map((s) => [s.name, s]));
const tree = (backbone: Partial<BackboneSection> & Pick<BackboneSection, 'name'>) =>
  treeFromModelSection({ backbone, head: { name: 'CTRGCNHead', num_classes: 60 } });

describe('block tree', () => {
  it('counts match spec §8', () => {
    const full = variantTree('ctrgcn').tensors;
    expect([count(full, true), count(full), full.length]).toEqual([1_446_672, 1_456_380, 736]);
    const light = variantTree('ctrgcn_light').tensors;
    expect([count(light, true), count(light), light.length]).toEqual([1_024_110, 1_031_550, 541]);
    const full60 = variantTree('ctrgcn', { baseChannel: 60 }).tensors;
    expect([count(full60, true), count(full60)]).toEqual([1_274_950, 1_284_070]);
    const light64 = variantTree('ctrgcn_light', { baseChannel: 64 }).tensors;
    expect([count(light64, true), count(light64)]).toEqual([1_161_808, 1_169_724]);
  });

  it('names the spec §9 examples', () => {
    const light = byName(variantTree('ctrgcn_light'));
    expect(light.get('backbone.l1.gcn1.convs.0.conv1.weight')?.shape).toEqual([8, 3, 1, 1]);
    expect(light.get('backbone.l1.tcn1.branches.0.3.conv.weight')?.shape).toEqual([15, 15, 5, 1]);
    expect(light.get('backbone.l5.residual.conv.weight')?.shape).toEqual([120, 60, 1, 1]);
    expect(light.get('head.fc.weight')?.shape).toEqual([240, 60]);
    expect(light.has('backbone.l1.gcn1.down.0.bias')).toBe(false);
    const full = byName(variantTree('ctrgcn'));
    expect(full.has('backbone.l1.gcn1.down.0.bias')).toBe(true);
    expect(full.get('backbone.data_bn._mean')?.internalName).toBe('batch_norm1d_0.w_1');
    expect(full.get('backbone.l1.gcn1.PA')?.internalName).toBe('create_parameter_0.w_0');
    expect(full.get('head.fc.bias')?.internalName).toBe('linear_0.b_0');
  });

  it('reproduces the real checkpoint: key order, shapes and internal names', () => {
    const d = unpickle(fs.readFileSync(FIXTURE), FIXTURE) as Record<string, unknown>;
    const table = d['StructuredToParameterName@@'] as Record<string, string>;
    const want = Object.entries(d)
      .filter(([, v]) => isNdarray(v))
      .map(([k, v]) => [k, (v as { shape: number[] }).shape, table[k]]);
    const got = variantTree('ctrgcn_light').tensors.map((s) => [s.name, s.shape, s.internalName]);
    expect(got).toEqual(want);
  });

  it('variant layouts (golden README "Variant cases")', () => {
    // CTRGCNLite: CTRGCN's tensors and internal names for l1–l9; l10 consumed its counters upstream.
    const lite = variantTree('ctrgcn_lite');
    const full = byName(variantTree('ctrgcn'));
    expect(lite.blocks.map((b) => b.name)).toEqual(['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9']);
    for (const s of lite.tensors.filter((t) => t.group !== 'fc'))
      expect(s.internalName, s.name).toBe(full.get(s.name)!.internalName);
    expect(lite.head.in).toBe(256);
    // lightV1: fused conv1 = 2·3·R + 3·C; conv_pw = 3·C/4; TCN-only shortcut inside tcn1.
    const v1 = byName(variantTree('ctrgcn_light_v1'));
    expect(v1.get('backbone.l1.gcn1.convs.conv1.weight')?.shape).toEqual([264, 3, 1, 1]);
    expect(v1.get('backbone.l4.gcn1.convs.conv1.weight')?.shape).toEqual([270, 72, 1, 1]);
    expect(v1.get('backbone.l4.gcn1.convs.conv2.2.weight')?.shape).toEqual([72, 9, 1, 1]);
    expect(v1.get('backbone.l5.tcn1.conv_pw.0.weight')?.shape).toEqual([108, 72, 1, 1]);
    expect(v1.get('backbone.l5.tcn1.residual.conv.weight')?.shape).toEqual([144, 72, 1, 1]);
    expect(v1.has('backbone.l5.residual.conv.weight')).toBe(false);
    expect(v1.has('backbone.l5.tcn1.conv_pw.0.bias')).toBe(false);
    // lightV2: shared relation 2·R + 3·C, widths 15,15,15,17, gcn at input width in l5/l8.
    const t2 = variantTree('ctrgcn_light_v2');
    const v2 = byName(t2);
    expect(v2.get('backbone.l2.gcn1.convs.conv1.weight')?.shape).toEqual([200, 62, 1, 1]);
    expect(v2.get('backbone.l8.gcn1.convs.conv1.weight')?.shape).toEqual([402, 124, 1, 1]);
    expect(t2.blocks[0].tcn.widths).toEqual([15, 15, 15, 17]);
    expect(t2.blocks[4].tcn.widths).toEqual([31, 31, 31, 31]);
    expect([t2.blocks[4].gcn!.out, t2.blocks[4].tcn.in, t2.blocks[4].tcn.out]).toEqual([62, 62, 124]);
    expect(t2.blocks[4].gcn!.down).toBeUndefined();
    expect(v2.get('backbone.l5.residual.conv.weight')?.shape).toEqual([124, 62, 1, 1]);
  });

  it('shipped recipes and the built-in defaults describe the same networks', () => {
    for (const v of shippedVariants()) {
      const { cfg } = loadConfig(path.join(PACKAGE_ROOT, backboneEntry(v).shipped!.recipe));
      expect(archKey(resolveArch(cfg.MODEL)), v).toBe(archKey(variantTree(v).options));
    }
  });

  it('builds recipe layouts nobody shipped, from options alone', () => {
    const t = tree({ name: 'CTRGCN_light', base_channel: 48, gcn_blocks: ['l1', 'l5', 'l8'] });
    expect(t.blocks.filter((b) => b.gcn).map((b) => b.name)).toEqual(['l1', 'l5', 'l8']);
    expect(t.blocks.filter((b) => b.kind === 'TCN_unit').length).toBe(7);
    // l5 with a graph conv: 48→96 with down, then a stride-2 temporal unit and a block shortcut.
    const l5 = t.blocks[4];
    expect([l5.gcn!.in, l5.gcn!.out, l5.tcn.stride, l5.shortcut.kind]).toEqual([48, 96, 2, 'conv']);
    expect(l5.gcn!.down).toBeDefined();
    // Removing l9 from the light layout (shape-preserving): the head reads l10.
    const r = tree({ name: 'CTRGCN_light', remove_blocks: ['l9'] });
    expect(r.blocks.map((b) => b.name)).not.toContain('l9');
  });

  it('refuses layouts that cannot be built, naming the option', () => {
    expect(() => tree({ name: 'CTRGCN_light', remove_blocks: ['l5'] })).toThrow(/l5.*changes the feature shape/);
    expect(() => tree({ name: 'CTRGCN_light', base_channel: 62 })).toThrow(/last_branch: remainder/);
    expect(() => tree({ name: 'CTRGCN_light', base_channel: 62, last_branch: 'remainder' })).not.toThrow();
    expect(() => tree({ name: 'CTRGCN', remove_l9: true })).toThrow(ArchitectureError);
    expect(() => tree({ name: 'CTRGCN', gcn_blocks: ['l11'] })).toThrow(/unknown block "l11"/);
    expect(() =>
      treeFromModelSection({
        backbone: { name: 'CTRGCN_light', base_channel: 48 },
        head: { name: 'CTRGCNHead', num_classes: 60, in_channels: 60 },
      }),
    ).toThrow(/in_channels \(60\).*set it to 48/);
  });
});

describe('data_bn layout', () => {
  // Where element (c, t, v, m) of an [N=1, C, T, V, M] input lands after a permutation, with the axes
  // that follow the batch flattened in the permuted order.
  const dims = { C: 3, T: 4, V: 25, M: 2 };
  const flatIndex = (perm: readonly number[], idx: number[]) => {
    const shape = [1, dims.C, dims.T, dims.V, dims.M];
    let flat = 0;
    for (const axis of perm) flat = flat * shape[axis] + idx[axis];
    return flat;
  };
  const tree = { inChannels: dims.C, numPoint: dims.V };

  it('both permutations put coordinate c of joint v of person m on dataBnChannel, time beside it', () => {
    for (let m = 0; m < dims.M; m++)
      for (let v = 0; v < dims.V; v += 6)
        for (let c = 0; c < dims.C; c++) {
          const t = 3;
          const ch = dataBnChannel(tree, c, v, m);
          // channels first: [M·V·C, T]
          expect(flatIndex(DATA_BN_LAYOUT.channelsFirstPerm, [0, c, t, v, m])).toBe(ch * dims.T + t);
          // channels last: [T, M·V·C]
          expect(flatIndex(DATA_BN_LAYOUT.channelsLastPerm, [0, c, t, v, m])).toBe(t * dims.M * dims.V * dims.C + ch);
        }
  });

  it('is person-major, then joint, then coordinate (PaddleVideo permute(0, 4, 3, 1, 2))', () => {
    expect(dataBnChannel(tree, 2, 24, 1)).toBe(149);
    expect(dataBnChannel(tree, 0, 1, 0)).toBe(3);
    expect(dataBnChannel(tree, 0, 0, 1)).toBe(75);
  });
});
