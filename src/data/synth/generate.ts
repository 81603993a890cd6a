// Synthetic NTU RGB+D: writes real `.skeleton` files for K distinguishable actions, performed by
// several performers (own proportions) and seen by several cameras (own yaw/placement), with
// sensor noise, varying lengths, dropped frames, short-lived and spread-noisy extra bodies, body-ID
// switches and mutual actions — so that denoising and the X-sub/X-view splits all have work to do.
import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { formatNtuName } from '../ntu-names.js';
import { XSUB_TRAIN, XSUB_VAL } from '../splits.js';
import { MUTUAL_ACTIONS, SINGLE_ACTIONS, type Variation } from './actions.js';
import {
  apply,
  boneVectors,
  mul,
  newPose,
  rotX,
  rotY,
  rotZ,
  solve,
  type Mat3,
  type Proportions,
  type Vec3,
} from './body-model.js';
import { gaussian, hashSeed, mulberry32, randInt, uniform, type Rng } from './prng.js';
import { frameText, type SynthBody } from './skeleton-text.js';

export interface SynthOptions {
  out: string;
  classes: number;
  seed: number;
  performers?: number;
  cameras?: number;
  replications?: number;
  setups?: number;
  minFrames?: number;
  maxFrames?: number;
}

export interface SynthResult {
  out: string;
  files: number;
  /** Action numbers (A…) used, one per class. */
  actions: number[];
  actionNames: string[];
  performers: number[];
  cameras: number[];
  setups: number[];
  replications: number[];
  bytes: number;
  events: {
    droppedFrames: number;
    shortBodies: number;
    spreadBodies: number;
    bystanders: number;
    idSwitches: number;
    trackingGaps: number;
    lateStarts: number;
  };
}

const D = Math.PI / 180;

/** Action numbers for K classes: singles from A001, mutual from A050 (a couple even for small K). */
export function synthActions(k: number): number[] {
  if (!Number.isInteger(k) || k < 1 || k > 60)
    throw new CodedError('E_SYNTH_ARGS', `--classes must be 1..60, got ${k}`);
  const mutual = k > 49 ? k - 49 : k >= 6 ? 2 : k >= 2 ? 1 : 0;
  const single = k - mutual;
  return [...Array.from({ length: single }, (_, i) => i + 1), ...Array.from({ length: mutual }, (_, i) => 50 + i)];
}

export function actionName(action: number): string {
  if (action >= 50) {
    const i = (action - 50) % MUTUAL_ACTIONS.length;
    return MUTUAL_ACTIONS[i].name;
  }
  const i = (action - 1) % SINGLE_ACTIONS.length;
  const variant = Math.floor((action - 1) / SINGLE_ACTIONS.length);
  return SINGLE_ACTIONS[i].name + (variant === 1 ? ' (mirrored)' : variant >= 2 ? ' (fast, small)' : '');
}

/** Performer IDs: alternating X-sub train/val IDs (1, 3, 2, 4, 6, 5, …) so both splits get samples. */
export function synthPerformers(n: number): number[] {
  if (!Number.isInteger(n) || n < 1 || n > 40)
    throw new CodedError('E_SYNTH_ARGS', `--performers must be 1..40, got ${n}`);
  const out: number[] = [];
  let ti = 0;
  let vi = 0;
  // pattern train, val, train: two thirds train like NTU's 40k/16k
  for (let i = 0; out.length < n; i++) out.push(i % 3 === 1 ? XSUB_VAL[vi++] : XSUB_TRAIN[ti++]);
  return out.sort((a, b) => a - b);
}

function proportions(seed: number, performer: number): Proportions {
  const r = mulberry32(hashSeed(seed, `performer ${performer}`));
  return {
    height: uniform(r, 0.86, 1.12),
    arms: uniform(r, 0.9, 1.1),
    legs: uniform(r, 0.9, 1.1),
    width: uniform(r, 0.88, 1.15),
  };
}

