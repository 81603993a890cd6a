// Stage 1: a parsed `.skeleton` file → per-body raw tracks (NTU "raw_data"), with dropped frames.
import { CodedError } from '../util/errors.js';
import { NUM_JOINTS, type SkeletonFile } from './skeleton-file.js';

export interface RawBody {
  bodyID: string;
  /** n_frames × 75 (x, y, z per joint), in order of appearance. */
  joints: Float32Array;
  /** n_frames × 25 × 2 colour-image pixels. */
  colors: Float32Array;
  /** Row index per appearance. Always contiguous from the first appearance (upstream quirk). */
  interval: number[];
  /** Σ of per-axis population variances over all joint rows; only set when the sample has ≥ 2 bodies. */
  motion?: number;
}

export interface RawSample {
  name: string;
  /** Bodies in order of first appearance. */
  bodies: RawBody[];
  /** Frames with at least one body (`F − #dropped`). */
  numFrames: number;
  /** 0-based indices of frames with B = 0. */
  dropped: number[];
}

export function bodyMotion(joints: Float32Array): number {
  const rows = joints.length / 3;
  let total = 0;
  for (let c = 0; c < 3; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += joints[3 * r + c];
    mean /= rows;
    let v = 0;
    for (let r = 0; r < rows; r++) {
      const d = joints[3 * r + c] - mean;
      v += d * d;
    }
    total += v / rows;
  }
  return total;
}

export function rawBodies(sk: SkeletonFile, name: string): RawSample {
  const dropped: number[] = [];
  const byId = new Map<string, { joints: Float32Array[]; colors: Float32Array[]; interval: number[] }>();
  let v = -1;
  sk.frames.forEach((frame, f) => {
    if (frame.bodies.length === 0) {
      dropped.push(f);
      return;
    }
    v++;
    for (const b of frame.bodies) {
      const rec = byId.get(b.bodyID);
      if (!rec) byId.set(b.bodyID, { joints: [b.joints], colors: [b.colors], interval: [v] });
      else {
        rec.joints.push(b.joints);
        rec.colors.push(b.colors);
        // Upstream appends last + 1, not v, even when the body skipped frames.
        rec.interval.push(rec.interval[rec.interval.length - 1] + 1);
      }
    }
  });
  if (dropped.length >= sk.frameCount) {
    throw new CodedError(
      'E_SKELETON_EMPTY',
      `${sk.file}: all ${sk.frameCount} frames have no body (data ntu skips such files and lists them in statistics/samples_with_missing_skeletons.txt)`,
    );
  }
  const concat = (parts: Float32Array[], per: number) => {
    const out = new Float32Array(parts.length * per);
    parts.forEach((p, i) => out.set(p, i * per));
    return out;
  };
  const bodies: RawBody[] = [...byId.entries()].map(([bodyID, r]) => ({
    bodyID,
    joints: concat(r.joints, NUM_JOINTS * 3),
    colors: concat(r.colors, NUM_JOINTS * 2),
    interval: r.interval,
  }));
  if (bodies.length >= 2) for (const b of bodies) b.motion = bodyMotion(b.joints);
  return { name, bodies, numFrames: sk.frameCount - dropped.length, dropped };
}
