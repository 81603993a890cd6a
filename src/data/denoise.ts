// Stage 2: denoising and actor selection (NTU "denoised_data"), as in the CTR-GCN preprocessing:
// length filter, spread filter, motion ordering, two-actor assembly, missing-frame removal.
import { CodedError } from '../util/errors.js';
import { logActionNumber } from './ntu-names.js';
import { bodyMotion, type RawBody, type RawSample } from './raw-bodies.js';
import { NUM_JOINTS } from './skeleton-file.js';

export const NOISE_LENGTH_THRESHOLD = 11;
export const NOISE_SPREAD_RATIO = 0.8;
export const NOISE_SPREAD_THRESHOLD = 0.69754;
/** Defined upstream but disabled: no body is filtered by motion. */
export const NOISE_MOTION_LOW = 0.089925;
export const NOISE_MOTION_HIGH = 2;

export interface DenoiseRecord {
  /** Bodies removed by the length rule. */
  lengthRemoved: { bodyID: string; motion: number; length: number }[];
  /** Bodies removed by the spread rule. */
  spreadRemoved: { bodyID: string; motion: number; rate: number }[];
  /** One-person action (A001–A049) that kept two actors. */
  failed1: boolean;
  /** Two-person action (A050–A060) that kept one actor. */
  failed2: boolean;
  /** Rows removed as all-zero (case B only). */
  missing?: { numFrames: number; numMissing: number };
  /** Two-actor rows where actor 1 / actor 2 summed to zero (before removal). */
  actorMissing?: { numFrames: number; cnt1: number; cnt2: number; start: number; end: number };
  /** Human-readable notes (the `actors_info/<name>.txt` text) for case B samples. */
  actorsInfo?: string;
}

export interface DenoisedSample {
  name: string;
  /** 75 (one actor) or 150 (two actors). */
  cols: 75 | 150;
  numFrames: number;
  /** numFrames × cols, row-major. */
  joints: Float32Array;
  case: 'A' | 'B';
  record: DenoiseRecord;
}

const ROW = NUM_JOINTS * 3;

/** Indices of a body's frames whose x-extent ≤ 0.8 · y-extent. */
export function validFramesBySpread(joints: Float32Array): number[] {
  const n = joints.length / ROW;
  const valid: number[] = [];
  for (let f = 0; f < n; f++) {
    let xmin = Infinity;
    let xmax = -Infinity;
    let ymin = Infinity;
    let ymax = -Infinity;
    for (let j = 0; j < NUM_JOINTS; j++) {
      const x = joints[f * ROW + 3 * j];
      const y = joints[f * ROW + 3 * j + 1];
      if (x < xmin) xmin = x;
      if (x > xmax) xmax = x;
      if (y < ymin) ymin = y;
      if (y > ymax) ymax = y;
    }
    // The extents are float32 differences (NumPy on float32 arrays), the comparison float64.
    if (Math.fround(xmax - xmin) <= NOISE_SPREAD_RATIO * Math.fround(ymax - ymin)) valid.push(f);
  }
  return valid;
}

function framesOf(joints: Float32Array, frames: number[]): Float32Array {
  const out = new Float32Array(frames.length * ROW);
  frames.forEach((f, i) => out.set(joints.subarray(f * ROW, (f + 1) * ROW), i * ROW));
  return out;
}

const ends = (b: RawBody): [number, number] => [b.interval[0], b.interval[b.interval.length - 1]];
const fmtMotion = (m: number | undefined) => (m ?? 0).toFixed(6);

function bodiesTable(bodies: RawBody[]): string {
  const rows = bodies.map((b) => `${b.bodyID}\t${center(`[${ends(b).join(', ')}]`, 8)}\t${fmtMotion(b.motion)}`);
  return [`${center('bodyID', 17)}\tInterval\t${center('Motion', 8)}`, ...rows].join('\n') + '\n\n';
}

/** Python's `'{:^w}'.format(s)`: extra padding goes to the right. */
export function center(s: string, w: number): string {
  if (s.length >= w) return s;
  const left = Math.floor((w - s.length) / 2);
  return ' '.repeat(left) + s + ' '.repeat(w - s.length - left);
}

function oneActor(body: RawBody, numFrames: number): Float32Array {
  const out = new Float32Array(numFrames * ROW);
  out.set(body.joints, body.interval[0] * ROW);
  return out;
}

