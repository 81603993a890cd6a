// SGD with momentum + Nesterov and L2 decay folded into the gradient (training.md §5), written out
// explicitly on tf.Variables so that the per-step learning rate is exactly the one logged.
import * as tf from '@tensorflow/tfjs';

export interface MomentumOptions {
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

export class MomentumSgd {
  /** Velocity per parameter name, created (zeros) on first use. */
  readonly velocities = new Map<string, tf.Variable>();

  constructor(readonly opts: MomentumOptions) {}

  /**
   * One update: g ← g + wd·w; v ← μ·v + g; w ← w − lr·(g + μ·v) (Nesterov) or w − lr·v.
   * `grads` are not disposed here (the caller owns them).
   */
  step(
    params: ReadonlyMap<string, tf.Variable>,
    grads: ReadonlyMap<string, tf.Tensor> | Record<string, tf.Tensor>,
    lr: number,
  ): void {
    const get = (k: string): tf.Tensor | undefined =>
      grads instanceof Map ? (grads as ReadonlyMap<string, tf.Tensor>).get(k) : (grads as Record<string, tf.Tensor>)[k];
    const { momentum: mu, nesterov, weightDecay: wd } = this.opts;
    for (const [name, w] of params) {
      const g0 = get(name);
      if (!g0) continue; // a parameter that did not take part in the loss (none in these models)
      if (!this.velocities.has(name))
        this.velocities.set(
          name,
          tf.tidy(() => tf.variable(tf.zerosLike(w), false)),
        );
      const v = this.velocities.get(name)!;
      tf.tidy(() => {
        const g = wd !== 0 ? tf.add(g0, tf.mul(w, wd)) : g0;
        const vNew = tf.add(tf.mul(v, mu), g);
        const upd = nesterov ? tf.add(g, tf.mul(vNew, mu)) : vNew;
        // Variable.assign releases the previous value.
        v.assign(vNew);
        w.assign(tf.sub(w, tf.mul(upd, lr)));
      });
    }
  }

  /** Velocities as plain arrays (for the optimiser checkpoint). */
  stateDict(): Map<string, { shape: number[]; data: Float32Array }> {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [k, v] of this.velocities) out.set(k, { shape: [...v.shape], data: v.dataSync() as Float32Array });
    return out;
  }

  loadStateDict(
    state: ReadonlyMap<string, { shape: number[]; data: Float32Array }>,
    params: ReadonlyMap<string, tf.Variable>,
  ): void {
    this.dispose();
    for (const [k, t] of state) {
      const p = params.get(k);
      if (!p) throw new Error(`optimiser state has velocity for unknown parameter "${k}"`);
      if (p.shape.join(',') !== t.shape.join(',')) {
        throw new Error(`optimiser state "${k}": shape [${t.shape}] does not match parameter [${p.shape}]`);
      }
      this.velocities.set(
        k,
        tf.tidy(() => tf.variable(tf.tensor(t.data, t.shape, 'float32'), false)),
      );
    }
  }

  dispose(): void {
    for (const v of this.velocities.values()) v.dispose();
    this.velocities.clear();
  }
}
