// Kinematic patterns of the synthetic actions: each sets joint rotations and root placement for a
// normalised time t ∈ [0, 1]. Single-person actions map to A001–A049, mutual ones to A050–A060.
import { rotX, rotY, rotZ, rotate, type Pose } from './body-model.js';

export interface Variation {
  /** Amplitude factor (≈ 0.8–1.2). */
  amp: number;
  /** Repetitions over the clip for periodic actions. */
  cycles: number;
  /** Phase offset in cycles. */
  phase: number;
  /** Swap left and right. */
  mirror: boolean;
}

const D = Math.PI / 180;
const J = {
  spineMid: 1,
  neck: 2,
  lShoulder: 4,
  lElbow: 5,
  rShoulder: 8,
  rElbow: 9,
  lHip: 12,
  lKnee: 13,
  rHip: 16,
  rKnee: 17,
};

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const smooth = (a: number, b: number, x: number) => {
  const u = clamp01((x - a) / (b - a));
  return u * u * (3 - 2 * u);
};
/** Fade in/out over the first/last 12 % of the clip. */
const env = (t: number) => smooth(0, 0.12, t) * smooth(0, 0.12, 1 - t);
/** 0 → 1 → 0 per cycle. */
const pulse = (t: number, v: Variation) => 0.5 - 0.5 * Math.cos(2 * Math.PI * (v.cycles * t + v.phase));
const osc = (t: number, v: Variation) => Math.sin(2 * Math.PI * (v.cycles * t + v.phase));

type Side = 'L' | 'R';
const other = (s: Side): Side => (s === 'L' ? 'R' : 'L');
const sideOf = (v: Variation, s: Side): Side => (v.mirror ? other(s) : s);
const shoulder = (s: Side) => (s === 'L' ? J.lShoulder : J.rShoulder);
const elbow = (s: Side) => (s === 'L' ? J.lElbow : J.rElbow);
const hip = (s: Side) => (s === 'L' ? J.lHip : J.rHip);
const knee = (s: Side) => (s === 'L' ? J.lKnee : J.rKnee);
/** +1 for the left side (towards +x), −1 for the right. */
const sgn = (s: Side) => (s === 'L' ? 1 : -1);

const armForward = (p: Pose, s: Side, a: number) => rotate(p, shoulder(s), rotX(-a));
const armSide = (p: Pose, s: Side, a: number) => rotate(p, shoulder(s), rotZ(sgn(s) * a));
const armSwing = (p: Pose, s: Side, a: number) => rotate(p, shoulder(s), rotY(sgn(s) * a));
const elbowBend = (p: Pose, s: Side, a: number) => rotate(p, elbow(s), rotX(-a));
const hipFlex = (p: Pose, s: Side, a: number) => rotate(p, hip(s), rotX(-a));
const kneeBend = (p: Pose, s: Side, a: number) => rotate(p, knee(s), rotX(a));
const bow = (p: Pose, a: number) => rotate(p, J.spineMid, rotX(a));

function crouch(p: Pose, a: number, legLen = 0.81): void {
  for (const s of ['L', 'R'] as Side[]) {
    hipFlex(p, s, a);
    kneeBend(p, s, 2 * a);
  }
  p.offset[1] -= legLen * (1 - Math.cos(a));
}

function march(p: Pose, t: number, v: Variation, a: number): void {
  const w = osc(t, v);
  hipFlex(p, 'L', a * Math.max(0, w));
  kneeBend(p, 'L', 1.5 * a * Math.max(0, w));
  hipFlex(p, 'R', a * Math.max(0, -w));
  kneeBend(p, 'R', 1.5 * a * Math.max(0, -w));
  armForward(p, 'L', -0.4 * a * w);
  armForward(p, 'R', 0.4 * a * w);
}

export type SingleAction = (p: Pose, t: number, v: Variation) => void;

