// The block tree: the architecture of a CTR-GCN variant derived ONCE from its resolved options.
// Every channel count, stride, branch width, relation width, parameter name, shape and Paddle
// internal name lives here. The tfjs builder (blocks/*), the ONNX emitter (src/export), the counter
// (summary.ts) and the weights key map (weights.ts, key-map.ts) walk this tree; none of them
// computes channels, strides or names on its own.
//
// Layout (spec model.md §3–4, golden README "Variant cases"): data_bn → blocks l1…l10 of the CTR-GCN
// plan (3→C, C, C, C, C→2C/2, 2C, 2C, 2C→4C/2, 4C, 4C) → CTRGCNHead (mean over T·V and persons, fc).
// Each block: an optional spatial unit (unit_gcn with three CTR-GC subsets), a multi-scale temporal
// unit (dilated 5×1 branches, a max-pool branch, a strided 1×1 branch) and a shortcut.
import { CodedError } from '../util/errors.js';

/** A registered backbone's class name (registry.ts), as `MODEL.backbone.name` writes it. */
export type BackboneName = string;
/** A registered backbone's product name (snake case). */
export type VariantName = string;

/**
 * How the three CTR-GC subsets store their projections:
 * - separate: `convs.{s}.conv{1,2,3,4}` per subset (PaddleVideo's CTR-GCN and its light layout);
 * - fused: one `convs.conv1` computing q and k of every subset and the values, `convs.conv2.{s}` lifts (lightV1);
 * - fused_shared: as fused, but one relation map (q, k) shared by the three subsets (lightV2).
 */
export type CtrgcForm = 'separate' | 'fused' | 'fused_shared';
/** separate: one 1×1 entry conv per branch (`branches.{i}.0`); fused: one `conv_pw` for the conv and pool branches. */
export type TemporalForm = 'separate' | 'fused';
/** Branch widths of the temporal unit: all out/4 (divisibility required), or the last takes the remainder. */
export type LastBranch = 'equal' | 'remainder';
/** Width at which a stride-2 TCN_GCN block runs its graph conv: its output width, or its input width (lightV2). */
export type StrideGcnWidth = 'output' | 'input';

export const BLOCK_NAMES = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10'] as const;
export type BlockName = (typeof BLOCK_NAMES)[number];

/** Resolved architecture options (every default filled in; see variants.ts). */
export interface ArchOptions {
  backbone: BackboneName;
  variant: VariantName;
  baseChannel: number;
  numPoint: number;
  numPerson: number;
  inChannels: number;
  numClasses: number;
  /** Blocks that keep the spatial (graph) unit; the others are temporal-only (TCN_unit). */
  gcnBlocks: BlockName[];
  /** Blocks replaced by an identity (only shape-preserving blocks may be removed). */
  removedBlocks: BlockName[];
  ctrgc: CtrgcForm;
  temporal: TemporalForm;
  /** Whether convs that feed a BatchNorm carry a bias (CTR-GC convs always do). */
  convBias: boolean;
  lastBranch: LastBranch;
  strideGcnWidth: StrideGcnWidth;
  /** Dilations of the temporal conv branches (one branch each) and their kernel. */
  dilations: number[];
  temporalKernel: number;
}

export type ParamRole =
  | 'conv_weight'
  | 'conv_bias'
  | 'bn_weight'
  | 'bn_bias'
  | 'bn_mean'
  | 'bn_variance'
  | 'adjacency'
  | 'alpha'
  | 'fc_weight'
  | 'fc_bias';

/** Paddle layer type whose counter names the parameter (`conv2d_7.w_0`). */
export type PaddleLayerType = 'conv2d' | 'batch_norm1d' | 'batch_norm2d' | 'create_parameter' | 'linear';

/** One persistable tensor: PaddleVideo state-dict name, shape, role, Paddle internal name. */
export interface ParamSpec {
  /** Structured (state-dict) name, e.g. `backbone.l1.gcn1.convs.0.conv1.weight`. */
  name: string;
  shape: number[];
  role: ParamRole;
  /** false for BN running statistics (`_mean`, `_variance`). */
  trainable: boolean;
  /** Top-level group for summaries: `data_bn`, `l1` … `l10`, `fc`. */
  group: string;
  /** Paddle internal name, e.g. `conv2d_0.w_0` (counters per layer type in construction order). */
  internalName: string;
  /** Fan-in of a conv weight (in·kh·kw), used by the initialiser. */
  fanIn?: number;
}

