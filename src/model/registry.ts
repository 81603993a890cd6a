// The backbone registry: every backbone the package builds is one entry here, written once, with
// its architecture defaults, its own recipe options, its shipped recipe, its TIPC config dir and its
// published figures (the model's `register_model`). The recipe resolver (variants.ts), the weights'
// tree inference (weights.ts), `weights convert`, `--model NAME` and `tipc compare` all read it; the
// block tree (block-tree.ts) turns an entry's resolved options into the architecture.
//
// A new backbone is one `registerBackbone({...})` call (here for the shipped ones, anywhere for a
// backbone of your own: a recipe then names it as MODEL.backbone.name); a new layout of an existing
// backbone is a recipe (gcn_blocks, remove_blocks, ctrgc, temporal, … in MODEL.backbone).
import type { Published } from '../contracts/index.js';
import { closest } from '../util/suggest.js';
import { ArchitectureError, BLOCK_NAMES, type ArchOptions, type BlockName } from './block-tree.js';

/** What a backbone builds when a recipe sets nothing else (the recipe supplies points, persons, classes). */
export type BackboneDefaults = Omit<
  ArchOptions,
  'backbone' | 'variant' | 'numPoint' | 'numPerson' | 'inChannels' | 'numClasses'
>;

/** A boolean recipe option that only this backbone has (`MODEL.backbone.<name>: true`). */
export interface BackboneFlag {
  /** Blocks it replaces by identities when true. */
  removes: BlockName[];
  help: string;
}

export interface BackboneEntry {
  /** Class name as a recipe writes it (`MODEL.backbone.name`), e.g. `CTRGCN_lightV1`. */
  name: string;
  /** Product name (snake case), e.g. `ctrgcn_light_v1`: `--model`, ONNX metadata, `model info`. */
  variant: string;
  /** Where the architecture comes from, one line. */
  source: string;
  defaults: BackboneDefaults;
  flags?: Record<string, BackboneFlag>;
  /** The shipped full recipe (relative to the package root) and its base channel. */
  shipped?: { recipe: string; baseChannel: number };
  /** Its TIPC config dir under test_tipc/configs/, and the figures published for it. */
  tipc?: { config: string; published?: Published };
  /** The model every ratio of `tipc compare` is taken against (one entry). */
  baseline?: boolean;
  /** The package's own model (one entry): the default of `--model` and the chain `ctrgcn main` runs. */
  primary?: boolean;
}

const entries = new Map<string, Readonly<BackboneEntry>>();

const key = (s: string) => s.trim().toLowerCase().replace(/-/g, '_');

function checkEntry(e: BackboneEntry): void {
  const where = `backbone "${e.name}"`;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(e.name)) throw new ArchitectureError(`${where}: the name must be an identifier`);
  if (!/^[a-z][a-z0-9_]*$/.test(e.variant))
    throw new ArchitectureError(`${where}: variant "${e.variant}" must be snake case (a-z, 0-9, _)`);
  for (const other of entries.values()) {
    const taken = [other.name, other.variant].map(key);
    if (taken.includes(key(e.name)) || taken.includes(key(e.variant)))
      throw new ArchitectureError(`${where} (${e.variant}) is already registered as ${other.name} (${other.variant})`);
    if (e.baseline && other.baseline)
      throw new ArchitectureError(`${where}: ${other.name} is already the comparison baseline`);
    if (e.primary && other.primary) throw new ArchitectureError(`${where}: ${other.name} is already the primary model`);
    if (e.tipc && other.tipc?.config === e.tipc.config)
      throw new ArchitectureError(`${where}: TIPC config ${e.tipc.config} already belongs to ${other.name}`);
  }
  const blocks = (list: readonly string[], what: string) => {
    const bad = list.filter((b) => !(BLOCK_NAMES as readonly string[]).includes(b));
    if (bad.length) throw new ArchitectureError(`${where}: ${what} names unknown blocks ${bad.join(', ')}`);
  };
  blocks(e.defaults.gcnBlocks, 'gcnBlocks');
  blocks(e.defaults.removedBlocks, 'removedBlocks');
  for (const [flag, f] of Object.entries(e.flags ?? {})) blocks(f.removes, `flag ${flag}`);
}

/** Adds a backbone; names and variants are unique (case-insensitive). Returns the frozen entry. */
export function registerBackbone(e: BackboneEntry): Readonly<BackboneEntry> {
  checkEntry(e);
  const frozen = Object.freeze({ ...e, defaults: Object.freeze({ ...e.defaults }) });
  entries.set(e.name, frozen);
  return frozen;
}

/** Every registered backbone, in registration order. */
export function backbones(): ReadonlyArray<Readonly<BackboneEntry>> {
  return [...entries.values()];
}

/** The entry named by a backbone name or a variant (`CTRGCN_lightV1`, `ctrgcn_light_v1`, `ctrgcn-light-v1`). */
export function findBackbone(name: string): Readonly<BackboneEntry> | undefined {
  const k = key(name);
  return backbones().find((e) => key(e.name) === k || e.variant === k);
}

/** As findBackbone, or an error naming the known backbones and the closest one. */
export function backboneEntry(name: string, what = 'model'): Readonly<BackboneEntry> {
  const e = findBackbone(name);
  if (e) return e;
  const all = backbones();
  // Suggest in the form the name was written in: a class name, or a (lower-case) product name.
  const names = all.map((b) => b.name);
  const variants = all.map((b) => b.variant);
  const near = closest(name, /[A-Z]/.test(name) ? [...names, ...variants] : [...variants, ...names]);
  throw new ArchitectureError(
    `unknown ${what} "${name}"${near ? ` (did you mean ${near}?)` : ''}; known: ` +
      all.map((b) => `${b.variant} (${b.name})`).join(', '),
  );
}