export const SINGLE_ACTIONS: { name: string; cycles: number; fn: SingleAction }[] = [
  {
    name: 'wave right hand',
    cycles: 3,
    fn: (p, t, v) => {
      const s = sideOf(v, 'R');
      armSide(p, s, 140 * D * env(t) * v.amp);
      rotate(p, elbow(s), rotZ(sgn(s) * (25 + 35 * osc(t, v)) * D * env(t)));
    },
  },
  {
    name: 'raise both arms',
    cycles: 1.5,
    fn: (p, t, v) => {
      const a = 165 * D * pulse(t, v) * v.amp;
      armForward(p, 'L', a);
      armForward(p, 'R', a);
    },
  },
  {
    name: 'kick left leg',
    cycles: 2,
    fn: (p, t, v) => {
      const s = sideOf(v, 'L');
      const k = Math.max(0, osc(t, v));
      hipFlex(p, s, 75 * D * k * v.amp);
      kneeBend(p, s, 30 * D * (1 - k) * Math.min(1, 4 * k));
      armForward(p, other(s), 25 * D * k);
    },
  },
  {
    name: 'squat',
    cycles: 1.5,
    fn: (p, t, v) => {
      const q = pulse(t, v) * v.amp;
      crouch(p, 75 * D * q);
      bow(p, 30 * D * q);
      armForward(p, 'L', 70 * D * q);
      armForward(p, 'R', 70 * D * q);
    },
  },
  {
    name: 'bow',
    cycles: 1,
    fn: (p, t, v) => bow(p, 70 * D * pulse(t, v) * v.amp),
  },
  {
    name: 'clap',
    cycles: 4,
    fn: (p, t, v) => {
      const e = env(t);
      const open = (8 + 28 * (0.5 + 0.5 * osc(t, v)) * v.amp) * D * e;
      for (const s of ['L', 'R'] as Side[]) {
        armSwing(p, s, open);
        armForward(p, s, 75 * D * e);
        elbowBend(p, s, 30 * D * e);
      }
    },
  },
  {
    name: 'jump',
    cycles: 2.5,
    fn: (p, t, v) => {
      const w = osc(t, v) * env(t);
      crouch(p, 35 * D * Math.max(0, -w));
      p.offset[1] += 0.3 * v.amp * Math.max(0, w);
      armForward(p, 'L', 110 * D * Math.max(0, w));
      armForward(p, 'R', 110 * D * Math.max(0, w));
    },
  },
  {
    name: 'turn around',
    cycles: 4,
    fn: (p, t, v) => {
      p.yaw += (v.mirror ? -1 : 1) * Math.PI * smooth(0.15, 0.85, t) * Math.min(1.1, v.amp);
      march(p, t, v, 20 * D * env(t));
    },
  },
  {
    name: 'punch',
    cycles: 3,
    fn: (p, t, v) => {
      const s = sideOf(v, 'R');
      const e = env(t);
      const k = pulse(t, v) ** 2;
      armForward(p, s, 85 * D * e);
      elbowBend(p, s, 110 * D * (1 - k) * e * v.amp);
      armForward(p, other(s), 40 * D * e);
      elbowBend(p, other(s), 110 * D * e);
    },
  },
  {
    name: 'touch head',
    cycles: 1,
    fn: (p, t, v) => {
      const e = smooth(0.1, 0.35, t) * smooth(0.1, 0.35, 1 - t) * v.amp;
      for (const s of ['L', 'R'] as Side[]) {
        armSide(p, s, 35 * D * e);
        armForward(p, s, 40 * D * e);
        elbowBend(p, s, 145 * D * e);
      }
    },
  },
  {
    name: 'march in place',
    cycles: 3,
    fn: (p, t, v) => march(p, t, v, 55 * D * env(t) * v.amp),
  },
  {
    name: 'side bend',
    cycles: 1.5,
    fn: (p, t, v) => {
      rotate(p, J.spineMid, rotZ(30 * D * osc(t, v) * env(t) * v.amp));
      armSide(p, 'L', 20 * D * env(t));
      armSide(p, 'R', 20 * D * env(t));
    },
  },
  {
    name: 'nod head',
    cycles: 3,
    fn: (p, t, v) => {
      rotate(p, J.neck, rotX(40 * D * pulse(t, v) * v.amp));
      bow(p, 8 * D * env(t));
    },
  },
  {
    name: 'arm circles',
    cycles: 2,
    fn: (p, t, v) => {
      const a = 2 * Math.PI * (v.cycles * t + v.phase);
      const e = env(t);
      armForward(p, 'L', (90 * D + 80 * D * Math.sin(a)) * e);
      armForward(p, 'R', (90 * D + 80 * D * Math.sin(a)) * e);
    },
  },
  {
    name: 'sit down',
    cycles: 1,
    fn: (p, t, v) => {
      const s = smooth(0.2, 0.6, t) * Math.min(1, v.amp);
      hipFlex(p, 'L', 90 * D * s);
      hipFlex(p, 'R', 90 * D * s);
      kneeBend(p, 'L', 90 * D * s);
      kneeBend(p, 'R', 90 * D * s);
      p.offset[1] -= 0.42 * s;
      p.offset[2] -= 0.3 * s;
      bow(p, 15 * D * s);
    },
  },
  {
    name: 'stand up',
    cycles: 1,
    fn: (p, t, v) => {
      const s = (1 - smooth(0.35, 0.75, t)) * Math.min(1, v.amp);
      hipFlex(p, 'L', 90 * D * s);
      hipFlex(p, 'R', 90 * D * s);
      kneeBend(p, 'L', 90 * D * s);
      kneeBend(p, 'R', 90 * D * s);
      p.offset[1] -= 0.42 * s;
      p.offset[2] -= 0.3 * s;
      bow(p, 35 * D * Math.sin(Math.PI * smooth(0.3, 0.8, t)));
    },
  },
  {
    name: 'throw',
    cycles: 2,
    fn: (p, t, v) => {
      const s = sideOf(v, 'R');
      const e = env(t);
      const q = pulse(t, v);
      armForward(p, s, (200 - 150 * q) * D * e * v.amp);
      elbowBend(p, s, 60 * D * (1 - q) * e);
      armForward(p, other(s), 30 * D * q * e);
    },
  },
  {
    name: 'push with both hands',
    cycles: 2.5,
    fn: (p, t, v) => {
      const e = env(t);
      const k = pulse(t, v);
      for (const s of ['L', 'R'] as Side[]) {
        armForward(p, s, 80 * D * e);
        elbowBend(p, s, 120 * D * (1 - k) * e * v.amp);
      }
      bow(p, 12 * D * k * e);
    },
  },
  {
    name: 'step forward and back',
    cycles: 2,
    fn: (p, t, v) => {
      const k = pulse(t, v) * v.amp;
      p.offset[2] += 0.45 * k;
      hipFlex(p, 'R', 35 * D * Math.sin(Math.PI * k));
      kneeBend(p, 'R', 40 * D * Math.sin(Math.PI * k));
    },
  },
  {
    name: 'hop on one leg',
    cycles: 3,
    fn: (p, t, v) => {
      const s = sideOf(v, 'R');
      const e = env(t);
      hipFlex(p, s, 30 * D * e);
      kneeBend(p, s, 90 * D * e);
      p.offset[1] += 0.14 * v.amp * Math.max(0, osc(t, v)) * e;
      armSide(p, 'L', 30 * D * e);
      armSide(p, 'R', 30 * D * e);
    },
  },
];

