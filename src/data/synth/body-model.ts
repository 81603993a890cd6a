// A 25-joint Kinect v2 skeleton: rest pose, per-performer proportions and forward kinematics.
// Body frame: x = the person's left, y = up, z = forward; metres; origin at the spine base.

export type Vec3 = [number, number, number];
export type Mat3 = number[]; // row-major 3×3

/** Parent of each 0-based joint (−1 for the spine base). */
export const PARENTS = [-1, 0, 20, 2, 20, 4, 5, 6, 20, 8, 9, 10, 0, 12, 13, 14, 0, 16, 17, 18, 1, 7, 7, 11, 11];

/** Bone vectors (joint − parent) of a 1.75 m person standing with arms down. */
const REST: Vec3[] = [
  [0, 0, 0], // 0 spine base
  [0, 0.3, 0], // 1 spine mid
  [0, 0.07, 0], // 2 neck
  [0, 0.15, 0.01], // 3 head
  [0.17, -0.03, 0], // 4 left shoulder
  [0.03, -0.27, 0], // 5 left elbow
  [0, -0.25, 0.01], // 6 left wrist
  [0, -0.07, 0], // 7 left hand
  [-0.17, -0.03, 0], // 8 right shoulder
  [-0.03, -0.27, 0], // 9 right elbow
  [0, -0.25, 0.01], // 10 right wrist
  [0, -0.07, 0], // 11 right hand
  [0.08, -0.05, 0], // 12 left hip
  [0.01, -0.41, 0], // 13 left knee
  [0, -0.4, -0.02], // 14 left ankle
  [0, -0.05, 0.1], // 15 left foot
  [-0.08, -0.05, 0], // 16 right hip
  [-0.01, -0.41, 0], // 17 right knee
  [0, -0.4, -0.02], // 18 right ankle
  [0, -0.05, 0.1], // 19 right foot
  [0, 0.22, 0], // 20 spine shoulder
  [0, -0.07, 0.005], // 21 left hand tip
  [-0.03, -0.03, 0.03], // 22 left thumb
  [0, -0.07, 0.005], // 23 right hand tip
  [0.03, -0.03, 0.03], // 24 right thumb
];

const ARM = new Set([5, 6, 7, 9, 10, 11, 21, 22, 23, 24]);
const LEG = new Set([13, 14, 15, 17, 18, 19]);
const SHOULDER = new Set([4, 8, 12, 16]);

export interface Proportions {
  height: number;
  arms: number;
  legs: number;
  width: number;
}

export function boneVectors(p: Proportions): Vec3[] {
  return REST.map((b, j) => {
    let s = p.height;
    if (ARM.has(j)) s *= p.arms;
    else if (LEG.has(j)) s *= p.legs;
    const sx = SHOULDER.has(j) ? s * p.width : s;
    return [b[0] * sx, b[1] * s, b[2] * s];
  });
}

export const I3: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function rotX(a: number): Mat3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [1, 0, 0, 0, c, -s, 0, s, c];
}
export function rotY(a: number): Mat3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [c, 0, s, 0, 1, 0, -s, 0, c];
}
export function rotZ(a: number): Mat3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [c, -s, 0, s, c, 0, 0, 0, 1];
}
export function mul(a: Mat3, b: Mat3): Mat3 {
  const o = new Array<number>(9);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) o[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
  return o;
}
export function apply(m: Mat3, v: Vec3): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

/** Joint rotations (local, applied to the bones below the joint) and the root placement. */
export interface Pose {
  local: Map<number, Mat3>;
  /** Root offset in the person's frame before yaw (m). */
  offset: Vec3;
  /** Rotation of the whole body about the vertical axis (rad). */
  yaw: number;
}

export const newPose = (): Pose => ({ local: new Map(), offset: [0, 0, 0], yaw: 0 });

/** Adds a rotation at a joint (composed after any existing one). */
export function rotate(p: Pose, joint: number, m: Mat3): void {
  const cur = p.local.get(joint);
  p.local.set(joint, cur ? mul(cur, m) : m);
}

/** Forward kinematics → 25 joint positions in the body frame (after yaw and offset). */
export function solve(bones: Vec3[], pose: Pose): Vec3[] {
  const G = new Array<Mat3>(25);
  const P = new Array<Vec3>(25);
  const root = mul(rotY(pose.yaw), pose.local.get(0) ?? I3);
  G[0] = root;
  P[0] = [...pose.offset];
  // Parents come before children in this order.
  for (const j of [1, 20, 2, 3, 4, 5, 6, 7, 21, 22, 8, 9, 10, 11, 23, 24, 12, 13, 14, 15, 16, 17, 18, 19]) {
    const p = PARENTS[j];
    const d = apply(G[p], bones[j]);
    P[j] = [P[p][0] + d[0], P[p][1] + d[1], P[p][2] + d[2]];
    const l = pose.local.get(j);
    G[j] = l ? mul(G[p], l) : G[p];
  }
  return P;
}
