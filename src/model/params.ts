// Every persistable tensor of a model, derived from the layout table: PaddleVideo state-dict
// name, shape, role and Paddle's internal parameter name, in state-dict order (spec model.md §9).
import { ctrgcRelChannels, type BlockLayout, type ModelLayout } from './layout.js';

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

const BN_SUFFIX: Array<[string, ParamRole, string, boolean]> = [
  ['weight', 'bn_weight', 'w_0', true],
  ['bias', 'bn_bias', 'b_0', true],
  ['_mean', 'bn_mean', 'w_1', false],
  ['_variance', 'bn_variance', 'w_2', false],
];

class SpecBuilder {
  readonly specs: ParamSpec[] = [];
  private counters = new Map<PaddleLayerType, number>();
  group = '';

  private next(type: PaddleLayerType): string {
    const k = this.counters.get(type) ?? 0;
    this.counters.set(type, k + 1);
    return `${type}_${k}`;
  }

  conv(prefix: string, out: number, inC: number, kh: number, bias: boolean): void {
    const layer = this.next('conv2d');
    const fanIn = inC * kh;
    this.specs.push({
      name: `${prefix}.weight`,
      shape: [out, inC, kh, 1],
      role: 'conv_weight',
      trainable: true,
      group: this.group,
      internalName: `${layer}.w_0`,
      fanIn,
    });
    if (bias)
      this.specs.push({
        name: `${prefix}.bias`,
        shape: [out],
        role: 'conv_bias',
        trainable: true,
        group: this.group,
        internalName: `${layer}.b_0`,
      });
  }

  bn(prefix: string, c: number, type: 'batch_norm1d' | 'batch_norm2d' = 'batch_norm2d'): void {
    const layer = this.next(type);
    for (const [suffix, role, internal, trainable] of BN_SUFFIX) {
      this.specs.push({
        name: `${prefix}.${suffix}`,
        shape: [c],
        role,
        trainable,
        group: this.group,
        internalName: `${layer}.${internal}`,
      });
    }
  }

  param(name: string, shape: number[], role: ParamRole): void {
    this.specs.push({
      name,
      shape,
      role,
      trainable: true,
      group: this.group,
      internalName: `${this.next('create_parameter')}.w_0`,
    });
  }

  linear(prefix: string, inC: number, out: number): void {
    const layer = this.next('linear');
    this.specs.push({
      name: `${prefix}.weight`,
      shape: [inC, out],
      role: 'fc_weight',
      trainable: true,
      group: this.group,
      internalName: `${layer}.w_0`,
    });
    this.specs.push({
      name: `${prefix}.bias`,
      shape: [out],
      role: 'fc_bias',
      trainable: true,
      group: this.group,
      internalName: `${layer}.b_0`,
    });
  }
}

function unitGcnSpecs(b: SpecBuilder, p: string, blk: BlockLayout, layout: ModelLayout): void {
  const { inChannels: cin, outChannels: cout } = blk;
  const rel = ctrgcRelChannels(cin);
  const V = layout.numPoint;
  b.param(`${p}.PA`, [3, V, V], 'adjacency');
  b.param(`${p}.alpha`, [1], 'alpha');
  for (let s = 0; s < 3; s++) {
    b.conv(`${p}.convs.${s}.conv1`, rel, cin, 1, true);
    b.conv(`${p}.convs.${s}.conv2`, rel, cin, 1, true);
    b.conv(`${p}.convs.${s}.conv3`, cout, cin, 1, true);
    b.conv(`${p}.convs.${s}.conv4`, cout, rel, 1, true);
  }
  if (cin !== cout) {
    b.conv(`${p}.down.0`, cout, cin, 1, layout.bnConvBias);
    b.bn(`${p}.down.1`, cout);
  }
  b.bn(`${p}.bn`, cout);
}

function multiScaleSpecs(b: SpecBuilder, p: string, cin: number, cout: number, layout: ModelLayout): void {
  const bc = cout / 4;
  const k = layout.temporalKernel;
  const bias = layout.bnConvBias;
  for (let d = 0; d < layout.dilations.length; d++) {
    b.conv(`${p}.branches.${d}.0`, bc, cin, 1, bias);
    b.bn(`${p}.branches.${d}.1`, bc);
    b.conv(`${p}.branches.${d}.3.conv`, bc, bc, k, bias);
    b.bn(`${p}.branches.${d}.3.bn`, bc);
  }
  const mp = layout.dilations.length;
  b.conv(`${p}.branches.${mp}.0`, bc, cin, 1, bias);
  b.bn(`${p}.branches.${mp}.1`, bc);
  b.bn(`${p}.branches.${mp}.4`, bc);
  b.conv(`${p}.branches.${mp + 1}.0`, bc, cin, 1, bias);
  b.bn(`${p}.branches.${mp + 1}.1`, bc);
}

/** All persistable tensors of `layout`, in PaddleVideo state-dict order. */
export function paramSpecs(layout: ModelLayout): ParamSpec[] {
  const b = new SpecBuilder();
  const V = layout.numPoint;
  b.group = 'data_bn';
  b.bn('backbone.data_bn', layout.numPerson * V * layout.inChannels, 'batch_norm1d');
  for (const blk of layout.blocks) {
    b.group = blk.name;
    const p = `backbone.${blk.name}`;
    const tcnIn = blk.gcn ? blk.outChannels : blk.inChannels;
    if (blk.gcn) unitGcnSpecs(b, `${p}.gcn1`, blk, layout);
    multiScaleSpecs(b, `${p}.tcn1`, tcnIn, blk.outChannels, layout);
    if (blk.residual === 'unit_tcn') {
      b.conv(`${p}.residual.conv`, blk.outChannels, blk.inChannels, 1, layout.bnConvBias);
      b.bn(`${p}.residual.bn`, blk.outChannels);
    }
  }
  b.group = 'fc';
  const last = layout.blocks[layout.blocks.length - 1].outChannels;
  b.linear('head.fc', last, layout.numClass);
  return b.specs;
}
