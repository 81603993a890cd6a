// Parameter counts, per-block table and analytic MACs of a layout (spec model.md §8). Pure: no
// tensors are created.
import { ctrgcRelChannels, type ModelLayout } from './layout.js';
import { paramSpecs } from './params.js';

export interface BlockSummary {
  /** `data_bn`, `l1` … `l10`, `fc`. */
  name: string;
  /** `BatchNorm1D`, `TCN_GCN_unit`, `TCN_unit` or `Linear`. */
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
  model: string;
  backbone: string;
  baseChannel: number;
  numClass: number;
  numPerson: number;
  trainable: number;
  bnBuffers: number;
  persistable: number;
  tensors: number;
  /** Frames the MACs were computed for. */
  frames: number;
  /** Per sample (all persons): convs + CTR-GC matMul + conv4 on V×V maps + fc; BN/pool/tanh excluded. */
  macsPerSample: number;
  blocks: BlockSummary[];
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** MACs of every block for one person-sequence of `frames` frames (index-aligned with layout.blocks). */
export function blockMacs(layout: ModelLayout, frames: number): number[] {
  const V = layout.numPoint;
  const k = layout.temporalKernel;
  let t = frames;
  return layout.blocks.map((b) => {
    let macs = 0;
    let tcnIn = b.inChannels;
    if (b.gcn) {
      const [ci, co] = [b.inChannels, b.outChannels];
      const rel = ctrgcRelChannels(ci);
      // per subset: conv1 + conv2 (on all frames, then mean), conv3, conv4 on V×V, aggregation
      macs += 3 * (2 * rel * ci * t * V + co * ci * t * V + co * rel * V * V + co * t * V * V);
      if (ci !== co) macs += co * ci * t * V;
      tcnIn = co;
    }
    const bc = b.outChannels / 4;
    const t2 = Math.ceil(t / b.stride);
    const nDil = layout.dilations.length;
    macs += (nDil + 1) * bc * tcnIn * t * V; // entry 1×1 convs of the conv and pool branches
    macs += bc * tcnIn * t2 * V; // strided 1×1 branch
    macs += nDil * bc * bc * k * t2 * V; // temporal convs
    if (b.residual === 'unit_tcn') macs += b.outChannels * b.inChannels * t2 * V;
    t = t2;
    return macs;
  });
}

export function modelSummary(layout: ModelLayout, frames = 64): ModelSummary {
  const specs = paramSpecs(layout);
  const groups = ['data_bn', ...layout.blocks.map((b) => b.name), 'fc'];
  const perBlock = blockMacs(layout, frames);
  const lastC = layout.blocks[layout.blocks.length - 1].outChannels;
  const blocks: BlockSummary[] = groups.map((g) => {
    const own = specs.filter((s) => s.group === g);
    const trainable = own.filter((s) => s.trainable).reduce((a, s) => a + size(s.shape), 0);
    const bnBuffers = own.filter((s) => !s.trainable).reduce((a, s) => a + size(s.shape), 0);
    const bi = layout.blocks.findIndex((b) => b.name === g);
    if (bi >= 0) {
      const b = layout.blocks[bi];
      return {
        name: g,
        kind: b.gcn ? 'TCN_GCN_unit' : 'TCN_unit',
        inChannels: b.inChannels,
        outChannels: b.outChannels,
        stride: b.stride,
        trainable,
        bnBuffers,
        macs: perBlock[bi],
      };
    }
    if (g === 'fc')
      return {
        name: g,
        kind: 'Linear',
        inChannels: lastC,
        outChannels: layout.numClass,
        trainable,
        bnBuffers,
        macs: lastC * layout.numClass,
      };
    return { name: g, kind: 'BatchNorm1D', trainable, bnBuffers, macs: 0 };
  });
  const trainable = blocks.reduce((a, b) => a + b.trainable, 0);
  const bnBuffers = blocks.reduce((a, b) => a + b.bnBuffers, 0);
  const backboneMacs = perBlock.reduce((a, b) => a + b, 0);
  return {
    model: layout.model,
    backbone: layout.backbone,
    baseChannel: layout.baseChannel,
    numClass: layout.numClass,
    numPerson: layout.numPerson,
    trainable,
    bnBuffers,
    persistable: trainable + bnBuffers,
    tensors: specs.length,
    frames,
    macsPerSample: backboneMacs * layout.numPerson + lastC * layout.numClass,
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
    `${s.backbone} (model ${s.model}, base channel ${s.baseChannel}, ${s.numClass} classes)`,
    '',
    line(rows[0]),
    ...rows.slice(1).map(line),
    '',
    `trainable parameters:   ${fmt(s.trainable)}`,
    `BN running statistics:  ${fmt(s.bnBuffers)}`,
    `persistable total:      ${fmt(s.persistable)} (${s.tensors} tensors, ${fmt(s.persistable * 4)} bytes as float32)`,
    `MACs per sample:        ${(s.macsPerSample / 1e9).toFixed(2)} G (T = ${s.frames}, ${s.numPerson} persons; convs + CTR-GC matMul + conv4 + fc)`,
    '',
  ].join('\n');
}