/** A conv `[out, in, kernel, 1]` (Paddle layout) and where its tensors live. */
export interface ConvRef {
  weight: string;
  /** Bias tensor name; absent when the conv has no bias. */
  bias?: string;
  out: number;
  in: number;
  /** Temporal kernel height (1 for a 1×1 conv). */
  kernel: number;
  stride: number;
  dilation: number;
  /** Symmetric temporal padding ((kernel − 1)·dilation / 2). */
  pad: number;
  /** What the conv slides over: feature frames (T·V positions) or V×V relation maps. */
  on: 'frames' | 'relations';
}

/** A BatchNorm's four tensors. */
export interface BnRef {
  /** Module path, e.g. `backbone.l1.gcn1.bn` (a cache key; never used to build names). */
  prefix: string;
  channels: number;
  weight: string;
  bias: string;
  mean: string;
  variance: string;
}

export interface ConvBn {
  conv: ConvRef;
  bn: BnRef;
}

/** Output channels [start, start + count) of a conv (a fused conv serves several projections). */
export interface ConvRows {
  conv: ConvRef;
  start: number;
  count: number;
}

/** unit_gcn: Σ over subsets of CTR-GC, BN, plus `down`, ReLU. */
export interface GcnNode {
  form: CtrgcForm;
  prefix: string;
  in: number;
  out: number;
  /** Relation (q/k) channels R. */
  rel: number;
  /** Adjacency subsets (3: I, In, Out). */
  subsets: number;
  /** Relation maps computed: one per subset, or 1 shared by all subsets. */
  relationSets: number;
  /** `[subsets, V, V]` learnable adjacency and the scalar α. */
  pa: string;
  alpha: string;
  /** Per relation set: the q and k projections (R rows each), applied to the time-mean of x. */
  query: ConvRows[];
  key: ConvRows[];
  /** Per subset: the value projection (out rows) and the lift of the relation map (R → out). */
  value: ConvRows[];
  lift: ConvRows[];
  /** Projection shortcut inside the unit when in ≠ out; identity otherwise. */
  down?: ConvBn;
  bn: BnRef;
}

/** MultiScale_TemporalConv: [dilated conv branches…, max-pool branch, strided 1×1 branch]. */
export interface TemporalNode {
  form: TemporalForm;
  prefix: string;
  in: number;
  out: number;
  stride: number;
  /** Width of every branch, in concat order (sums to `out`). */
  widths: number[];
  /** Channels of the entry convs' output: the conv and pool branches (all but the last). */
  headWidth: number;
  /** First channel of the pool branch within the entry output. */
  poolOffset: number;
  /** 1×1 convs (+BN, then ReLU) on the unit input whose concatenated outputs feed the conv and pool branches. */
  entry: ConvBn[];
  /** The dilated temporal convs (+BN), one per dilation. */
  temporal: ConvBn[];
  /** Max-pool (3×1, stride, pad 1) branch and the BN after it. */
  pool: { kernel: number; stride: number; pad: number; bn: BnRef };
  /** The strided 1×1 conv branch (+BN) on the unit input, no ReLU. */
  last: ConvBn;
}

export type Shortcut =
  | { kind: 'none' }
  | { kind: 'identity' }
  /** Strided 1×1 conv + BN (unit_tcn / TemporalConv k=1), stored at the block or inside tcn1. */
  | { kind: 'conv'; prefix: string; conv: ConvRef; bn: BnRef };

export interface BlockNode {
  name: BlockName;
  /** Upstream class: graph + temporal, or temporal only. */
  kind: 'TCN_GCN_unit' | 'TCN_unit';
  in: number;
  out: number;
  stride: number;
  gcn?: GcnNode;
  tcn: TemporalNode;
  /** y = ReLU(tcn1(gcn1(x)) + shortcut(x)). */
  shortcut: Shortcut;
  /** Every conv of the block (for counting). */
  convs: ConvRef[];
}

