// The model layout table: the architecture written once. Both the tfjs builder (src/model) and
// the ONNX emitter (src/export) walk these rows; nothing else encodes block structure.

export type ModelName = 'ctrgcn' | 'ctrgcn_light';

/** Residual of a block: none (l1), identity (same shape), or a strided 1×1 conv + BN ("unit_tcn"). */
export type ResidualKind = 'none' | 'identity' | 'unit_tcn';

export interface BlockLayout {
  /** PaddleVideo block name: l1 … l10. */
  name: string;
  inChannels: number;
  outChannels: number;
  stride: 1 | 2;
  residual: ResidualKind;
  /** true: TCN_GCN_unit (unit_gcn then MultiScale_TemporalConv); false: TCN_unit (temporal only). */
  gcn: boolean;
}

export interface ModelLayout {
  model: ModelName;
  /** PaddleVideo backbone class name. */
  backbone: 'CTRGCN' | 'CTRGCN_light';
  baseChannel: number;
  numClass: number;
  numPoint: number;
  numPerson: number;
  inChannels: number;
  /** Whether convs that feed a BatchNorm carry a bias (official: yes, light: no). CTR-GC convs always do. */
  bnConvBias: boolean;
  /** Temporal kernel and dilations of the multi-scale temporal conv. */
  temporalKernel: number;
  dilations: readonly number[];
  blocks: readonly BlockLayout[];
}

/** Blocks whose spatial (GCN) module the light model keeps. */
export const LIGHT_GCN_BLOCKS: ReadonlySet<string> = new Set(['l1', 'l4', 'l6', 'l7', 'l9', 'l10']);

/** Builds the 10-block layout for a model and base channel (official 64, light 60). */
export function makeLayout(model: ModelName, baseChannel?: number, numClass = 60): ModelLayout {
  const C = baseChannel ?? (model === 'ctrgcn' ? 64 : 60);
  if (!Number.isInteger(C) || C <= 0 || C % 4 !== 0) {
    throw new Error(`base channel must be a positive multiple of 4 (got ${baseChannel})`);
  }
  const rows: Array<[string, number, number, 1 | 2]> = [
    ['l1', 3, C, 1],
    ['l2', C, C, 1],
    ['l3', C, C, 1],
    ['l4', C, C, 1],
    ['l5', C, 2 * C, 2],
    ['l6', 2 * C, 2 * C, 1],
    ['l7', 2 * C, 2 * C, 1],
    ['l8', 2 * C, 4 * C, 2],
    ['l9', 4 * C, 4 * C, 1],
    ['l10', 4 * C, 4 * C, 1],
  ];
  const blocks = rows.map(([name, inC, outC, stride]): BlockLayout => ({
    name,
    inChannels: inC,
    outChannels: outC,
    stride,
    residual: name === 'l1' ? 'none' : inC === outC && stride === 1 ? 'identity' : 'unit_tcn',
    gcn: model === 'ctrgcn' || LIGHT_GCN_BLOCKS.has(name),
  }));
  return {
    model,
    backbone: model === 'ctrgcn' ? 'CTRGCN' : 'CTRGCN_light',
    baseChannel: C,
    numClass,
    numPoint: 25,
    numPerson: 2,
    inChannels: 3,
    bnConvBias: model === 'ctrgcn',
    temporalKernel: 5,
    dilations: [1, 2],
    blocks,
  };
}

/** CTR-GC reduced channels: 8 for in ∈ {3, 9}, else in / 8 (integer division). */
export function ctrgcRelChannels(inChannels: number): number {
  return inChannels === 3 || inChannels === 9 ? 8 : Math.floor(inChannels / 8);
}

export const MODEL_NAMES: readonly ModelName[] = ['ctrgcn', 'ctrgcn_light'];

export function parseModelName(s: string): ModelName {
  const k = s.toLowerCase().replace(/-/g, '_');
  if (k === 'ctrgcn' || k === 'ctrgcn_light') return k;
  throw new Error(`unknown model "${s}" (expected one of: ${MODEL_NAMES.join(', ')})`);
}
