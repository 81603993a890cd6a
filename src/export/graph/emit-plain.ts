// The plain (unfused) inference graph: a literal walk of the same block tree, op for op as
// PaddleVideo's forward pass reads — every stored conv once (a fused conv's rows sliced out where
// they are used), every BatchNorm an ONNX BatchNormalization, the CTR-GC relation map computed per
// subset on the full-length projections, the aggregation as MatMul with Â transposed. It is the
// same function as the fused graph (emit-ctrgcn.ts) and the baseline `ctrgcn export --no-fuse`
// writes for the benchmark's fused/unfused ratio.
import type { BlockNode, BnRef, ConvRef, ConvRows, GcnNode, TemporalNode } from '../../model/block-tree.js';
import { DATA_BN_LAYOUT } from '../../model/block-tree.js';
import { BlockEmitter } from './emit-head.js';
import { BN_EPSILON } from './fold-bn.js';
import type { AttrValue } from './onnx-builder.js';

export class PlainEmitter extends BlockEmitter {
  /** Output of each stored conv by (weight name, input value): a conv serving several uses runs once. */
  private readonly convOut = new Map<string, string>();

  private constants = 0;

  /** An int64 constant under a name made unique by a counter (the same shape recurs per block). */
  private ints(hint: string, values: number[]): string {
    return this.g.int64Const(`${hint}.${this.constants++}`, values);
  }

  /** A stored conv on `x`, as stored (weight, bias), emitted once per input. */
  private conv(x: string, c: ConvRef): string {
    const key = `${c.weight}@${x}`;
    const done = this.convOut.get(key);
    if (done) return done;
    const { weight, bias } = this.ck.conv(c);
    const inputs = [x, this.w.weight(c.weight, [c.out, c.in, c.kernel, 1], weight)];
    if (bias) inputs.push(this.w.constant(c.bias!, [c.out], bias));
    const attrs: Record<string, AttrValue> =
      c.kernel === 1 && c.stride === 1
        ? {}
        : { strides: [c.stride, 1], dilations: [c.dilation, 1], pads: [c.pad, 0, c.pad, 0] };
    const y = this.g.op('Conv', inputs, attrs, c.weight.replace(/\.weight$/, ''));
    this.convOut.set(key, y);
    return y;
  }

  /** Rows [start, start + count) of a stored 1×1 conv on `x`. */
  private rows(x: string, r: ConvRows): string {
    const y = this.conv(x, r.conv);
    if (r.start === 0 && r.count === r.conv.out) return y;
    const hint = r.conv.weight.replace(/\.weight$/, '');
    return this.g.op(
      'Slice',
      [
        y,
        this.ints(`${hint}.start`, [r.start]),
        this.ints(`${hint}.end`, [r.start + r.count]),
        this.ints(`${hint}.axis`, [1]),
      ],
      {},
      hint,
    );
  }

  /** Eval-mode BatchNorm (running statistics) over axis 1. */
  private bn(x: string, ref: BnRef): string {
    const p = this.ck.bn(ref);
    const n = ref.channels;
    const c = (name: string, data: Float32Array) => this.w.constant(name, [n], data);
    return this.g.op(
      'BatchNormalization',
      [x, c(ref.weight, p.weight), c(ref.bias, p.bias), c(ref.mean, p.mean), c(ref.variance, p.variance)],
      { epsilon: { float: BN_EPSILON } },
      ref.prefix,
    );
  }

  /** data_bn: [N, C, T, V, M] → [N, M·V·C, T] → BatchNorm1d → [N·M, C, T, V]. */
  dataBn(x: string, T: number): string {
    const { inChannels: C, numPoint: V, numPerson: M } = this.tree;
    const g = this.g;
    const t = g.op('Transpose', [x], { perm: [...DATA_BN_LAYOUT.channelsFirstPerm] }, 'data_bn');
    const flat = g.op('Reshape', [t, this.shape('data_bn.flat', [0, M * V * C, -1])], {}, 'data_bn');
    const y = this.bn(flat, this.tree.dataBn);
    const y5 = g.op('Reshape', [y, this.shape('data_bn.unflat', [0, M, V, C, -1])], {}, 'data_bn');
    const back = g.op('Transpose', [y5], { perm: [0, 1, 3, 4, 2] }, 'data_bn');
    return g.op('Reshape', [back, this.shape('data_bn.to_nm', [-1, C, T, V])], {}, 'data_bn');
  }

