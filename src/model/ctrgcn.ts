// CTR-GCN (PaddleVideo's backbone + `CTRGCNHead`) and every registered variant (registry.ts) or
// recipe-defined layout in tfjs, built by walking the block tree
// (block-tree.ts). Public API — other modules code against this; keep it stable:
//
//   createModel(tree, { seed?, checkpoint? }): CtrGcnModel   init per spec model.md §6 (Paddle defaults);
//       checkpoint (default true): per-block gradient checkpointing in training mode (less memory)
//
//   interface CtrGcnModel {
//     tree; specs                                      ParamSpec per tensor, state-dict order (§9)
//     params: Map<name, tf.Variable>                   trainable, PaddleVideo names, §9 order
//     buffers: Map<name, tf.Variable>                  BN `_mean` / `_variance`, trainable = false
//     forward(x [N,3,T,25,2], { training }) → logits [N, numClass]
//         training = true: BN normalises with batch statistics (biased variance) and RECORDS them;
//         running stats change only in commitBatchStats(), so a gradient tape around forward has
//         no side effects. Differentiable w.r.t. `params` (use tf.variableGrads(f, [...params.values()])
//         — pass the list: without it tfjs differentiates every trainable variable in the process).
//     commitBatchStats()                               running = 0.9·running + 0.1·batch; drops the record
//     discardBatchStats()                              drops recorded stats without applying them
//     forwardWithActivations(x, opts) → { logits, acts }
//         acts: data_bn_out [N·M, C, T, V], <block>_out for every block kept [N·M, C, T', V]
//         (PaddleVideo NCHW layout, row n·M + m), pooled [N, C_last]. The caller disposes everything returned.
//     dispose()
//   }
//
// Weights: see weights.ts (stateDict, loadStateDict strict, readWeightsFile for safetensors or
// .pdparams by content, writePdparams / writeSafetensors / writeWeightsFile).
// Each training forward replaces the previously recorded (uncommitted) statistics.
// T is free (any length ≥ 1); stride-2 blocks give ceil(T/2) frames like Paddle.
// Internally feature maps are channels-last `[N·M, T, V, C]` (tfjs-node's native conv layout, and
// 1×1 convs become plain 2-D matMuls).
import * as tf from '@tensorflow/tfjs';
import { BatchStatsRecorder, batchNorm, type BnLayer } from './batchnorm.js';
import { block, blockTail } from './blocks/block.js';
import { unitGcn } from './blocks/gcn.js';
import { checkpointed } from './blocks/grad-checkpoint.js';
import type { ForwardContext } from './blocks/context.js';
import type { BlockNode, ModelTree, ParamSpec } from './block-tree.js';
import { DATA_BN_LAYOUT } from './block-tree.js';
import { initialValues } from './init.js';
import { CodedError } from '../util/errors.js';

export interface ForwardOptions {
  training: boolean;
}

export interface CtrGcnModel {
  tree: ModelTree;
  specs: readonly ParamSpec[];
  params: Map<string, tf.Variable>;
  buffers: Map<string, tf.Variable>;
  forward(x: tf.Tensor, opts: ForwardOptions): tf.Tensor2D;
  commitBatchStats(): void;
  discardBatchStats(): void;
  forwardWithActivations(x: tf.Tensor, opts: ForwardOptions): { logits: tf.Tensor2D; acts: Map<string, tf.Tensor> };
  dispose(): void;
}

export class ModelInputError extends CodedError {
  constructor(message: string) {
    super('E_INPUT_SHAPE', message);
    this.name = 'ModelInputError';
  }
}

class CtrGcn implements CtrGcnModel {
  readonly specs: readonly ParamSpec[];
  readonly params = new Map<string, tf.Variable>();
  readonly buffers = new Map<string, tf.Variable>();
  private readonly all = new Map<string, tf.Variable>();
  private readonly bnCache = new Map<string, BnLayer>();
  private readonly recorder = new BatchStatsRecorder();
  /** Trainable tensor names per block (`l1` → [`backbone.l1.…`]). */
  private readonly blockParams = new Map<string, string[]>();

  constructor(
    readonly tree: ModelTree,
    seed: number,
    private readonly checkpoint: boolean,
  ) {
    this.specs = tree.tensors;
    for (const b of tree.blocks) {
      this.blockParams.set(
        b.name,
        this.specs.filter((s) => s.trainable && s.group === b.name).map((s) => s.name),
      );
    }
    const values = initialValues(this.specs, seed);
    this.specs.forEach((s, i) => {
      const v = tf.variable(tf.tensor(values[i], s.shape, 'float32'), s.trainable);
      (s.trainable ? this.params : this.buffers).set(s.name, v);
      this.all.set(s.name, v);
    });
  }

  private context(training: boolean): ForwardContext {
    const v = (name: string): tf.Variable => {
      const t = this.all.get(name);
      if (!t) throw new Error(`model has no tensor named ${name}`);
      return t;
    };
    return {
      recorder: training ? this.recorder : undefined,
      v,
      maybe: (name) => (name === undefined ? undefined : this.all.get(name)),
      bn: (ref) => {
        let l = this.bnCache.get(ref.prefix);
        if (!l) {
          l = {
            prefix: ref.prefix,
            weight: v(ref.weight),
            bias: v(ref.bias),
            mean: this.all.get(ref.mean)!,
            variance: this.all.get(ref.variance)!,
          };
          this.bnCache.set(ref.prefix, l);
        }
        return l;
      },
    };
  }