/** The backbone that owns a flag (`remove_l9` → CTRGCNLite), if any. */
export function flagOwner(flag: string): Readonly<BackboneEntry> | undefined {
  return backbones().find((e) => e.flags && Object.hasOwn(e.flags, flag));
}

/** The comparison baseline of `tipc compare`. */
export function baselineBackbone(): Readonly<BackboneEntry> | undefined {
  return backbones().find((e) => e.baseline);
}

/** The package's own model (registered with `primary`). */
export function primaryBackbone(): Readonly<BackboneEntry> {
  const e = backbones().find((b) => b.primary);
  if (!e) throw new ArchitectureError('no backbone is registered as the primary model');
  return e;
}

// ---------------------------------------------------------------------------------------------
// The shipped backbones (spec model.md §3–4; published figures: spec inference.md §7–8, Paddle
// Inference on a V100 notebook machine, top-1 % X-sub joint).

const ALL: BlockName[] = [...BLOCK_NAMES];
/** CTRGCN_light keeps the graph conv in l1 and the last block of each stage plus l6, l9. */
export const LIGHT_GCN_BLOCKS: BlockName[] = ['l1', 'l4', 'l6', 'l7', 'l9', 'l10'];

const common: Pick<BackboneDefaults, 'dilations' | 'temporalKernel' | 'lastBranch' | 'strideGcnWidth'> = {
  dilations: [1, 2],
  temporalKernel: 5,
  lastBranch: 'equal',
  strideGcnWidth: 'output',
};

registerBackbone({
  name: 'CTRGCN',
  variant: 'ctrgcn',
  source: 'PaddleVideo CTRGCN',
  defaults: {
    ...common,
    baseChannel: 64,
    gcnBlocks: ALL,
    removedBlocks: [],
    ctrgc: 'separate',
    temporal: 'separate',
    convBias: true,
  },
  shipped: { recipe: 'configs/ctrgcn_ntucs_joint.yaml', baseChannel: 64 },
  tipc: {
    config: 'CTRGCN_joint',
    published: { top1: 89.93, sizeMiB: 14.5, cpuMs: 302.6343, gpuMs: 31.4189, source: 'official CTRGCN' },
  },
  baseline: true,
});

registerBackbone({
  name: 'CTRGCN_light',
  variant: 'ctrgcn_light',
  source: 'CTRGCN with the graph conv in six blocks, convs without bias before BN',
  defaults: {
    ...common,
    baseChannel: 60,
    gcnBlocks: LIGHT_GCN_BLOCKS,
    removedBlocks: [],
    ctrgc: 'separate',
    temporal: 'separate',
    convBias: false,
  },
  shipped: { recipe: 'configs/ctrgcn_light_ntucs_joint.yaml', baseChannel: 60 },
  primary: true,
  tipc: {
    config: 'CTRGCN_light_joint',
    published: { top1: 90.953, sizeMiB: 9.7, cpuMs: 188.5445, gpuMs: 23.6619, source: 'CTRGCN_light, tuned recipe' },
  },
});

registerBackbone({
  name: 'CTRGCNLite',
  variant: 'ctrgcn_lite',
  source: 'renmada/PaddleVideo@ctrgcn_lite: CTRGCN with l10 replaced by nn.Identity (and l9 with remove_l9)',
  defaults: {
    ...common,
    baseChannel: 64,
    gcnBlocks: ALL,
    removedBlocks: ['l10'],
    ctrgc: 'separate',
    temporal: 'separate',
    convBias: true,
  },
  flags: { remove_l9: { removes: ['l9'], help: 'the upstream flag: l9 becomes an identity too' } },
  shipped: { recipe: 'configs/ctrgcn_lite_ntucs_joint.yaml', baseChannel: 64 },
  tipc: {
    config: 'CTRGCNLite_joint',
    published: { top1: 90.967, sizeMiB: 12.1, cpuMs: 263.1905, gpuMs: 28.9143, source: 'renmada CTRGCNLite' },
  },
});

registerBackbone({
  name: 'CTRGCN_lightV1',
  variant: 'ctrgcn_light_v1',
  source: 'PaddleVideo PR 547, ctrgcn_light_v1.py: the light block plan with fused convolutions',
  defaults: {
    ...common,
    baseChannel: 64,
    gcnBlocks: LIGHT_GCN_BLOCKS,
    removedBlocks: [],
    ctrgc: 'fused',
    temporal: 'fused',
    convBias: false,
  },
  shipped: { recipe: 'configs/ctrgcn_light_v1_ntucs_joint.yaml', baseChannel: 72 },
  tipc: {
    config: 'CTRGCN_lightV1_joint',
    published: { top1: 91.126, sizeMiB: null, cpuMs: 238.6627, gpuMs: 15.3605, source: 'CTRGCN_lightV1 (PR)' },
  },
});

registerBackbone({
  name: 'CTRGCN_lightV2',
  variant: 'ctrgcn_light_v2',
  source:
    'PaddleVideo PR 547, ctrgcn_light_v2.py: graph conv everywhere, one relation map, remainder branch, input-width gcn at stride 2',
  defaults: {
    ...common,
    baseChannel: 64,
    gcnBlocks: ALL,
    removedBlocks: [],
    ctrgc: 'fused_shared',
    temporal: 'fused',
    convBias: false,
    lastBranch: 'remainder',
    strideGcnWidth: 'input',
  },
  shipped: { recipe: 'configs/ctrgcn_light_v2_ntucs_joint.yaml', baseChannel: 62 },
  tipc: {
    config: 'CTRGCN_lightV2_joint',
    published: { top1: 91.042, sizeMiB: 9.8, cpuMs: 177.4101, gpuMs: 18.233, source: 'CTRGCN_lightV2 (PR)' },
  },
});