interface View {
  yaw: number;
  dist: number;
  tx: number;
  ty: number;
  tilt: number;
}

function cameraView(seed: number, setup: number, camera: number): View {
  const r = mulberry32(hashSeed(seed, `setup ${setup} camera ${camera}`));
  const base = [-45, 0, 45][(camera - 1) % 3] * D;
  return {
    yaw: base + uniform(r, -8, 8) * D,
    dist: uniform(r, 2.5, 3.5),
    tx: uniform(r, -0.3, 0.3),
    ty: uniform(r, -0.25, 0.15),
    tilt: uniform(r, -4, 4) * D,
  };
}

function bodyId(r: Rng): string {
  return `72057594037${String(randInt(r, 0, 999999)).padStart(6, '0')}`;
}

/** Scene (x left of the actors' shared front, y up, z towards the cameras' centre) → camera space. */
function toCamera(p: Vec3, view: View, R: Mat3): Vec3 {
  const q = apply(R, p);
  return [q[0] + view.tx, q[1] + view.ty, q[2] + view.dist];
}

function noisy(ps: Vec3[], r: Rng, sigma: number): Vec3[] {
  return ps.map((p) => [p[0] + sigma * gaussian(r), p[1] + sigma * gaussian(r), p[2] + sigma * gaussian(r)] as Vec3);
}

const place = (ps: Vec3[], d: Vec3): Vec3[] => ps.map((p) => [p[0] + d[0], p[1] + d[1], p[2] + d[2]]);

interface Track {
  id: string;
  /** Frame → joints (scene frame), absent when not tracked. */
  frames: (Vec3[] | undefined)[];
}

function variation(r: Rng, base: number, action: number): Variation {
  const fast = action < 50 && Math.floor((action - 1) / SINGLE_ACTIONS.length) >= 2;
  return {
    amp: uniform(r, 0.8, 1.15) * (fast ? 0.7 : 1),
    cycles: base * uniform(r, 0.8, 1.25) * (fast ? 1.8 : 1),
    phase: uniform(r, -0.05, 0.05),
    mirror: action < 50 && Math.floor((action - 1) / SINGLE_ACTIONS.length) === 1,
  };
}