  /** y = ReLU(tcn(gcn(x)) + shortcut(x)). */
  block(x: string, b: BlockNode): string {
    const h = b.gcn ? this.unitGcn(x, b.gcn) : x;
    let y = this.temporal(h, b.tcn);
    const s = b.shortcut;
    if (s.kind === 'identity') y = this.g.op('Add', [y, x], {}, `${b.name}.residual`);
    else if (s.kind === 'conv')
      y = this.g.op('Add', [y, this.bn(this.conv(x, s.conv), s.bn)], {}, `${b.name}.residual`);
    return this.g.op('Relu', [y], {}, b.name);
  }

  /** unit_gcn: ReLU(bn(Σ_s CTRGC_s(x)) + down(x)). */
  unitGcn(x: string, gn: GcnNode): string {
    const g = this.g;
    const V = this.tree.numPoint;
    const { subsets: S, relationSets: SR } = gn;
    const alpha = this.w.constant(gn.alpha, [1], this.ck.get(gn.alpha, [1]));
    const PA = this.ck.get(gn.pa, [S, V, V]);
    const name = gn.prefix;

    // Relation maps: R[n, r, u, v] = tanh(mean_T q[n, r, ·, u] − mean_T k[n, r, ·, v]).
    const rel: string[] = [];
    for (let r = 0; r < SR; r++) {
      const q = g.op('ReduceMean', [this.rows(x, gn.query[r])], { axes: [2], keepdims: 0 }, name);
      const k = g.op('ReduceMean', [this.rows(x, gn.key[r])], { axes: [2], keepdims: 0 }, name);
      const qu = g.op('Unsqueeze', [q, this.ints(`${name}.axis_u`, [3])], {}, name);
      const kv = g.op('Unsqueeze', [k, this.ints(`${name}.axis_v`, [2])], {}, name);
      rel.push(g.op('Tanh', [g.op('Sub', [qu, kv], {}, name)], {}, name));
    }

    let sum: string | undefined;
    for (let s = 0; s < S; s++) {
      const lifted = this.rows(rel[SR === S ? s : 0], gn.lift[s]);
      const pa = this.w.constant(`${gn.pa}.${s}`, [V, V], PA.subarray(s * V * V, (s + 1) * V * V));
      const A = g.op('Add', [g.op('Mul', [lifted, alpha], {}, name), pa], {}, name); // [N, C, U, V]
      const At = g.op('Transpose', [A], { perm: [0, 1, 3, 2] }, name);
      const y = g.op('MatMul', [this.rows(x, gn.value[s]), At], {}, name); // y[n,c,t,u] = Σ_v x3[v]·A[u,v]
      sum = sum ? g.op('Add', [sum, y], {}, name) : y;
    }
    const main = this.bn(sum!, gn.bn);
    const down = gn.down ? this.bn(this.conv(x, gn.down.conv), gn.down.bn) : x;
    return g.op('Relu', [g.op('Add', [main, down], {}, name)], {}, name);
  }

  /** MultiScale_TemporalConv: [dilated branches…, max-pool branch, strided 1×1 branch] concatenated. */
  temporal(x: string, tn: TemporalNode): string {
    const g = this.g;
    const name = tn.prefix;
    const nb = tn.widths.length;
    const nDil = tn.temporal.length;
    // Entry convs (+BN, ReLU) in channel order; split when one conv feeds several branches.
    const entries = tn.entry.map((e) => g.op('Relu', [this.bn(this.conv(x, e.conv), e.bn)], {}, name));
    const heads = tn.widths.slice(0, nb - 1);
    let parts: string[];
    if (entries.length === heads.length && tn.entry.every((e, i) => e.conv.out === heads[i])) parts = entries;
    else {
      const all = entries.length === 1 ? entries[0] : g.op('Concat', entries, { axis: 1 }, name);
      parts = g.node('Split', [all, this.ints(`${name}.split`, heads)], { axis: 1 }, heads.length, name);
    }
    const ys = tn.temporal.map((t, i) => this.bn(this.conv(parts[i], t.conv), t.bn));
    const { kernel, stride, pad } = tn.pool;
    const pooled = g.op(
      'MaxPool',
      [parts[nDil]],
      { kernel_shape: [kernel, 1], strides: [stride, 1], pads: [pad, 0, pad, 0] },
      name,
    );
    ys.push(this.bn(pooled, tn.pool.bn));
    ys.push(this.bn(this.conv(x, tn.last.conv), tn.last.bn));
    return g.op('Concat', ys, { axis: 1 }, name);
  }
}