export interface ModelTree {
  options: ArchOptions;
  variant: VariantName;
  backbone: BackboneName;
  baseChannel: number;
  numClass: number;
  numPoint: number;
  numPerson: number;
  inChannels: number;
  /** Adjacency subsets of the graph. */
  subsets: number;
  /** BatchNorm1D over the M·V·C input channels (`dataBnChannel`, `DATA_BN_LAYOUT`). */
  dataBn: BnRef;
  blocks: BlockNode[];
  /** Blocks of the plan replaced by identities. */
  removed: BlockName[];
  head: { in: number; out: number; weight: string; bias: string };
  /** Every persistable tensor, in PaddleVideo state-dict order. */
  tensors: ParamSpec[];
}

/**
 * data_bn's channel layout, PaddleVideo's `x.permute(0, 4, 3, 1, 2).view(N, M·V·C, T)`: person-major,
 * then joint, then coordinate. The builder, both ONNX emitters and the weights' readers use these.
 */
export const DATA_BN_LAYOUT = {
  /** [N, C, T, V, M] → [N, M, V, C, T]: the M·V·C channels, then time. */
  channelsFirstPerm: [0, 4, 3, 1, 2],
  /** [N, C, T, V, M] → [N, T, M, V, C]: time, then the M·V·C channels. */
  channelsLastPerm: [0, 2, 4, 3, 1],
} as const;

/** data_bn's channel of coordinate `c` of joint `v` of person `m`. */
export function dataBnChannel(t: Pick<ModelTree, 'inChannels' | 'numPoint'>, c: number, v: number, m: number): number {
  return (m * t.numPoint + v) * t.inChannels + c;
}

export class ArchitectureError extends CodedError {
  constructor(message: string) {
    super('E_ARCH_INVALID', message, 2);
    this.name = 'ArchitectureError';
  }
}

/** The 10-block CTR-GCN plan: [name, input width (0 = in_channels, else × base), output × base, stride]. */
const PLAN: ReadonlyArray<readonly [BlockName, number, number, number]> = [
  ['l1', 0, 1, 1],
  ['l2', 1, 1, 1],
  ['l3', 1, 1, 1],
  ['l4', 1, 1, 1],
  ['l5', 1, 2, 2],
  ['l6', 2, 2, 1],
  ['l7', 2, 2, 1],
  ['l8', 2, 4, 2],
  ['l9', 4, 4, 1],
  ['l10', 4, 4, 1],
];

/** CTR-GC relation channels: 8 for in ∈ {3, 9}, else in / 8 (integer division). */
export function ctrgcRelChannels(inChannels: number): number {
  return inChannels === 3 || inChannels === 9 ? 8 : Math.floor(inChannels / 8);
}

/** Branch widths of a temporal unit with `out` channels and `branches` branches. */
export function branchWidths(out: number, branches: number, last: LastBranch, where: string): number[] {
  const bc = Math.floor(out / branches);
  if (last === 'equal' && out % branches !== 0)
    throw new ArchitectureError(
      `${where}: ${out} output channels do not split into ${branches} equal temporal branches; ` +
        `choose a base_channel that makes every block width a multiple of ${branches}, or set last_branch: remainder`,
    );
  if (bc < 1) throw new ArchitectureError(`${where}: ${out} output channels are too few for ${branches} branches`);
  return [...Array.from({ length: branches - 1 }, () => bc), out - (branches - 1) * bc];
}

const BN_SUFFIX: Array<[keyof Omit<BnRef, 'prefix' | 'channels'>, string, ParamRole, string, boolean]> = [
  ['weight', 'weight', 'bn_weight', 'w_0', true],
  ['bias', 'bias', 'bn_bias', 'b_0', true],
  ['mean', '_mean', 'bn_mean', 'w_1', false],
  ['variance', '_variance', 'bn_variance', 'w_2', false],
];

/**
 * Registers tensors in state-dict order with Paddle's internal names (per-type counters in
 * construction order). A phantom builder (a removed block: upstream constructs it, then replaces it
 * with an Identity) advances the counters but keeps no tensor.
 */
class TensorRegistry {
  readonly specs: ParamSpec[] = [];
  private readonly counters = new Map<PaddleLayerType, number>();
  group = '';
  phantom = false;
  convs: ConvRef[] = [];

  private next(type: PaddleLayerType): string {
    const k = this.counters.get(type) ?? 0;
    this.counters.set(type, k + 1);
    return `${type}_${k}`;
  }

  private push(spec: Omit<ParamSpec, 'group'>): void {
    if (!this.phantom) this.specs.push({ ...spec, group: this.group });
  }