/** Generates one sample's `.skeleton` text. */
export function synthSample(
  seed: number,
  f: { setup: number; camera: number; performer: number; replication: number; action: number },
  frames: { min: number; max: number },
  events: SynthResult['events'],
): string {
  const name = formatNtuName(f);
  const r = mulberry32(hashSeed(seed, name));
  const T = randInt(r, frames.min, frames.max);
  const view = cameraView(seed, f.setup, f.camera);
  // Camera rotation: the actors face the centre camera; each camera sees them under its yaw.
  const R = mul(rotX(view.tilt), rotY(Math.PI + view.yaw));
  const facing = (f.replication === 1 ? 12 : -12) * D + uniform(r, -8, 8) * D;
  const bonesA = boneVectors(proportions(seed, f.performer));
  const tracks: Track[] = [];
  const sigma = 0.006;

  if (f.action < 50) {
    const spec = SINGLE_ACTIONS[(f.action - 1) % SINGLE_ACTIONS.length];
    const v = variation(r, spec.cycles, f.action);
    const main: Track = { id: bodyId(r), frames: [] };
    const drift: Vec3 = [uniform(r, -0.2, 0.2), 0, uniform(r, -0.2, 0.2)];
    for (let t = 0; t < T; t++) {
      const pose = newPose();
      pose.yaw = facing;
      spec.fn(pose, t / Math.max(1, T - 1), v);
      main.frames.push(noisy(place(solve(bonesA, pose), drift), r, sigma));
    }
    tracks.push(main);
    // Occasionally the tracker switches body ID half-way (two long, non-overlapping bodies).
    if (T >= 30 && r() < 0.05) {
      const k = randInt(r, 12, T - 12);
      const second: Track = { id: bodyId(r), frames: main.frames.map((p, i) => (i >= k ? p : undefined)) };
      main.frames = main.frames.map((p, i) => (i < k ? p : undefined));
      tracks.push(second);
      events.idSwitches++;
    }
    // Rarely a bystander stands in view for the whole clip.
    if (r() < 0.03) {
      const bones = boneVectors(proportions(seed, 100 + randInt(r, 0, 50)));
      const at: Vec3 = [(r() < 0.5 ? -1 : 1) * uniform(r, 1.0, 1.4), 0, uniform(r, -0.8, -0.3)];
      const by: Track = { id: bodyId(r), frames: [] };
      for (let t = 0; t < T; t++) {
        const pose = newPose();
        pose.yaw = facing + 0.05 * Math.sin(t / 15);
        by.frames.push(noisy(place(solve(bones, pose), at), r, sigma));
      }
      tracks.push(by);
      events.bystanders++;
    }
  } else {
    const spec = MUTUAL_ACTIONS[(f.action - 50) % MUTUAL_ACTIONS.length];
    const v = variation(r, spec.cycles, f.action);
    const bonesB = boneVectors(proportions(seed, 200 + ((f.performer * 7) % 40)));
    const a: Track = { id: bodyId(r), frames: [] };
    const b: Track = { id: bodyId(r), frames: [] };
    const side = f.replication === 1 ? 1 : -1;
    for (let t = 0; t < T; t++) {
      const pa = newPose();
      const pb = newPose();
      const { gap } = spec.fn(pa, pb, t / Math.max(1, T - 1), v);
      pa.yaw = side * 90 * D + facing * 0.3;
      pb.yaw = -side * 90 * D + facing * 0.3;
      a.frames.push(noisy(place(solve(bonesA, pa), [-side * gap * 0.5, 0, 0]), r, sigma));
      b.frames.push(noisy(place(solve(bonesB, pb), [side * gap * 0.5, 0, 0]), r, sigma));
    }
    // The partner sometimes loses tracking for a few frames.
    if (T > 30 && r() < 0.15) {
      const s = randInt(r, 5, T - 10);
      const n = randInt(r, 2, 5);
      for (let t = s; t < s + n; t++) b.frames[t] = undefined;
      events.trackingGaps++;
    }
    if (r() < 0.5) tracks.push(a, b);
    else tracks.push(b, a);
  }

  // Short-lived ghost bodies (≤ 11 frames): removed by the length rule.
  if (r() < 0.2) {
    const n = randInt(r, 2, 10);
    // Sometimes the ghost comes first and the actor is picked up late: after the ghost is removed
    // those leading rows are empty and get dropped as missing frames.
    const lateStart = f.action < 50 && r() < 0.35;
    const s = lateStart ? 0 : randInt(r, 0, Math.max(0, T - n));
    const off: Vec3 = [(r() < 0.5 ? -1 : 1) * uniform(r, 0.8, 1.6), uniform(r, -0.3, 0.3), uniform(r, -0.5, 0.5)];
    const src = tracks[0].frames.find((x) => x) ?? [];
    tracks.push({
      id: bodyId(r),
      frames: Array.from({ length: T }, (_, t) => (t >= s && t < s + n ? noisy(place(src, off), r, 0.08) : undefined)),
    });
    events.shortBodies++;
    if (lateStart) {
      const k = randInt(r, 1, n);
      for (const tr of tracks.slice(0, -1)) for (let t = 0; t < k; t++) tr.frames[t] = undefined;
      events.lateStarts++;
    }
  }
  // Spread-noisy bodies (wider than tall, e.g. furniture): removed by the spread rule.
  if (T >= 20 && r() < 0.12) {
    const n = randInt(r, 12, Math.min(40, T));
    const s = randInt(r, 0, T - n);
    const lying = newPose();
    lying.local.set(0, rotZ(90 * D));
    const shape = place(solve(bonesA, lying), [
      (r() < 0.5 ? -1 : 1) * uniform(r, 1.2, 1.8),
      -0.6,
      uniform(r, -0.6, 0.2),
    ]);
    tracks.push({
      id: bodyId(r),
      frames: Array.from({ length: T }, (_, t) => (t >= s && t < s + n ? noisy(shape, r, 0.02) : undefined)),
    });
    events.spreadBodies++;
  }
  // Dropped frames (B = 0).
  const dropped = new Set<number>();
  if (r() < 0.1) {
    const runs = randInt(r, 1, 3);
    for (let k = 0; k < runs; k++) {
      const s = randInt(r, 0, T - 1);
      const n = randInt(r, 1, 3);
      for (let t = s; t < Math.min(T, s + n); t++) dropped.add(t);
    }
    if (dropped.size >= T) dropped.delete(0);
    events.droppedFrames += dropped.size;
  }

  const lines: string[] = [String(T)];
  const lean = [uniform(r, -0.2, 0.2), uniform(r, -0.2, 0.2)];
  for (let t = 0; t < T; t++) {
    const bodies: SynthBody[] = [];
    if (!dropped.has(t)) {
      for (const tr of tracks) {
        const j = tr.frames[t];
        if (j)
          bodies.push({ bodyID: tr.id, joints: j.map((p) => toCamera(p, view, R)), leanX: lean[0], leanY: lean[1] });
      }
    }
    frameText(bodies, t, lines);
  }
  return lines.join('\r\n') + '\r\n';
}

