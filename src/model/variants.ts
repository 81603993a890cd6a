// Backbone names → architecture defaults, the recipe's MODEL section → resolved options → block
// tree, and the shipped variants (each a recipe in configs/). Declarative only: the channel, stride
// and name arithmetic is block-tree.ts's.
//
// Recipe options (MODEL.backbone, PaddleVideo field names plus the variant's own):
//   name, base_channel, num_point, num_person, in_channels, graph, graph_args, adaptive  (upstream)
//   remove_l9                       CTRGCNLite's upstream flag: l9 becomes an identity too
//   gcn_blocks: [l1, …]             blocks that keep the graph conv (others are temporal-only)
//   remove_blocks: [l10, …]         blocks replaced by identities, besides the class's own (CTRGCNLite: l10)
//   ctrgc: separate|fused|fused_shared   CTR-GC parameterisation (see block-tree.ts)
//   temporal: separate|fused        temporal-unit parameterisation
//   conv_bias: bool                 bias on convs that feed a BatchNorm
//   last_branch: equal|remainder    temporal branch widths
//   stride_gcn_width: output|input  width of the graph conv in stride-2 TCN_GCN blocks
import path from 'node:path';
import type { TrainConfig } from '../config/recipe.js';
import {
  ArchitectureError,
  BLOCK_NAMES,
  buildModelTree,
  type ArchOptions,
  type BackboneName,
  type BlockName,
  type ModelTree,
  type VariantName,
} from './block-tree.js';

type Defaults = Omit<ArchOptions, 'numPoint' | 'numPerson' | 'inChannels' | 'numClasses'>;

const ALL: BlockName[] = [...BLOCK_NAMES];
/** CTRGCN_light keeps the graph conv in l1 and the last block of each stage plus l6, l9. */
export const LIGHT_GCN_BLOCKS: BlockName[] = ['l1', 'l4', 'l6', 'l7', 'l9', 'l10'];

const common: Pick<Defaults, 'dilations' | 'temporalKernel' | 'lastBranch' | 'strideGcnWidth'> = {
  dilations: [1, 2],
  temporalKernel: 5,
  lastBranch: 'equal',
  strideGcnWidth: 'output',
};

/** What each upstream backbone class builds when the recipe sets nothing else. */
export const BACKBONE_DEFAULTS: Record<BackboneName, Defaults> = {
  CTRGCN: {
    ...common,
    backbone: 'CTRGCN',
    variant: 'ctrgcn',
    baseChannel: 64,
    gcnBlocks: ALL,
    removedBlocks: [],
    ctrgc: 'separate',
    temporal: 'separate',
    convBias: true,
  },
  CTRGCN_light: {
    ...common,
    backbone: 'CTRGCN_light',
    variant: 'ctrgcn_light',
    baseChannel: 60,
    gcnBlocks: LIGHT_GCN_BLOCKS,
    removedBlocks: [],
    ctrgc: 'separate',
    temporal: 'separate',
    convBias: false,
  },
  // renmada/PaddleVideo@ctrgcn_lite: CTRGCN with l10 replaced by nn.Identity (and l9 with remove_l9).
  CTRGCNLite: {
    ...common,
    backbone: 'CTRGCNLite',
    variant: 'ctrgcn_lite',
    baseChannel: 64,
    gcnBlocks: ALL,
    removedBlocks: ['l10'],
    ctrgc: 'separate',
    temporal: 'separate',
    convBias: true,
  },
  // PaddleVideo PR 547, ctrgcn_light_v1.py: the light block plan with fused convolutions.
  CTRGCN_lightV1: {
    ...common,
    backbone: 'CTRGCN_lightV1',
    variant: 'ctrgcn_light_v1',
    baseChannel: 64,
    gcnBlocks: LIGHT_GCN_BLOCKS,
    removedBlocks: [],
    ctrgc: 'fused',
    temporal: 'fused',
    convBias: false,
  },
  // PR 547, ctrgcn_light_v2.py: graph conv everywhere, one relation map, remainder branch, input-width gcn at stride 2.
  CTRGCN_lightV2: {
    ...common,
    backbone: 'CTRGCN_lightV2',
    variant: 'ctrgcn_light_v2',
    baseChannel: 64,
    gcnBlocks: ALL,
    removedBlocks: [],
    ctrgc: 'fused_shared',
    temporal: 'fused',
    convBias: false,
    lastBranch: 'remainder',
    strideGcnWidth: 'input',
  },
};

