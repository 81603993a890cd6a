// Eval-mode BatchNorm as a per-channel affine map, and its folding into a preceding conv.
// Arithmetic in float64, rounded to float32 once at the end.

export const BN_EPSILON = 1e-5;

export interface Affine {
  scale: Float64Array;
  shift: Float64Array;
}

export interface BnParams {
  weight: Float32Array;
  bias: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
}

/** y = γ·(x − μ)/√(σ² + ε) + β  =  scale·x + shift. */
export function bnAffine(bn: BnParams, eps = BN_EPSILON): Affine {
  const n = bn.weight.length;
  const scale = new Float64Array(n);
  const shift = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scale[i] = bn.weight[i] / Math.sqrt(bn.variance[i] + eps);
    shift[i] = bn.bias[i] - bn.mean[i] * scale[i];
  }
  return { scale, shift };
}

export interface FoldedConv {
  /** [out, in/groups, kh, kw], float64 until stored. */
  weight: Float64Array;
  bias: Float64Array;
}

/** Conv weight [out, …] (+ optional bias) followed by an affine map per output channel. */
export function foldConvAffine(
  weight: Float32Array,
  outChannels: number,
  bias: Float32Array | undefined,
  aff?: Affine,
): FoldedConv {
  const per = weight.length / outChannels;
  if (!Number.isInteger(per))
    throw new Error(`conv weight of ${weight.length} values does not split into ${outChannels} output channels`);
  const w = new Float64Array(weight.length);
  const b = new Float64Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const s = aff ? aff.scale[o] : 1;
    for (let k = 0; k < per; k++) w[o * per + k] = weight[o * per + k] * s;
    b[o] = (bias ? bias[o] : 0) * s + (aff ? aff.shift[o] : 0);
  }
  return { weight: w, bias: b };
}

/** Multiplies output channel o of a folded conv by s[o] (weights and bias). */
export function scaleOutputs(c: FoldedConv, s: ArrayLike<number>): FoldedConv {
  const out = s.length;
  const per = c.weight.length / out;
  const weight = new Float64Array(c.weight.length);
  const bias = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    for (let k = 0; k < per; k++) weight[o * per + k] = c.weight[o * per + k] * s[o];
    bias[o] = c.bias[o] * s[o];
  }
  return { weight, bias };
}

/** Stacks convs with the same input along the output-channel axis. */
export function concatConvs(parts: FoldedConv[]): FoldedConv {
  const wl = parts.reduce((a, p) => a + p.weight.length, 0);
  const bl = parts.reduce((a, p) => a + p.bias.length, 0);
  const weight = new Float64Array(wl);
  const bias = new Float64Array(bl);
  let wo = 0;
  let bo = 0;
  for (const p of parts) {
    weight.set(p.weight, wo);
    bias.set(p.bias, bo);
    wo += p.weight.length;
    bo += p.bias.length;
  }
  return { weight, bias };
}
