// Name/shape-checked access to a checkpoint's tensors, remembering which ones were used so an
// export can refuse weights that belong to another architecture.
import type { TensorMap } from '../model/safetensors.js';
import type { BnParams } from './fold-bn.js';
import { CodedError } from '../util/errors.js';

export class CheckpointError extends CodedError {
  constructor(message: string) {
    super('E_WEIGHTS_MISMATCH', message);
    this.name = 'CheckpointError';
  }
}

export class CheckedCheckpoint {
  private readonly used = new Set<string>();

  constructor(readonly tensors: TensorMap) {}

  has(key: string): boolean {
    return this.tensors.has(key);
  }

  get(key: string, shape: number[]): Float32Array {
    const t = this.tensors.get(key);
    if (!t) throw new CheckpointError(`missing tensor ${key} [${shape.join(',')}]`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new CheckpointError(`tensor ${key} has shape [${t.shape.join(',')}], expected [${shape.join(',')}]`);
    }
    this.used.add(key);
    return t.data;
  }

  /** A conv bias that must exist iff `present`. */
  optional(key: string, shape: number[], present: boolean): Float32Array | undefined {
    if (present) return this.get(key, shape);
    if (this.tensors.has(key))
      throw new CheckpointError(`unexpected tensor ${key} (this architecture has no bias there)`);
    return undefined;
  }

  bn(prefix: string, channels: number): BnParams {
    return {
      weight: this.get(`${prefix}.weight`, [channels]),
      bias: this.get(`${prefix}.bias`, [channels]),
      mean: this.get(`${prefix}._mean`, [channels]),
      variance: this.get(`${prefix}._variance`, [channels]),
    };
  }

  /** Throws when some tensor was never read (weights of a different architecture). */
  assertAllUsed(): void {
    const extra = [...this.tensors.keys()].filter((k) => !this.used.has(k));
    if (extra.length) {
      const shown = extra.slice(0, 5).join(', ');
      throw new CheckpointError(
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
