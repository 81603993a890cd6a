// Training-time per-sample pipeline (training.md §2): random temporal crop (p_interval [0.5, 1])
// + resize to the window, random 3-D rotation, modality transforms. The test-time path is
// preprocessForInference in crop-resize.ts (same resize code).
import {
  countValidFrames,
  EmptySequenceError,
  NTU_DIMS,
  resizeTime,
  sliceFrames,
  testCropBounds,
  type SkeletonDims,
} from './crop-resize.js';
import { NTU_BONE_PAIRS } from './ntu-joints.js';

/** Minimal random source (the trainer passes its seeded Rng). */
export interface UniformSource {
  uniform(): number;
  int(n: number): number;
}

/** Copies frames [begin, begin+L) of a [C, T, V, M] sample into a contiguous [C, L, V, M] block. */
export interface CropInfo {
  valid: number;
  begin: number;
  length: number;
}

/**
 * SketeonCropSample: with p_interval [lo, hi] draw p ~ U[lo, hi), L = min(max(⌊valid·p⌋, W), valid),
 * offset uniform in [0, valid − L]; with [p] the deterministic centre crop. Then resize L → W.
 */
export function cropResize(
  x: Float32Array,
  pInterval: readonly number[],
  window: number,
  rng: UniformSource | undefined,
  dims: SkeletonDims = NTU_DIMS,
  info?: CropInfo,
): Float32Array {
  const T = x.length / (dims.C * dims.V * dims.M);
  if (!Number.isInteger(T) || T < 1)
    throw new RangeError(`cropResize: ${x.length} values are not [${dims.C}, T, ${dims.V}, ${dims.M}]`);
  const valid = countValidFrames(x, T, dims);
  if (valid === 0) throw new EmptySequenceError();
  let begin: number;
  let L: number;
  if (pInterval.length === 1) {
    const b = testCropBounds(valid, pInterval[0]);
    begin = b.begin;
    L = b.length;
  } else {
    if (!rng) throw new Error('cropResize: a random crop (two-value p_interval) needs a random source');
    const [lo, hi] = pInterval;
    const p = lo + (hi - lo) * rng.uniform();
    L = Math.min(Math.max(Math.floor(valid * p), window), valid);
    begin = rng.int(valid - L + 1);
  }
  if (info) Object.assign(info, { valid, begin, length: L });
  return resizeTime(sliceFrames(x, T, begin, L, dims), L, window, dims);
}

/** R = Rz(c)·Ry(b)·Rx(a), row-major 3×3 (matrices as in training.md §2.3). */
export function rotationMatrix(a: number, b: number, c: number): number[] {
  const mul = (p: number[], q: number[]) => {
    const r = new Array<number>(9).fill(0);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j] += p[i * 3 + k] * q[k * 3 + j];
    return r;
  };
  const [ca, sa, cb, sb, cc, sc] = [Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b), Math.cos(c), Math.sin(c)];
  const rx = [1, 0, 0, 0, ca, sa, 0, -sa, ca];
  const ry = [cb, 0, -sb, 0, 1, 0, sb, 0, cb];
  const rz = [cc, sc, 0, -sc, cc, 0, 0, 0, 1];
  return mul(rz, mul(ry, rx));
}

/** Applies one 3×3 rotation to every (x, y, z) of a [3, T, V, M] sample, in place. */
export function rotateInPlace(x: Float32Array, R: readonly number[]): Float32Array {
  const n = x.length / 3;
  if (!Number.isInteger(n)) throw new RangeError('rotateInPlace: the channel axis must be 3 (x, y, z)');
  for (let k = 0; k < n; k++) {
    const px = x[k];
    const py = x[n + k];
    const pz = x[2 * n + k];
    x[k] = R[0] * px + R[1] * py + R[2] * pz;
    x[n + k] = R[3] * px + R[4] * py + R[5] * pz;
    x[2 * n + k] = R[6] * px + R[7] * py + R[8] * pz;
  }
  return x;
}

/** Random rotation: a, b, c ~ U(−θ, θ), drawn once per sample. */
export function randomRotate(x: Float32Array, theta: number, rng: UniformSource): Float32Array {
  const a = (2 * rng.uniform() - 1) * theta;
  const b = (2 * rng.uniform() - 1) * theta;
  const c = (2 * rng.uniform() - 1) * theta;
  return rotateInPlace(x, rotationMatrix(a, b, c));
}

export function toBones(x: Float32Array, dims: SkeletonDims = NTU_DIMS): Float32Array {
  const { C, V, M } = dims;
  const T = x.length / (C * V * M);
  const out = new Float32Array(x.length);
  for (const [v1, v2] of NTU_BONE_PAIRS) {
    for (let c = 0; c < C; c++)
      for (let t = 0; t < T; t++)
        for (let m = 0; m < M; m++) {
          const base = (c * T + t) * V;
          out[(base + v1 - 1) * M + m] = x[(base + v1 - 1) * M + m] - x[(base + v2 - 1) * M + m];
        }
  }
  return out;
}

export function toMotion(x: Float32Array, dims: SkeletonDims = NTU_DIMS): Float32Array {
  const { C, V, M } = dims;
  const T = x.length / (C * V * M);
  const VM = V * M;
  const out = new Float32Array(x.length);
  for (let c = 0; c < C; c++)
    for (let t = 0; t < T - 1; t++)
      for (let k = 0; k < VM; k++) out[(c * T + t) * VM + k] = x[(c * T + t + 1) * VM + k] - x[(c * T + t) * VM + k];
  return out;
}

export interface SamplePipelineOptions {
  window: number;
  pInterval: readonly number[];
  /** Rotation range θ (0 or undefined = no rotation). */
  rotation?: number;
  bone?: boolean;
  motion?: boolean;
}

/** One raw sample [C, T, V, M] → model input [C, window, V, M]. */
export function transformSample(
  x: Float32Array,
  opts: SamplePipelineOptions,
  rng?: UniformSource,
  dims: SkeletonDims = NTU_DIMS,
): Float32Array {
  let y = cropResize(x, opts.pInterval, opts.window, rng, dims);
  if (opts.rotation && opts.rotation > 0) {
    if (!rng) throw new Error('transformSample: random rotation needs a random source');
    randomRotate(y, opts.rotation, rng);
  }
  if (opts.bone) y = toBones(y, dims);
  if (opts.motion) y = toMotion(y, dims);
  return y;
}