  conv(
    prefix: string,
    out: number,
    inC: number,
    o: { kernel?: number; stride?: number; dilation?: number; bias: boolean; on?: 'frames' | 'relations' },
  ): ConvRef {
    const layer = this.next('conv2d');
    const kernel = o.kernel ?? 1;
    const dilation = o.dilation ?? 1;
    const ref: ConvRef = {
      weight: `${prefix}.weight`,
      out,
      in: inC,
      kernel,
      stride: o.stride ?? 1,
      dilation,
      pad: ((kernel - 1) * dilation) / 2,
      on: o.on ?? 'frames',
    };
    this.push({
      name: ref.weight,
      shape: [out, inC, kernel, 1],
      role: 'conv_weight',
      trainable: true,
      internalName: `${layer}.w_0`,
      fanIn: inC * kernel,
    });
    if (o.bias) {
      ref.bias = `${prefix}.bias`;
      this.push({ name: ref.bias, shape: [out], role: 'conv_bias', trainable: true, internalName: `${layer}.b_0` });
    }
    if (!this.phantom) this.convs.push(ref);
    return ref;
  }

  bn(prefix: string, channels: number, type: 'batch_norm1d' | 'batch_norm2d' = 'batch_norm2d'): BnRef {
    const layer = this.next(type);
    const ref = { prefix, channels } as BnRef;
    for (const [field, suffix, role, internal, trainable] of BN_SUFFIX) {
      ref[field] = `${prefix}.${suffix}`;
      this.push({ name: ref[field], shape: [channels], role, trainable, internalName: `${layer}.${internal}` });
    }
    return ref;
  }

  convBn(convPrefix: string, bnPrefix: string, out: number, inC: number, o: Parameters<TensorRegistry['conv']>[3]) {
    return { conv: this.conv(convPrefix, out, inC, o), bn: this.bn(bnPrefix, out) };
  }

  param(name: string, shape: number[], role: ParamRole): string {
    this.push({ name, shape, role, trainable: true, internalName: `${this.next('create_parameter')}.w_0` });
    return name;
  }

  linear(prefix: string, inC: number, out: number): { weight: string; bias: string } {
    const layer = this.next('linear');
    const weight = `${prefix}.weight`;
    const bias = `${prefix}.bias`;
    this.push({ name: weight, shape: [inC, out], role: 'fc_weight', trainable: true, internalName: `${layer}.w_0` });
    this.push({ name: bias, shape: [out], role: 'fc_bias', trainable: true, internalName: `${layer}.b_0` });
    return { weight, bias };
  }
}

const rows = (conv: ConvRef, start: number, count: number): ConvRows => ({ conv, start, count });

function gcnNode(r: TensorRegistry, o: ArchOptions, p: string, cin: number, cout: number): GcnNode {
  const S = 3;
  const V = o.numPoint;
  const rel = ctrgcRelChannels(cin);
  if (rel < 1) throw new ArchitectureError(`${p}: ${cin} input channels give no CTR-GC relation channel`);
  // Own parameters come first in Paddle's state dict, then the sub-layers in registration order.
  const pa = r.param(`${p}.PA`, [S, V, V], 'adjacency');
  const alpha = r.param(`${p}.alpha`, [1], 'alpha');
  const node: Omit<GcnNode, 'bn'> = {
    form: o.ctrgc,
    prefix: p,
    in: cin,
    out: cout,
    rel,
    subsets: S,
    relationSets: o.ctrgc === 'fused_shared' ? 1 : S,
    pa,
    alpha,
    query: [],
    key: [],
    value: [],
    lift: [],
  };
  if (o.ctrgc === 'separate') {
    for (let s = 0; s < S; s++) {
      const c = (k: number, out: number, inC: number, on: 'frames' | 'relations' = 'frames') =>
        r.conv(`${p}.convs.${s}.conv${k}`, out, inC, { bias: true, on });
      node.query.push(rows(c(1, rel, cin), 0, rel));
      node.key.push(rows(c(2, rel, cin), 0, rel));
      node.value.push(rows(c(3, cout, cin), 0, cout));
      node.lift.push(rows(c(4, cout, rel, 'relations'), 0, cout));
    }
  } else {
    // conv1 rows: [q of each relation set | k of each relation set | values of each subset].
    const sets = node.relationSets;
    const conv1 = r.conv(`${p}.convs.conv1`, 2 * sets * rel + S * cout, cin, { bias: true });
    for (let j = 0; j < sets; j++) {
      node.query.push(rows(conv1, j * rel, rel));
      node.key.push(rows(conv1, (sets + j) * rel, rel));
    }
    for (let s = 0; s < S; s++) node.value.push(rows(conv1, 2 * sets * rel + s * cout, cout));
    for (let s = 0; s < S; s++)
      node.lift.push(rows(r.conv(`${p}.convs.conv2.${s}`, cout, rel, { bias: true, on: 'relations' }), 0, cout));
  }
  const down = cin !== cout ? r.convBn(`${p}.down.0`, `${p}.down.1`, cout, cin, { bias: o.convBias }) : undefined;
  return { ...node, ...(down ? { down } : {}), bn: r.bn(`${p}.bn`, cout) };
}

