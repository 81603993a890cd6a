// What a block needs while it runs: its tensors by PaddleVideo name, and the training switch.
import type * as tf from '@tensorflow/tfjs';
import type { BatchStatsRecorder, BnLayer } from '../batchnorm.js';
import type { BnRef } from '../block-tree.js';

export interface ForwardContext {
  /** Set in training mode: BN uses and records batch statistics. */
  recorder?: BatchStatsRecorder;
  /** A parameter or buffer by structured name (throws if absent). */
  v(name: string): tf.Tensor;
  /** `v(name)` or undefined for an absent optional name (a conv without bias). */
  maybe(name: string | undefined): tf.Tensor | undefined;
  /** The four tensors of a BatchNorm. */
  bn(ref: BnRef): BnLayer;
}
