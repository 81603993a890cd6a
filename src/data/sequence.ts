// Stage 3: centring, padding and the (C, T, V, M) layout of one denoised sequence.
import { CodedError } from '../util/errors.js';
import { NUM_JOINTS } from './skeleton-file.js';

export const MAX_FRAMES = 300;
export const NUM_PERSONS = 2;
export const NUM_COORDS = 3;
/** Values per output sample: 3 · 300 · 25 · 2. */
export const SAMPLE_SHAPE = [NUM_COORDS, MAX_FRAMES, NUM_JOINTS, NUM_PERSONS] as const;

const isZeroSum = (a: Float32Array, start: number, len: number) => {
  let s = 0;
  for (let i = start; i < start + len; i++) s += a[i];
  return s === 0;
};

/**
 * Translates a (T × 75|150) sequence in place so that joint 2 ("middle of spine") of actor 1 in its
 * first non-zero row is the origin. Rows where an actor summed to 0 beforehand stay all-zero for that
 * actor (150-column sequences only; one-actor sequences shift every row, as upstream does).
 */
export function translateSequence(seq: Float32Array, cols: 75 | 150, name = '<sequence>'): Float32Array {
  const T = seq.length / cols;
  let first = -1;
  for (let t = 0; t < T && first < 0; t++) {
    for (let i = 0; i < 75; i++) {
      if (seq[t * cols + i] !== 0) {
        first = t;
        break;
      }
    }
  }
  if (first < 0)
    throw new CodedError('E_SEQUENCE_EMPTY', `${name}: actor 1 is zero in every frame; no centring origin`);
  const o = [seq[first * cols + 3], seq[first * cols + 4], seq[first * cols + 5]];
  const missing1: boolean[] = [];
  const missing2: boolean[] = [];
  if (cols === 150) {
    for (let t = 0; t < T; t++) {
      missing1.push(isZeroSum(seq, t * 150, 75));
      missing2.push(isZeroSum(seq, t * 150 + 75, 75));
    }
  }
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < cols; k += 3) {
      const b = t * cols + k;
      seq[b] = Math.fround(seq[b] - o[0]);
      seq[b + 1] = Math.fround(seq[b + 1] - o[1]);
      seq[b + 2] = Math.fround(seq[b + 2] - o[2]);
    }
    if (cols === 150) {
      if (missing1[t]) seq.fill(0, t * 150, t * 150 + 75);
      if (missing2[t]) seq.fill(0, t * 150 + 75, t * 150 + 150);
    }
  }
  return seq;
}

/**
 * Pads a translated (T × 75|150) sequence to `maxFrames` rows and lays it out as
 * out[c, t, v, m] = seq[t, 75m + 3v + c] (float32, C order). Padding stays exactly 0.
 */
export function toSampleLayout(
  seq: Float32Array,
  cols: 75 | 150,
  maxFrames = MAX_FRAMES,
  out?: Float32Array,
  name = '<sequence>',
): Float32Array {
  const T = seq.length / cols;
  if (T > maxFrames)
    throw new CodedError(
      'E_SEQUENCE_TOO_LONG',
      `${name}: ${T} frames after denoising, more than the ${maxFrames}-frame window`,
    );
  const V = NUM_JOINTS;
  const M = NUM_PERSONS;
  const size = NUM_COORDS * maxFrames * V * M;
  const dst = out ?? new Float32Array(size);
  if (dst.length !== size) throw new RangeError(`output buffer has ${dst.length} values, need ${size}`);
  dst.fill(0);
  const persons = cols / 75;
  for (let t = 0; t < T; t++) {
    for (let m = 0; m < persons; m++) {
      for (let v = 0; v < V; v++) {
        const src = t * cols + 75 * m + 3 * v;
        for (let c = 0; c < NUM_COORDS; c++) dst[((c * maxFrames + t) * V + v) * M + m] = seq[src + c];
      }
    }
  }
  return dst;
}