function temporalNode(
  r: TensorRegistry,
  o: ArchOptions,
  p: string,
  cin: number,
  cout: number,
  stride: number,
  where: string,
): TemporalNode {
  const nDil = o.dilations.length;
  const widths = branchWidths(cout, nDil + 2, o.lastBranch, where);
  const K = o.temporalKernel;
  const bias = o.convBias;
  const entry: ConvBn[] = [];
  const temporal: ConvBn[] = [];
  let poolBn: BnRef;
  const tconv = (prefix: string, bnPrefix: string, i: number) =>
    r.convBn(prefix, bnPrefix, widths[i], widths[i], { kernel: K, stride, dilation: o.dilations[i], bias });
  if (o.temporal === 'separate') {
    for (let i = 0; i < nDil; i++) {
      entry.push(r.convBn(`${p}.branches.${i}.0`, `${p}.branches.${i}.1`, widths[i], cin, { bias }));
      temporal.push(tconv(`${p}.branches.${i}.3.conv`, `${p}.branches.${i}.3.bn`, i));
    }
    entry.push(r.convBn(`${p}.branches.${nDil}.0`, `${p}.branches.${nDil}.1`, widths[nDil], cin, { bias }));
    poolBn = r.bn(`${p}.branches.${nDil}.4`, widths[nDil]);
  } else {
    const convAndPool = widths.slice(0, nDil + 1).reduce((a, b) => a + b, 0);
    entry.push(r.convBn(`${p}.conv_pw.0`, `${p}.conv_pw.1`, convAndPool, cin, { bias }));
    for (let i = 0; i < nDil; i++) temporal.push(tconv(`${p}.branches.${i}.conv`, `${p}.branches.${i}.bn`, i));
    poolBn = r.bn(`${p}.branches.${nDil}.1`, widths[nDil]);
  }
  const last = r.convBn(`${p}.branches.${nDil + 1}.0`, `${p}.branches.${nDil + 1}.1`, widths[nDil + 1], cin, {
    stride,
    bias,
  });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    form: o.temporal,
    prefix: p,
    in: cin,
    out: cout,
    stride,
    widths,
    headWidth: sum(widths.slice(0, nDil + 1)),
    poolOffset: sum(widths.slice(0, nDil)),
    entry,
    temporal,
    pool: { kernel: 3, stride, pad: 1, bn: poolBn },
    last,
  };
}

function shortcutConv(r: TensorRegistry, o: ArchOptions, p: string, cin: number, cout: number, stride: number) {
  const { conv, bn } = r.convBn(`${p}.conv`, `${p}.bn`, cout, cin, { stride, bias: o.convBias });
  return { kind: 'conv' as const, prefix: p, conv, bn };
}

