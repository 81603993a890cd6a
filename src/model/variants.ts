// A recipe's MODEL section → resolved options (the registered backbone's defaults, then the
// recipe's choices) → block tree. Declarative only: the channel, stride and name arithmetic is
// block-tree.ts's, the backbones and their defaults are registry.ts's.
//
// Recipe options (MODEL.backbone, PaddleVideo field names plus the layout's own):
//   name, base_channel, num_point, num_person, in_channels, graph, graph_args, adaptive  (upstream)
//   <flag>: bool                    a backbone's own option (registry.ts `flags`), e.g. removing a block
//   gcn_blocks: [l1, …]             blocks that keep the graph conv (others are temporal-only)
//   remove_blocks: [l10, …]         blocks replaced by identities, besides the backbone's own
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
  type BlockName,
  type ModelTree,
} from './block-tree.js';
import { backboneEntry, backbones, findBackbone, flagOwner, type BackboneEntry } from './registry.js';

/** Package root (configs/ lives there), from src/model or dist/model. */
export const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The registered backbones that ship a recipe, by variant name. */
export function shippedVariants(): string[] {
  return backbones()
    .filter((b) => b.shipped)
    .map((b) => b.variant);
}

/** The shipped entry of a variant or backbone name (throws for unknown or recipe-less ones). */
function shippedEntry(name: string): Readonly<BackboneEntry> & Required<Pick<BackboneEntry, 'shipped'>> {
  const e = backboneEntry(name);
  if (!e.shipped) throw new ArchitectureError(`${e.variant} (${e.name}) ships no recipe`);
  return e as Readonly<BackboneEntry> & Required<Pick<BackboneEntry, 'shipped'>>;
}

/** Absolute path of a shipped variant's recipe. */
export function shippedRecipe(variant: string): string {
  return path.join(PACKAGE_ROOT, shippedEntry(variant).shipped.recipe);
}

/** A backbone's class name, its product name or that with dashes → its product name; unknown names throw. */
export function parseVariantName(s: string): string {
  return backboneEntry(s).variant;
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

/** Backbone options every backbone takes (anything else in MODEL.backbone is a registered flag). */
const COMMON_OPTIONS = new Set([
  'name',
  'base_channel',
  'num_point',
  'num_person',
  'in_channels',
  'graph',
  'graph_args',
  'adaptive',
  'gcn_blocks',
  'remove_blocks',
  'ctrgc',
  'temporal',
  'conv_bias',
  'last_branch',
  'stride_gcn_width',
]);

/** Blocks removed by the backbone's own flags set in the recipe; a flag of another backbone is an error. */
function flagRemovals(e: Readonly<BackboneEntry>, b: BackboneSection): BlockName[] {
  const out: BlockName[] = [];
  for (const [k, v] of Object.entries(b)) {
    if (COMMON_OPTIONS.has(k) || v === undefined) continue;
    const flag = e.flags?.[k];
    if (!flag) {
      const owner = flagOwner(k);
      throw new ArchitectureError(
        owner
          ? `MODEL.backbone.${k} is an option of ${owner.name}, not ${e.name}` +
              (owner.flags![k].removes.length
                ? `; use remove_blocks: [${owner.flags![k].removes.join(', ')}] instead`
                : '')
          : `MODEL.backbone.${k} is not an option of ${e.name}`,
      );
    }
    if (v === true) out.push(...flag.removes);
  }
  return out;
}

/** Resolves a recipe's MODEL section (backbone + head) into complete architecture options. */
export function resolveArch(model: ModelSection): ArchOptions {
  const b = model.backbone;
  const e = findBackbone(String(b.name));
  if (!e || e.name !== b.name) {
    const known = backbones().map((x) => x.name);
    const hint = e ? ` (did you mean ${e.name}?)` : '';
    throw new ArchitectureError(`MODEL.backbone.name "${String(b.name)}" is not one of ${known.join(', ')}${hint}`);
  }
  const d = e.defaults;
  const removed = new Set<BlockName>([...d.removedBlocks, ...flagRemovals(e, b)]);
  if (b.remove_blocks) for (const n of blockList(b.remove_blocks, 'remove_blocks')) removed.add(n);
  return {
    ...d,
    backbone: e.name,
    variant: e.variant,
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
 * The tree of a registered backbone without reading a recipe (tests, benchmarks, weights): its
 * defaults at its shipped base channel (configs/*.yaml are the truth; variants.test.ts checks that
 * both agree), or at `baseChannel`.
 */
export function variantTree(variant: string, opts: { baseChannel?: number; numClasses?: number } = {}): ModelTree {
  const e = backboneEntry(variant);
  const base = opts.baseChannel ?? e.shipped?.baseChannel ?? e.defaults.baseChannel;
  return treeFromModelSection({
    backbone: { name: e.name, base_channel: base },
    head: { name: 'CTRGCNHead', num_classes: opts.numClasses ?? 60 },
  });
}

/** Options that differ from the backbone class's defaults (a customised layout), for display. */
export function customisations(o: ArchOptions): string[] {
  const d = backboneEntry(o.backbone).defaults;
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