  private checkInput(x: tf.Tensor): void {
    const { inChannels, numPoint, numPerson } = this.tree;
    const s = x.shape;
    if (s.length !== 5 || s[1] !== inChannels || s[3] !== numPoint || s[4] !== numPerson || s[0] < 1 || s[2] < 1) {
      throw new ModelInputError(
        `model input must be [N, ${inChannels}, T, ${numPoint}, ${numPerson}], got [${s.join(', ')}]`,
      );
    }
    if (x.dtype !== 'float32') throw new ModelInputError(`model input must be float32, got ${x.dtype}`);
  }

  /** The whole network; `acts` (if given) receives the named intermediate outputs. */
  private run(x: tf.Tensor, training: boolean, acts?: Record<string, tf.Tensor>): tf.Tensor2D {
    this.checkInput(x);
    if (training) this.recorder.clear();
    const ctx = this.context(training);
    const [n, c, t, v, m] = x.shape;
    // data_bn over its M·V·C channels (DATA_BN_LAYOUT), statistics over N and T.
    const xb = tf.reshape(tf.transpose(x, [...DATA_BN_LAYOUT.channelsLastPerm]), [n, t, m * v * c]);
    const xn = batchNorm(xb, [ctx.bn(this.tree.dataBn)], ctx.recorder, { refineMean: true });
    let h = tf.reshape<tf.Rank.R4>(tf.transpose(tf.reshape(xn, [n, t, m, v, c]), [0, 2, 1, 3, 4]), [n * m, t, v, c]);
    const toNchw = (a: tf.Tensor) => tf.transpose(a, [0, 3, 1, 2]);
    if (acts) acts.data_bn_out = toNchw(h);
    for (const blk of this.tree.blocks) {
      const input = h;
      h = training && this.checkpoint ? this.checkpointedBlock(ctx, blk, input) : tf.tidy(() => block(ctx, blk, input));
      if (acts) acts[`${blk.name}_out`] = toNchw(h);
    }
    // Head: mean over T'·V then over persons = one mean over M·T'·V (equal group sizes).
    const [, t2, v2, c2] = h.shape;
    const pooled = tf.mean<tf.Tensor2D>(tf.reshape(h, [n, m * t2 * v2, c2]), 1);
    if (acts) acts.pooled = pooled;
    const { weight, bias } = this.tree.head;
    return tf.add<tf.Tensor2D>(tf.matMul(pooled, ctx.v(weight)), ctx.v(bias));
  }

  /**
   * A block under gradient checkpointing: a block with a graph unit as two checkpointed nodes (the
   * unit; the temporal part with the shortcut), so a replay holds one of the two tapes at a time.
   */
  private checkpointedBlock(ctx: ForwardContext, blk: BlockNode, x: tf.Tensor4D): tf.Tensor4D {
    const names = this.blockParams.get(blk.name)!;
    const gcn = blk.gcn;
    if (!gcn) return checkpointed(ctx, names, (c, [xin]) => block(c, blk, xin), [x]);
    const inGcn = (n: string) => n.startsWith(`${gcn.prefix}.`);
    const g = checkpointed(ctx, names.filter(inGcn), (c, [xin]) => unitGcn(c, gcn, xin), [x]);
    const rest = names.filter((n) => !inGcn(n));
    // Without a shortcut the tail does not read x (a gradient w.r.t. it would be undefined).
    if (blk.shortcut.kind === 'none') return checkpointed(ctx, rest, (c, [gin]) => blockTail(c, blk, gin, gin), [g]);
    return checkpointed(ctx, rest, (c, [xin, gin]) => blockTail(c, blk, xin, gin), [x, g]);
  }

  forward(x: tf.Tensor, opts: ForwardOptions): tf.Tensor2D {
    return tf.tidy(() => this.run(x, opts.training));
  }

  forwardWithActivations(x: tf.Tensor, opts: ForwardOptions): { logits: tf.Tensor2D; acts: Map<string, tf.Tensor> } {
    const out = tf.tidy(() => {
      const acts: Record<string, tf.Tensor> = {};
      const logits = this.run(x, opts.training, acts);
      return { logits, ...acts };
    });
    const { logits, ...rest } = out;
    return { logits: logits, acts: new Map(Object.entries(rest)) };
  }

  commitBatchStats(): void {
    this.recorder.commit();
  }

  discardBatchStats(): void {
    this.recorder.clear();
  }

  dispose(): void {
    this.recorder.clear();
    for (const v of this.all.values()) v.dispose();
    this.all.clear();
    this.params.clear();
    this.buffers.clear();
  }
}

export interface CreateModelOptions {
  /** Initialisation seed (default 0). */
  seed?: number;
  /**
   * Gradient checkpointing per block in training mode (default true): peak memory of a training
   * step drops ~4× for ~25 % more compute. Results are identical either way.
   */
  checkpoint?: boolean;
}

export function createModel(tree: ModelTree, opts: CreateModelOptions = {}): CtrGcnModel {
  return new CtrGcn(tree, opts.seed ?? 0, opts.checkpoint ?? true);
}