function posInt(v: number | undefined, def: number, lo: number, hi: number, flag: string): number {
  const n = v ?? def;
  if (!Number.isInteger(n) || n < lo || n > hi)
    throw new CodedError('E_SYNTH_ARGS', `--${flag} must be an integer in ${lo}..${hi}, got ${n}`);
  return n;
}

/** Writes every sample of the synthetic set into `out` (each file via a temporary name). */
export function generateSynthNtu(o: SynthOptions, onFile?: (done: number, total: number) => void): SynthResult {
  const actions = synthActions(o.classes);
  const performers = synthPerformers(posInt(o.performers, 6, 1, 40, 'performers'));
  const cameras = Array.from({ length: posInt(o.cameras, 3, 1, 3, 'cameras') }, (_, i) => i + 1);
  const replications = Array.from({ length: posInt(o.replications, 2, 1, 2, 'replications') }, (_, i) => i + 1);
  const setups = Array.from({ length: posInt(o.setups, 1, 1, 17, 'setups') }, (_, i) => i + 1);
  const min = posInt(o.minFrames, 40, 1, 300, 'min-frames');
  const max = posInt(o.maxFrames, 150, min, 300, 'max-frames');
  try {
    fs.mkdirSync(o.out, { recursive: true });
    fs.accessSync(o.out, fs.constants.W_OK);
  } catch (e) {
    throw new CodedError(
      'E_OUTPUT_UNWRITABLE',
      `${o.out}: cannot write synthetic data (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const events = {
    droppedFrames: 0,
    shortBodies: 0,
    spreadBodies: 0,
    bystanders: 0,
    idSwitches: 0,
    trackingGaps: 0,
    lateStarts: 0,
  };
  const total = setups.length * cameras.length * performers.length * replications.length * actions.length;
  let files = 0;
  let bytes = 0;
  for (const setup of setups)
    for (const camera of cameras)
      for (const performer of performers)
        for (const replication of replications)
          for (const action of actions) {
            const f = { setup, camera, performer, replication, action };
            const text = synthSample(o.seed, f, { min, max }, events);
            const file = path.join(o.out, `${formatNtuName(f)}.skeleton`);
            try {
              writeFileAtomic(file, text, { fsync: false });
            } catch (e) {
              throw new CodedError('E_OUTPUT_UNWRITABLE', `${file}: ${(e as Error).message}`);
            }
            files++;
            bytes += text.length;
            onFile?.(files, total);
          }
  return {
    out: o.out,
    files,
    actions,
    actionNames: actions.map(actionName),
    performers,
    cameras,
    setups,
    replications,
    bytes,
    events,
  };
}
