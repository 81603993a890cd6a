// Name/shape-checked access to a checkpoint's tensors for the emitter, remembering which ones were
// used so an export can refuse weights that belong to another architecture.
import type { BnRef, ConvRef } from '../../model/block-tree.js';
import type { TensorMap } from '../../model/safetensors.js';
import type { BnParams } from './fold-bn.js';
import { CodedError } from '../../util/errors.js';

export class TensorCheckError extends CodedError {
  constructor(message: string) {
    super('E_WEIGHTS_MISMATCH', message);
    this.name = 'TensorCheckError';
  }
}

export class CheckedTensors {
  private readonly used = new Set<string>();

  constructor(readonly tensors: TensorMap) {}

  get(key: string, shape: number[]): Float32Array {
    const t = this.tensors.get(key);
    if (!t) throw new TensorCheckError(`missing tensor ${key} [${shape.join(',')}]`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new TensorCheckError(`tensor ${key} has shape [${t.shape.join(',')}], expected [${shape.join(',')}]`);
    }
    this.used.add(key);
    return t.data;
  }

  /** A conv's weight `[out, in, kernel, 1]` and its bias when the tree gives it one. */
  conv(c: ConvRef): { weight: Float32Array; bias?: Float32Array } {
    return {
      weight: this.get(c.weight, [c.out, c.in, c.kernel, 1]),
      bias: c.bias ? this.get(c.bias, [c.out]) : undefined,
    };
  }

  bn(ref: BnRef): BnParams {
    const n = ref.channels;
    return {
      weight: this.get(ref.weight, [n]),
      bias: this.get(ref.bias, [n]),
      mean: this.get(ref.mean, [n]),
      variance: this.get(ref.variance, [n]),
    };
  }

  /** Throws when some tensor was never read (weights of a different architecture). */
  assertAllUsed(): void {
    const extra = [...this.tensors.keys()].filter((k) => !this.used.has(k));
    if (extra.length) {
      const shown = extra.slice(0, 5).join(', ');
      throw new TensorCheckError(
        `${extra.length} tensor(s) not used by this architecture: ${shown}${extra.length > 5 ? ', …' : ''}`,
      );
    }
  }

  /** Number of scalars in the checkpoint. */
  get parameterCount(): number {
    let n = 0;
    for (const t of this.tensors.values()) n += t.data.length;
    return n;
  }
}
