// Initial values per spec model.md §6 (the reference code's effective behaviour = Paddle
// defaults): conv weight N(0, sqrt(2/fan_in)), conv bias 0, BN 1/0/0/1, PA = A, alpha = 0,
// fc weight Xavier-uniform [in, out], fc bias 0. Deterministic for a given seed.
import { mulberry32 } from '../util/prng.js';
import { ntuAdjacency } from './graph.js';
import type { ParamSpec } from './block-tree.js';

/** Uniform [0, 1) stream for weight init. */
export const seededUniform = mulberry32;

function normalFiller(uniform: () => number): () => number {
  return () => {
    const u1 = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** Initial data for each spec, in order. */
export function initialValues(specs: readonly ParamSpec[], seed = 0): Float32Array[] {
  const uniform = seededUniform(seed);
  const normal = normalFiller(uniform);
  const adjacency = ntuAdjacency();
  return specs.map((s) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(size);
    switch (s.role) {
      case 'conv_weight': {
        const sigma = Math.sqrt(2 / (s.fanIn ?? s.shape.slice(1).reduce((a, b) => a * b, 1)));
        for (let i = 0; i < size; i++) out[i] = normal() * sigma;
        break;
      }
      case 'fc_weight': {
        const bound = Math.sqrt(6 / (s.shape[0] + s.shape[1]));
        for (let i = 0; i < size; i++) out[i] = (2 * uniform() - 1) * bound;
        break;
      }
      case 'bn_weight':
      case 'bn_variance':
        out.fill(1);
        break;
      case 'adjacency':
        out.set(adjacency);
        break;
      default:
        break; // biases, BN mean, alpha: 0
    }
    return out;
  });
}