/** Derives the block tree (and every tensor) of a resolved architecture. */
export function buildModelTree(o: ArchOptions): ModelTree {
  const C = o.baseChannel;
  if (!Number.isInteger(C) || C < 8) throw new ArchitectureError(`base_channel must be an integer ≥ 8 (got ${C})`);
  const r = new TensorRegistry();
  r.group = 'data_bn';
  const dataBn = r.bn('backbone.data_bn', o.numPerson * o.numPoint * o.inChannels, 'batch_norm1d');
  const gcn = new Set(o.gcnBlocks);
  const removed = new Set(o.removedBlocks);
  const blocks: BlockNode[] = [];
  let width = o.inChannels;
  for (const [name, inMul, outMul, stride] of PLAN) {
    const cin = inMul === 0 ? o.inChannels : inMul * C;
    const cout = outMul * C;
    if (removed.has(name)) {
      if (cin !== cout || stride !== 1)
        throw new ArchitectureError(
          `remove_blocks: ${name} (${cin}→${cout}, stride ${stride}) changes the feature shape and cannot become an identity`,
        );
    }
    if (!removed.has(name) && cin !== width)
      throw new ArchitectureError(`${name}: expects ${cin} input channels, the previous block gives ${width}`);
    r.group = name;
    r.phantom = removed.has(name);
    r.convs = [];
    const p = `backbone.${name}`;
    const hasGcn = gcn.has(name);
    // A stride-2 TCN_GCN block runs its graph conv at its output width, or (lightV2) its input width.
    const mid = hasGcn && stride > 1 && o.strideGcnWidth === 'input' ? cin : hasGcn ? cout : cin;
    const gcnUnit = hasGcn ? gcnNode(r, o, `${p}.gcn1`, cin, mid) : undefined;
    const tcn = temporalNode(r, o, `${p}.tcn1`, mid, cout, stride, name);
    let shortcut: Shortcut;
    if (name === 'l1') shortcut = { kind: 'none' };
    else if (cin === cout && stride === 1) shortcut = { kind: 'identity' };
    else {
      // TCN_GCN_unit keeps its projection at the block; TCN_unit of the fused family inside tcn1.
      const at = !hasGcn && o.temporal === 'fused' ? `${p}.tcn1.residual` : `${p}.residual`;
      shortcut = shortcutConv(r, o, at, cin, cout, stride);
    }
    if (!removed.has(name)) {
      blocks.push({
        name,
        kind: hasGcn ? 'TCN_GCN_unit' : 'TCN_unit',
        in: cin,
        out: cout,
        stride,
        ...(gcnUnit ? { gcn: gcnUnit } : {}),
        tcn,
        shortcut,
        convs: r.convs,
      });
      width = cout;
    }
  }
  r.phantom = false;
  r.group = 'fc';
  const fc = r.linear('head.fc', width, o.numClasses);
  return {
    options: o,
    variant: o.variant,
    backbone: o.backbone,
    baseChannel: C,
    numClass: o.numClasses,
    numPoint: o.numPoint,
    numPerson: o.numPerson,
    inChannels: o.inChannels,
    subsets: 3,
    dataBn,
    blocks,
    removed: PLAN.map(([n]) => n).filter((n) => removed.has(n)),
    head: { in: width, out: o.numClasses, ...fc },
    tensors: r.specs,
  };
}

/** Frames after a conv or block of stride `stride` (symmetric padding: ⌈t / s⌉, like Paddle). */
export function framesAfter(stride: number, frames: number): number {
  return Math.ceil(frames / stride);
}

/** Input frames of every block for a `frames`-frame input (index-aligned with tree.blocks). */
export function blockInputFrames(tree: ModelTree, frames: number): number[] {
  let t = frames;
  return tree.blocks.map((b) => {
    const tin = t;
    t = framesAfter(b.stride, t);
    return tin;
  });
}

/** Multiply-accumulates of one conv whose input has `frames` frames (per person-sequence). */
export function convMacs(c: ConvRef, frames: number, V: number): number {
  const positions = c.on === 'relations' ? V * V : framesAfter(c.stride, frames) * V;
  return c.out * c.in * c.kernel * positions;
}

/** MACs of the CTR-GC aggregation y[c,t,u] = Σ_v x3[c,t,v]·Â[c,u,v] over all subsets. */
export function aggregationMacs(g: GcnNode, frames: number, V: number): number {
  return g.subsets * g.out * frames * V * V;
}

/** The function a block computes, independent of how its weights are stored (for re-parameterisation checks). */
export function blockSignature(b: BlockNode): string {
  const g = b.gcn;
  // The number of relation maps is a storage choice: a shared map is per-subset maps that agree.
  const gs = g ? `gcn ${g.in}→${g.out} R=${g.rel} subsets ${g.subsets}` : 'no gcn';
  const sc = b.shortcut.kind;
  return `${b.name}: ${b.kind} ${b.in}→${b.out} stride ${b.stride}; ${gs}; temporal ${b.tcn.in}→${b.tcn.out} branches [${b.tcn.widths.join(',')}] dilations [${b.tcn.temporal.map((t) => t.conv.dilation).join(',')}]; shortcut ${sc}`;
}
