// Test-time temporal crop + resize of one skeleton sequence (spec inference.md §2), written to
// reproduce PaddleVideo's float32 arithmetic step by step (SketeonCropSample + bilinear
// interpolate, align_corners=False). The trainer reuses countValidFrames/resizeTime for its crops.

export interface SkeletonDims {
  C: number;
  V: number;
  M: number;
}

export const NTU_DIMS: SkeletonDims = { C: 3, V: 25, M: 2 };

/**
 * numpy's float32 sum of a contiguous run (pairwise_sum for n ≤ 128: eight running partial sums,
 * combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the tail added in order).
 */
function numpySumF32(a: Float32Array | number[], n: number): number {
  const f = Math.fround;
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s = f(s + a[i]);
    return s;
  }
  const r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]].map(f);
  let i = 8;
  for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = f(r[j] + a[i + j]);
  let s = f(f(f(r[0] + r[1]) + f(r[2] + r[3])) + f(f(r[4] + r[5]) + f(r[6] + r[7])));
  for (; i < n; i++) s = f(s + a[i]);
  return s;
}

/**
 * Number of frames whose float32 sum is non-zero, summed as upstream does
 * (`data.sum(0).sum(-1).sum(-1) != 0`: over C, then M, then V). It is a count: callers assume the
 * valid frames are the prefix 0..valid−1.
 */
export function countValidFrames(x: Float32Array, T: number, dims: SkeletonDims = NTU_DIMS): number {
  const { C, V, M } = dims;
  if (x.length < C * T * V * M)
    throw new RangeError(
      `countValidFrames: array has ${x.length} values, [${C},${T},${V},${M}] needs ${C * T * V * M}`,
    );
  const f = Math.fround;
  const perV = new Float32Array(V);
  let valid = 0;
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < V; v++) {
      let sm = 0;
      for (let m = 0; m < M; m++) {
        let sc = 0;
        for (let c = 0; c < C; c++) sc = f(sc + x[((c * T + t) * V + v) * M + m]);
        sm = f(sm + sc);
      }
      perV[v] = sm;
    }
    if (numpySumF32(perV, V) !== 0) valid++;
  }
  return valid;
}

export interface CropBounds {
  /** First kept frame. */
  begin: number;
  /** One past the last kept frame. */
  end: number;
  length: number;
}

/** Centre crop of the valid prefix: bias = trunc(((1 − p)·valid)/2) in float64, as upstream. */
export function testCropBounds(valid: number, p = 0.95): CropBounds {
  if (!Number.isInteger(valid) || valid < 0) throw new RangeError(`testCropBounds: bad valid frame count ${valid}`);
  const bias = Math.trunc(((1 - p) * valid) / 2);
  return { begin: bias, end: valid - bias, length: valid - 2 * bias };
}

/**
 * Half-pixel linear resize of the time axis: src is a [C, L, V, M] view (C·L·V·M values), the
 * result is [C, W, V, M]. Arithmetic as Paddle's CPU bilinear kernel: float32 ratio, float64
 * source coordinate rounded to float32, float32 weights and products.
 */
export function resizeTime(src: Float32Array, L: number, W: number, dims: SkeletonDims = NTU_DIMS): Float32Array {
  const { C, V, M } = dims;
  if (L < 1 || W < 1) throw new RangeError(`resizeTime: lengths must be ≥ 1 (L=${L}, W=${W})`);
  if (src.length < C * L * V * M)
    throw new RangeError(`resizeTime: source has ${src.length} values, [${C},${L},${V},${M}] needs ${C * L * V * M}`);
  const f = Math.fround;
  const r = W > 1 ? f(L / W) : 0;
  const VM = V * M;
  const out = new Float32Array(C * W * VM);
  for (let t = 0; t < W; t++) {
    const s = r * (t + 0.5) - 0.5;
    const i0 = Math.max(Math.trunc(s), 0);
    const i1 = i0 < L - 1 ? i0 + 1 : i0;
    const w1 = f(f(Math.max(s, 0)) - i0);
    const w0 = f(1 - w1);
    for (let c = 0; c < C; c++) {
      const a = (c * L + i0) * VM;
      const b = (c * L + i1) * VM;
      const o = (c * W + t) * VM;
      for (let k = 0; k < VM; k++) out[o + k] = f(f(src[a + k] * w0) + f(src[b + k] * w1));
    }
  }
  return out;
}

export interface InferencePreprocessOptions {
  window: number;
  p: number;
}

export interface PreprocessInfo {
  valid: number;
  crop: CropBounds;
}

export class EmptySequenceError extends Error {
  constructor() {
    super('the sequence has no non-zero frame');
    this.name = 'EmptySequenceError';
  }
}

/**
 * One sample [C, T, V, M] (T from its length) → [C, window, V, M]: count valid frames, centre-crop with p, resize.
 * `info` (optional) receives the crop that was used.
 */
export function preprocessForInference(
  sample: Float32Array,
  opts: InferencePreprocessOptions = { window: 64, p: 0.95 },
  dims: SkeletonDims = NTU_DIMS,
  info?: PreprocessInfo,
): Float32Array {
  const T = sample.length / (dims.C * dims.V * dims.M);
  if (!Number.isInteger(T) || T < 1)
    throw new RangeError(
      `preprocessForInference: ${sample.length} values are not [${dims.C}, T, ${dims.V}, ${dims.M}]`,
    );
  const valid = countValidFrames(sample, T, dims);
  if (valid === 0) throw new EmptySequenceError();
  const crop = testCropBounds(valid, opts.p);
  if (info) {
    info.valid = valid;
    info.crop = crop;
  }
  return resizeTime(sliceFrames(sample, T, crop.begin, crop.length, dims), crop.length, opts.window, dims);
}

/** Frames begin … begin+L−1 of a [C, T, V, M] sample as a contiguous [C, L, V, M] block (frames are contiguous per channel). */
export function sliceFrames(
  x: Float32Array,
  T: number,
  begin: number,
  L: number,
  dims: SkeletonDims = NTU_DIMS,
): Float32Array {
  const { C, V, M } = dims;
  const VM = V * M;
  const out = new Float32Array(C * L * VM);
  for (let c = 0; c < C; c++) out.set(x.subarray((c * T + begin) * VM, (c * T + begin + L) * VM), c * L * VM);
  return out;
}