export const BACKBONE_NAMES = Object.keys(BACKBONE_DEFAULTS) as BackboneName[];

/** The shipped variants: product name → recipe (relative to the package root). */
export const SHIPPED: Record<VariantName, { backbone: BackboneName; recipe: string }> = {
  ctrgcn: { backbone: 'CTRGCN', recipe: 'configs/ctrgcn_ntucs_joint.yaml' },
  ctrgcn_light: { backbone: 'CTRGCN_light', recipe: 'configs/ctrgcn_light_ntucs_joint.yaml' },
  ctrgcn_lite: { backbone: 'CTRGCNLite', recipe: 'configs/ctrgcn_lite_ntucs_joint.yaml' },
  ctrgcn_light_v1: { backbone: 'CTRGCN_lightV1', recipe: 'configs/ctrgcn_light_v1_ntucs_joint.yaml' },
  ctrgcn_light_v2: { backbone: 'CTRGCN_lightV2', recipe: 'configs/ctrgcn_light_v2_ntucs_joint.yaml' },
};

export const VARIANT_NAMES = Object.keys(SHIPPED) as VariantName[];

/** Base channel of each shipped recipe. */
export const SHIPPED_BASE: Record<VariantName, number> = {
  ctrgcn: 64,
  ctrgcn_light: 60,
  ctrgcn_lite: 64,
  ctrgcn_light_v1: 72,
  ctrgcn_light_v2: 62,
};

/** Package root (configs/ lives there), from src/model or dist/model. */
export const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Absolute path of a shipped variant's recipe. */
export function shippedRecipe(variant: VariantName): string {
  return path.join(PACKAGE_ROOT, SHIPPED[variant].recipe);
}

/** `ctrgcn_light_v1`, `CTRGCN_lightV1`, `ctrgcn-light-v1` → `ctrgcn_light_v1`; unknown names throw. */
export function parseVariantName(s: string): VariantName {
  const k = s.trim();
  const byBackbone = BACKBONE_NAMES.find((b) => b.toLowerCase() === k.toLowerCase());
  if (byBackbone) return BACKBONE_DEFAULTS[byBackbone].variant;
  const v = k.toLowerCase().replace(/-/g, '_');
  if ((VARIANT_NAMES as string[]).includes(v)) return v as VariantName;
  throw new ArchitectureError(
    `unknown model "${s}" (expected one of: ${VARIANT_NAMES.join(', ')}, or a backbone name: ${BACKBONE_NAMES.join(', ')})`,
  );
}

export type ModelSection = TrainConfig['MODEL'];
export type BackboneSection = ModelSection['backbone'];

function blockList(v: unknown, key: string): BlockName[] {
  const names = v as string[];
  for (const n of names)
    if (!(BLOCK_NAMES as readonly string[]).includes(n))
      throw new ArchitectureError(`MODEL.backbone.${key}: unknown block "${n}" (blocks are ${BLOCK_NAMES.join(', ')})`);
  return BLOCK_NAMES.filter((n) => names.includes(n));
}

