// Parameter counts, per-block table and analytic MACs of a block tree (spec model.md §8). Pure: no
// tensors are created. Counts come from the tree's tensors; MACs from its convs (convMacs).
import { aggregationMacs, BLOCK_NAMES, blockInputFrames, convMacs, type ModelTree } from './block-tree.js';
import { customisations } from './variants.js';

export interface BlockSummary {
  /** `data_bn`, `l1` … `l10`, `fc`. */
  name: string;
  /** `BatchNorm1D`, `TCN_GCN_unit`, `TCN_unit`, `Identity` (a removed block) or `Linear`. */
  kind: string;
  inChannels?: number;
  outChannels?: number;
  stride?: number;
  trainable: number;
  bnBuffers: number;
  /** Multiply-accumulates per person-sequence (the fc: per sample) at `frames`. */
  macs: number;
}

export interface ModelSummary {
  /** Product variant of a registered backbone (registry.ts). */
  model: string;
  backbone: string;
  /** Options that differ from the backbone class's defaults (empty for the upstream layout). */
  customised: string[];
  baseChannel: number;
  numClass: number;
  numPerson: number;
  trainable: number;
  bnBuffers: number;
  persistable: number;
  tensors: number;
  /** Frames the MACs were computed for. */
  frames: number;
  /** Per sample (all persons): convs + CTR-GC matMul + lifts on V×V + fc; BN/pool/tanh excluded. */
  macsPerSample: number;
  blocks: BlockSummary[];
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** MACs of every block for one person-sequence of `frames` frames (index-aligned with tree.blocks). */
export function blockMacs(tree: ModelTree, frames: number): number[] {
  const V = tree.numPoint;
  const tin = blockInputFrames(tree, frames);
  return tree.blocks.map((b, i) => {
    let macs = b.convs.reduce((a, c) => a + convMacs(c, tin[i], V), 0);
    if (b.gcn) macs += aggregationMacs(b.gcn, tin[i], V);
    return macs;
  });
}

export function modelSummary(tree: ModelTree, frames = 64): ModelSummary {
  const specs = tree.tensors;
  const perBlock = blockMacs(tree, frames);
  const kept = new Map(tree.blocks.map((b, i) => [b.name as string, i]));
  const removed = new Set<string>(tree.removed);
  const order: string[] = ['data_bn'];
  for (const n of BLOCK_NAMES) if (kept.has(n) || removed.has(n)) order.push(n);
  order.push('fc');
  const blocks: BlockSummary[] = order.map((g) => {
    const own = specs.filter((s) => s.group === g);
    const trainable = own.filter((s) => s.trainable).reduce((a, s) => a + size(s.shape), 0);
    const bnBuffers = own.filter((s) => !s.trainable).reduce((a, s) => a + size(s.shape), 0);
    const bi = kept.get(g);
    if (bi !== undefined) {
      const b = tree.blocks[bi];
      return {
        name: g,
        kind: b.kind,
        inChannels: b.in,
        outChannels: b.out,
        stride: b.stride,
        trainable,
        bnBuffers,
        macs: perBlock[bi],
      };
    }
    if (removed.has(g)) return { name: g, kind: 'Identity', trainable, bnBuffers, macs: 0 };
    if (g === 'fc')
      return {
        name: g,
        kind: 'Linear',
        inChannels: tree.head.in,
        outChannels: tree.head.out,
        trainable,
        bnBuffers,
        macs: tree.head.in * tree.head.out,
      };
    return { name: g, kind: 'BatchNorm1D', trainable, bnBuffers, macs: 0 };
  });
  const trainable = blocks.reduce((a, b) => a + b.trainable, 0);
  const bnBuffers = blocks.reduce((a, b) => a + b.bnBuffers, 0);
  const backboneMacs = perBlock.reduce((a, b) => a + b, 0);
  return {
    model: tree.variant,
    backbone: tree.backbone,
    customised: customisations(tree.options),
    baseChannel: tree.baseChannel,
    numClass: tree.numClass,
    numPerson: tree.numPerson,
    trainable,
    bnBuffers,
    persistable: trainable + bnBuffers,
    tensors: specs.length,
    frames,
    macsPerSample: backboneMacs * tree.numPerson + tree.head.in * tree.head.out,
    blocks,
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Human-readable table. */
export function formatSummary(s: ModelSummary): string {
  const rows: string[][] = [['block', 'kind', 'in→out', 'stride', 'trainable', 'BN buffers', 'MMACs/person']];
  for (const b of s.blocks) {
    rows.push([
      b.name,
      b.kind,
      b.inChannels !== undefined ? `${b.inChannels}→${b.outChannels}` : '',
      b.stride !== undefined ? String(b.stride) : '',
      fmt(b.trainable),
      b.bnBuffers ? fmt(b.bnBuffers) : '',
      b.macs ? (b.macs / 1e6).toFixed(1) : '',
    ]);
  }
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const right = new Set([3, 4, 5, 6]);
  const line = (r: string[]) =>
    r
      .map((c, i) => (right.has(i) ? c.padStart(w[i]) : c.padEnd(w[i])))
      .join('  ')
      .trimEnd();
  return [
    `${s.backbone} (model ${s.model}, base channel ${s.baseChannel}, ${s.numClass} classes)` +
      (s.customised.length ? `; customised: ${s.customised.join('; ')}` : ''),
    '',
    line(rows[0]),
    ...rows.slice(1).map(line),
    '',
    `trainable parameters:   ${fmt(s.trainable)}`,
    `BN running statistics:  ${fmt(s.bnBuffers)}`,
    `persistable total:      ${fmt(s.persistable)} (${s.tensors} tensors, ${fmt(s.persistable * 4)} bytes as float32)`,
    `MACs per sample:        ${(s.macsPerSample / 1e9).toFixed(2)} G (T = ${s.frames}, ${s.numPerson} persons; convs + CTR-GC matMul + lifts + fc)`,
    '',
  ].join('\n');
}