export function denoise(raw: RawSample): DenoisedSample {
  const record: DenoiseRecord = { lengthRemoved: [], spreadRemoved: [], failed1: false, failed2: false };
  const { name, numFrames } = raw;
  // Case A: exactly one body ID, no denoising.
  if (raw.bodies.length === 1) {
    return { name, cols: 75, numFrames, joints: oneActor(raw.bodies[0], numFrames), case: 'A', record };
  }
  if (raw.bodies.length === 0) throw new CodedError('E_SKELETON_EMPTY', `${name}: no bodies`);

  let info = bodiesTable(raw.bodies);
  // Step 1: length.
  let bodies = raw.bodies.filter((b) => {
    if (b.interval.length > NOISE_LENGTH_THRESHOLD) return true;
    record.lengthRemoved.push({ bodyID: b.bodyID, motion: b.motion ?? 0, length: b.interval.length });
    info += `Filter out: ${b.bodyID}, ${b.interval.length} (length).\n`;
    return false;
  });
  if (record.lengthRemoved.length) info += '\n';
  if (bodies.length === 0) {
    throw new CodedError(
      'E_DENOISE_EMPTY',
      `${name}: every body is shorter than ${NOISE_LENGTH_THRESHOLD + 1} frames; nothing left after the length filter`,
    );
  }
  // Step 2: spread (only while ≥ 2 bodies remain).
  if (bodies.length > 1) {
    const motions = new Map(bodies.map((b) => [b, b.motion ?? 0]));
    const kept = new Set(bodies);
    for (const b of bodies) {
      if (kept.size === 1) break;
      const valid = validFramesBySpread(b.joints);
      const len = b.interval.length;
      const noisy = len - valid.length;
      if (noisy === 0) continue;
      const rate = noisy / len;
      const motion = motions.get(b)!;
      if (rate >= NOISE_SPREAD_THRESHOLD) {
        kept.delete(b);
        record.spreadRemoved.push({ bodyID: b.bodyID, motion, rate });
        info += `Filter out: ${b.bodyID} (spread rate >= ${NOISE_SPREAD_THRESHOLD.toFixed(2)}).\n`;
      } else {
        const m = Math.min(motion, bodyMotion(framesOf(b.joints, valid)));
        motions.set(b, m);
        info += `${b.bodyID}: motion ${motion.toFixed(6)} -> ${m.toFixed(6)}\n`;
      }
    }
    bodies = bodies.filter((b) => kept.has(b));
    if (bodies.length > 1) {
      // Stable sort, descending motion; ties keep first-appearance order.
      bodies = bodies
        .map((b) => ({ b, m: motions.get(b)! }))
        .sort((p, q) => q.m - p.m)
        .map((p) => p.b);
    }
    for (const b of bodies) b.motion = motions.get(b);
  }

  const action = logActionNumber(name);
  let joints: Float32Array;
  let cols: 75 | 150;
  if (bodies.length === 1) {
    if (action >= 50) record.failed2 = true;
    joints = oneActor(bodies[0], numFrames);
    cols = 75;
    info += `Main actor: ${bodies[0].bodyID}`;
  } else {
    if (action < 50) record.failed1 = true;
    cols = 150;
    joints = new Float32Array(numFrames * 150);
    const put = (b: RawBody, col: number) => {
      const [s] = ends(b);
      const n = b.interval.length;
      for (let r = 0; r < n; r++) joints.set(b.joints.subarray(r * ROW, (r + 1) * ROW), (s + r) * 150 + col);
    };
    const [first, ...rest] = bodies;
    let [s1, e1] = ends(first);
    put(first, 0);
    let a1 = `${center('Actor1', 17)}\tInterval\t${center('Motion', 8)}\n${first.bodyID}\t${center(`[${s1}, ${e1}]`, 8)}\t${fmtMotion(first.motion)}\n`;
    let a2 = `${center('Actor2', 17)}\tInterval\t${center('Motion', 8)}\n`;
    let s2 = 0;
    let e2 = 0; // virtual initial interval of actor 2
    for (const b of rest) {
      const [s, e] = ends(b);
      const line = `${b.bodyID}\t${center(`[${s}, ${e}]`, 8)}\t${fmtMotion(b.motion)}\n`;
      if (Math.min(e1, e) - Math.max(s1, s) <= 0) {
        put(b, 0);
        a1 += line;
        s1 = Math.min(s, s1);
        e1 = Math.max(e, e1);
      } else if (Math.min(e2, e) - Math.max(s2, s) <= 0) {
        put(b, 75);
        a2 += line;
        s2 = Math.min(s, s2);
        e2 = Math.max(e, e2);
      }
    }
    info += `\n${a1}\n${a2}`;
  }
  record.actorsInfo = info + '\n';
  const kept = removeMissingFrames(joints, cols, numFrames, record);
  return { name, cols, numFrames: kept.numFrames, joints: kept.joints, case: 'B', record };
}

function rowSum(a: Float32Array, start: number, len: number): number {
  let s = 0;
  for (let i = start; i < start + len; i++) s += a[i];
  return s;
}

/** Case B: drops rows whose values sum to exactly 0; records the per-actor counts for 150 columns. */
function removeMissingFrames(
  joints: Float32Array,
  cols: number,
  numFrames: number,
  record: DenoiseRecord,
): { joints: Float32Array; numFrames: number } {
  if (cols === 150) {
    let cnt1 = 0;
    let cnt2 = 0;
    let start = 0;
    let end = 0;
    for (let r = 0; r < numFrames; r++) {
      const m1 = rowSum(joints, r * 150, 75) === 0;
      if (m1) {
        cnt1++;
        if (r === 0) start = 1;
        if (r === numFrames - 1) end = 1;
      }
      if (rowSum(joints, r * 150 + 75, 75) === 0) cnt2++;
    }
    if (Math.max(cnt1, cnt2) > 0) record.actorMissing = { numFrames, cnt1, cnt2, start, end };
  }
  const keep: number[] = [];
  for (let r = 0; r < numFrames; r++) if (rowSum(joints, r * cols, cols) !== 0) keep.push(r);
  if (keep.length === numFrames) return { joints, numFrames };
  record.missing = { numFrames, numMissing: numFrames - keep.length };
  const out = new Float32Array(keep.length * cols);
  keep.forEach((r, i) => out.set(joints.subarray(r * cols, (r + 1) * cols), i * cols));
  return { joints: out, numFrames: keep.length };
}