/** Resolves a recipe's MODEL section (backbone + head) into complete architecture options. */
export function resolveArch(model: ModelSection): ArchOptions {
  const b = model.backbone;
  const d = BACKBONE_DEFAULTS[b.name];
  if (!d)
    throw new ArchitectureError(`MODEL.backbone.name "${String(b.name)}" is not one of ${BACKBONE_NAMES.join(', ')}`);
  if (b.remove_l9 !== undefined && b.name !== 'CTRGCNLite')
    throw new ArchitectureError(
      `MODEL.backbone.remove_l9 is an option of CTRGCNLite, not ${b.name}; use remove_blocks: [l9] instead`,
    );
  const removed = new Set<BlockName>(d.removedBlocks);
  if (b.remove_l9) removed.add('l9');
  if (b.remove_blocks) for (const n of blockList(b.remove_blocks, 'remove_blocks')) removed.add(n);
  return {
    ...d,
    baseChannel: b.base_channel ?? d.baseChannel,
    numPoint: b.num_point ?? 25,
    numPerson: b.num_person ?? 2,
    inChannels: b.in_channels ?? 3,
    numClasses: model.head.num_classes,
    gcnBlocks: b.gcn_blocks ? blockList(b.gcn_blocks, 'gcn_blocks') : [...d.gcnBlocks],
    removedBlocks: BLOCK_NAMES.filter((n) => removed.has(n)),
    ctrgc: b.ctrgc ?? d.ctrgc,
    temporal: b.temporal ?? d.temporal,
    convBias: b.conv_bias ?? d.convBias,
    lastBranch: b.last_branch ?? d.lastBranch,
    strideGcnWidth: b.stride_gcn_width ?? d.strideGcnWidth,
    dilations: [...d.dilations],
  };
}

/** The block tree of a recipe's MODEL section; checks the head against the last block. */
export function treeFromModelSection(model: ModelSection, where = 'recipe'): ModelTree {
  const tree = buildModelTree(resolveArch(model));
  const headIn = model.head.in_channels;
  // CTRGCNHead builds fc with 4·in_channels inputs: that must be the width of the last block.
  if (headIn !== undefined && 4 * headIn !== tree.head.in)
    throw new ArchitectureError(
      `${where}: MODEL.head.in_channels (${headIn}) gives an fc of ${4 * headIn} inputs, but the last block ` +
        `(${tree.blocks[tree.blocks.length - 1].name}) outputs ${tree.head.in} channels; set it to ${tree.head.in / 4}`,
    );
  return tree;
}

/**
 * The tree of a shipped variant without reading its recipe (tests, benchmarks): the backbone's
 * defaults at the recipe's base channel. configs/*.yaml are the truth; variants.test.ts checks
 * that both agree.
 */
export function variantTree(variant: VariantName, opts: { baseChannel?: number; numClasses?: number } = {}) {
  const backbone = SHIPPED[variant].backbone;
  const base = opts.baseChannel ?? SHIPPED_BASE[variant];
  return treeFromModelSection({
    backbone: { name: backbone, base_channel: base },
    head: { name: 'CTRGCNHead', num_classes: opts.numClasses ?? 60 },
  });
}

/** Options that differ from the backbone class's defaults (a customised layout), for display. */
export function customisations(o: ArchOptions): string[] {
  const d = BACKBONE_DEFAULTS[o.backbone];
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(o.gcnBlocks, d.gcnBlocks)) out.push(`gcn_blocks [${o.gcnBlocks.join(', ')}]`);
  if (!same(o.removedBlocks, d.removedBlocks)) out.push(`removed [${o.removedBlocks.join(', ')}]`);
  if (o.ctrgc !== d.ctrgc) out.push(`ctrgc ${o.ctrgc}`);
  if (o.temporal !== d.temporal) out.push(`temporal ${o.temporal}`);
  if (o.convBias !== d.convBias) out.push(`conv_bias ${o.convBias}`);
  if (o.lastBranch !== d.lastBranch) out.push(`last_branch ${o.lastBranch}`);
  if (o.strideGcnWidth !== d.strideGcnWidth) out.push(`stride_gcn_width ${o.strideGcnWidth}`);
  return out;
}

/** Canonical JSON of the architecture (fixed key order): equal strings ⇔ the same network. */
export function archKey(o: ArchOptions): string {
  const keys = Object.keys(o).sort() as Array<keyof ArchOptions>;
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, o[k]])));
}
