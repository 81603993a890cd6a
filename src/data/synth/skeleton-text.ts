// Formats Kinect v2 bodies as `.skeleton` text (camera-space joints → the 12 joint fields).
import type { Vec3 } from './body-model.js';

export interface SynthBody {
  bodyID: string;
  /** 25 camera-space joints (m). */
  joints: Vec3[];
  leanX: number;
  leanY: number;
}

/** Joints without an orientation in Kinect v2 output (tips, thumbs, feet, head). */
const NO_ORIENTATION = new Set([3, 15, 19, 21, 22, 23, 24]);

const SCALE = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7];

/** `v.toFixed(d)` for |v| < 1e8 via integer formatting (several times faster in V8). */
export function fixed(v: number, d: number): string {
  const n = Math.round(Math.abs(v) * SCALE[d]);
  if (!Number.isSafeInteger(n) || n >= 1e15) return v.toFixed(d);
  const s = String(n).padStart(d + 1, '0');
  return (v < 0 && n !== 0 ? '-' : '') + s.slice(0, s.length - d) + '.' + s.slice(s.length - d);
}

/** Per-joint orientation fields (constant: the classifier never reads them). */
const ORIENT = Array.from({ length: 25 }, (_, j) => {
  if (NO_ORIENTATION.has(j)) return '0 0 0 0';
  const a = 0.3 + 0.05 * j;
  const s = Math.sin(a);
  return `${Math.cos(a).toFixed(7)} ${(s * 0.6).toFixed(7)} ${(s * 0.8).toFixed(7)} 0`;
});

function jointLine(p: Vec3, j: number, frame: number): string {
  const [x, y, z] = p;
  const iz = 1 / Math.max(z, 0.3);
  // Kinect v2 intrinsics (approx.): depth 512×424, colour 1920×1080; +x is the sensor's left.
  const dx = 256 - 365.5 * x * iz;
  const dy = 212 - 365.5 * y * iz;
  const cx = 960 - 1060 * x * iz;
  const cy = 540 - 1060 * y * iz;
  const tracking = j >= 21 && (frame + j) % 17 === 0 ? 1 : 2;
  return `${fixed(x, 7)} ${fixed(y, 7)} ${fixed(z, 7)} ${fixed(dx, 3)} ${fixed(dy, 3)} ${fixed(cx, 2)} ${fixed(cy, 2)} ${ORIENT[j]} ${tracking}`;
}

/** One frame: the body count, then per body its info line, 25, and the joint lines. */
export function frameText(bodies: SynthBody[], frame: number, out: string[]): void {
  out.push(String(bodies.length));
  for (const b of bodies) {
    out.push(`${b.bodyID} 0 1 1 1 1 0 ${fixed(b.leanX, 7)} ${fixed(b.leanY, 7)} 2`);
    out.push('25');
    b.joints.forEach((p, j) => out.push(jointLine(p, j, frame)));
  }
}