/** Mutual actions: `a` is the initiator, `b` the partner; `gap` is the distance between them. */
export type MutualAction = (a: Pose, b: Pose, t: number, v: Variation) => { gap: number };

export const MUTUAL_ACTIONS: { name: string; cycles: number; fn: MutualAction }[] = [
  {
    name: 'punch the other person',
    cycles: 3,
    fn: (a, b, t, v) => {
      const e = env(t);
      const k = pulse(t, v) ** 2;
      armForward(a, 'R', 85 * D * e);
      elbowBend(a, 'R', 110 * D * (1 - k) * e);
      armForward(a, 'L', 40 * D * e);
      elbowBend(a, 'L', 110 * D * e);
      bow(b, -18 * D * k * e * v.amp);
      armForward(b, 'L', 50 * D * e);
      armForward(b, 'R', 50 * D * e);
      return { gap: 0.95 - 0.1 * k };
    },
  },
  {
    name: 'handshake',
    cycles: 4,
    fn: (a, b, t, v) => {
      const e = smooth(0.1, 0.3, t) * smooth(0.1, 0.3, 1 - t);
      const shake = 10 * D * osc(t, v) * e * v.amp;
      for (const p of [a, b]) {
        armForward(p, 'R', 55 * D * e + shake);
        elbowBend(p, 'R', 35 * D * e);
      }
      return { gap: 1.3 - 0.45 * e };
    },
  },
  {
    name: 'hug',
    cycles: 1,
    fn: (a, b, t) => {
      const e = smooth(0.15, 0.45, t) * smooth(0.1, 0.35, 1 - t);
      for (const p of [a, b]) {
        for (const s of ['L', 'R'] as Side[]) {
          armSwing(p, s, -25 * D * e);
          armForward(p, s, 85 * D * e);
          elbowBend(p, s, 50 * D * e);
        }
      }
      return { gap: 1.5 - 1.1 * e };
    },
  },
  {
    name: 'push the other person',
    cycles: 1,
    fn: (a, b, t, v) => {
      const k = smooth(0.3, 0.5, t) * smooth(0.1, 0.3, 1 - t);
      for (const s of ['L', 'R'] as Side[]) {
        armForward(a, s, 85 * D * smooth(0.1, 0.3, t) * smooth(0.1, 0.3, 1 - t));
        elbowBend(a, s, 70 * D * (1 - k));
      }
      bow(b, -15 * D * k);
      return { gap: 0.8 + 0.5 * k * v.amp };
    },
  },
  {
    name: 'kick the other person',
    cycles: 2,
    fn: (a, b, t, v) => {
      const k = Math.max(0, osc(t, v)) * env(t);
      hipFlex(a, 'R', 70 * D * k * v.amp);
      bow(b, 20 * D * k);
      return { gap: 1.1 };
    },
  },
  {
    name: 'give an object',
    cycles: 1,
    fn: (a, b, t) => {
      const ka = smooth(0.15, 0.4, t) * smooth(0.25, 0.45, 1 - t);
      const kb = smooth(0.3, 0.5, t) * smooth(0.1, 0.3, 1 - t);
      armForward(a, 'R', 65 * D * ka);
      armForward(b, 'R', 65 * D * kb);
      return { gap: 1.2 };
    },
  },
  {
    name: 'walk towards each other',
    cycles: 4,
    fn: (a, b, t, v) => {
      march(a, t, v, 30 * D * env(t));
      march(b, t, { ...v, phase: v.phase + 0.5 }, 30 * D * env(t));
      return { gap: 2.4 - 1.5 * smooth(0.05, 0.9, t) };
    },
  },
  {
    name: 'walk apart',
    cycles: 4,
    fn: (a, b, t, v) => {
      march(a, t, v, 30 * D * env(t));
      march(b, t, { ...v, phase: v.phase + 0.5 }, 30 * D * env(t));
      return { gap: 0.9 + 1.5 * smooth(0.1, 0.95, t) };
    },
  },
  {
    name: 'pat on the back',
    cycles: 4,
    fn: (a, b, t, v) => {
      const e = env(t);
      armForward(a, 'R', 100 * D * e);
      elbowBend(a, 'R', (30 + 25 * osc(t, v)) * D * e);
      return { gap: 0.7 };
    },
  },
  {
    name: 'point finger',
    cycles: 1,
    fn: (a, b, t) => {
      const e = smooth(0.15, 0.35, t) * smooth(0.15, 0.35, 1 - t);
      armForward(a, 'R', 90 * D * e);
      bow(b, -8 * D * e);
      return { gap: 1.6 };
    },
  },
  {
    name: 'touch pocket',
    cycles: 1,
    fn: (a, b, t) => {
      const e = smooth(0.2, 0.45, t) * smooth(0.2, 0.4, 1 - t);
      armForward(a, 'R', 35 * D * e);
      armSwing(a, 'R', -15 * D * e);
      rotate(b, J.spineMid, rotY(25 * D * e));
      return { gap: 0.75 };
    },
  },
];
