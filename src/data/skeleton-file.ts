// Parser for NTU RGB+D `.skeleton` text files (Kinect v2 body frames).
//
// Layout: F; per frame B; per body a 10-field info line, J (25), then J 12-field joint lines.
// Every malformed input is a SkeletonFormatError naming the file, the 1-based line and what was
// expected, never a short array.
import { CodedError } from '../util/errors.js';

export const NUM_JOINTS = 25;
/** Fields per joint line: x y z depthX depthY colorX colorY orientW orientX orientY orientZ trackingState. */
export const JOINT_FIELDS = 12;

export interface SkeletonBody {
  /** 17-digit integer, kept as text (above Number.MAX_SAFE_INTEGER). */
  bodyID: string;
  clippedEdges: number;
  handLeftConfidence: number;
  handLeftState: number;
  handRightConfidence: number;
  handRightState: number;
  isRestricted: number;
  leanX: number;
  leanY: number;
  trackingState: number;
  /** 25 × (x, y, z) camera-space metres, joint-major. */
  joints: Float32Array;
  /** 25 × (depthX, depthY). */
  depth: Float32Array;
  /** 25 × (colorX, colorY). */
  colors: Float32Array;
  /** 25 × (w, x, y, z). */
  orientations: Float32Array;
  /** 25 joint tracking states. */
  jointTracking: Uint8Array;
}

export interface SkeletonFrame {
  bodies: SkeletonBody[];
}

export interface SkeletonFile {
  file: string;
  frameCount: number;
  frames: SkeletonFrame[];
}

export class SkeletonFormatError extends CodedError {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super('E_SKELETON_FORMAT', `${file}:${line}: ${detail}`);
    this.name = 'SkeletonFormatError';
  }
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function splitFields(line: string): string[] {
  const t = line.trim();
  if (t === '') return [];
  // Fast path for the usual single-space separation.
  return t.indexOf('  ') < 0 && t.indexOf('\t') < 0 ? t.split(' ') : t.split(/\s+/);
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const isSpace = (c: number) => c === 32 || c === 9 || c === 13;

/**
 * Fast path for a joint line: scans 12 plain decimal fields straight from the characters into
 * `vals`. Returns false on anything unusual (the caller then re-parses with full checks). With at
 * most 15 significant digits and |exponent| ≤ 22 the value is exactly what Number() gives.
 */
function scanJointLine(s: string, vals: Float64Array): boolean {
  const n = s.length;
  let i = 0;
  let k = 0;
  for (;;) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    if (k === JOINT_FIELDS) return false;
    let c = s.charCodeAt(i);
    let neg = false;
    if (c === 45) {
      neg = true;
      i++;
    } else if (c === 43) i++;
    let mant = 0;
    let digits = 0;
    let frac = 0;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      i++;
    }
    if (i < n && s.charCodeAt(i) === 46) {
      i++;
      while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        digits++;
        frac++;
        i++;
      }
    }
    if (digits === 0 || digits > 15) return false;
    let exp = 0;
    if (i < n && ((c = s.charCodeAt(i)) === 101 || c === 69)) {
      i++;
      let eneg = false;
      c = s.charCodeAt(i);
      if (c === 45) {
        eneg = true;
        i++;
      } else if (c === 43) i++;
      let ed = 0;
      while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
        exp = exp * 10 + (c - 48);
        ed++;
        i++;
      }
      if (ed === 0) return false;
      if (eneg) exp = -exp;
    }
    if (i < n && !isSpace(s.charCodeAt(i))) return false;
    const e = exp - frac;
    let v: number;
    if (e === 0) v = mant;
    else if (e > 0 && e <= 22) v = mant * POW10[e];
    else if (e < 0 && e >= -22) v = mant / POW10[-e];
    else return false;
    vals[k++] = neg ? -v : v;
  }
  return k === JOINT_FIELDS && Number.isInteger(vals[11]);
}

class Lines {
  private readonly lines: string[];
  private i = 0;
  constructor(
    text: string,
    readonly file: string,
  ) {
    this.lines = text.split('\n');
    // A final newline leaves one empty string behind.
    while (this.lines.length && this.lines[this.lines.length - 1].trim() === '') this.lines.pop();
  }
  /** Next line's fields; `what` describes the expected content for the error message. */
  next(what: string | (() => string)): string[] {
    return splitFields(this.nextRaw(what));
  }
  /** Next line as is. */
  nextRaw(what: string | (() => string)): string {
    if (this.i >= this.lines.length) {
      throw new SkeletonFormatError(
        this.file,
        this.i + 1,
        `unexpected end of file, expected ${typeof what === 'string' ? what : what()}`,
      );
    }
    return this.lines[this.i++];
  }

  get lineNo(): number {
    return this.i;
  }
  get remaining(): number {
    return this.lines.length - this.i;
  }
  fail(detail: string): never {
    throw new SkeletonFormatError(this.file, this.i, detail);
  }
}

function int(l: Lines, tok: string | undefined, what: string): number {
  if (tok === undefined || !INT_RE.test(tok))
    l.fail(`expected ${what} (an integer), got ${tok === undefined ? 'nothing' : `"${tok}"`}`);
  return Number.parseInt(tok, 10);
}

function float(l: Lines, tok: string, what: string): number {
  const n = Number(tok);
  // Number() also accepts "Infinity", "0x1F", "0b1": let only plain decimals through.
  if (!Number.isFinite(n) || (tok.length > 1 && tok.charCodeAt(0) === 48 && tok.charCodeAt(1) > 57)) {
    if (!FLOAT_RE.test(tok) || !Number.isFinite(n)) l.fail(`expected ${what} (a number), got "${tok}"`);
  }
  return n;
}

const BODY_INFO = [
  'bodyID',
  'clippedEdges',
  'handLeftConfidence',
  'handLeftState',
  'handRightConfidence',
  'handRightState',
  'isRestricted',
  'leanX',
  'leanY',
  'trackingState',
];
const JOINT_NAMES = [
  'x',
  'y',
  'z',
  'depthX',
  'depthY',
  'colorX',
  'colorY',
  'orientationW',
  'orientationX',
  'orientationY',
  'orientationZ',
  'trackingState',
];

function parseBody(l: Lines, frame: number, b: number): SkeletonBody {
  const info = l.next(() => `the info line of body ${b + 1} in frame ${frame + 1}`);
  if (info.length !== 10) l.fail(`expected 10 body-info fields (${BODY_INFO.join(' ')}), got ${info.length}`);
  if (!/^\d+$/.test(info[0])) l.fail(`expected bodyID (digits), got "${info[0]}"`);
  const nJoints = int(l, l.next(() => `the joint count of body ${b + 1} in frame ${frame + 1}`)[0], 'the joint count');
  const jl = l.lineNo;
  if (nJoints !== NUM_JOINTS) {
    throw new SkeletonFormatError(l.file, jl, `expected ${NUM_JOINTS} joints, got ${nJoints}`);
  }
  const body: SkeletonBody = {
    bodyID: info[0],
    clippedEdges: int(l, info[1], 'clippedEdges'),
    handLeftConfidence: int(l, info[2], 'handLeftConfidence'),
    handLeftState: int(l, info[3], 'handLeftState'),
    handRightConfidence: int(l, info[4], 'handRightConfidence'),
    handRightState: int(l, info[5], 'handRightState'),
    isRestricted: int(l, info[6], 'isRestricted'),
    leanX: float(l, info[7], 'leanX'),
    leanY: float(l, info[8], 'leanY'),
    trackingState: int(l, info[9], 'trackingState'),
    joints: new Float32Array(NUM_JOINTS * 3),
    depth: new Float32Array(NUM_JOINTS * 2),
    colors: new Float32Array(NUM_JOINTS * 2),
    orientations: new Float32Array(NUM_JOINTS * 4),
    jointTracking: new Uint8Array(NUM_JOINTS),
  };
  const vals = new Float64Array(JOINT_FIELDS);
  for (let j = 0; j < NUM_JOINTS; j++) {
    const line = l.nextRaw(() => `joint ${j + 1} of ${NUM_JOINTS} of body ${b + 1} in frame ${frame + 1}`);
    if (scanJointLine(line, vals)) {
      body.joints[3 * j] = vals[0];
      body.joints[3 * j + 1] = vals[1];
      body.joints[3 * j + 2] = vals[2];
      body.depth[2 * j] = vals[3];
      body.depth[2 * j + 1] = vals[4];
      body.colors[2 * j] = vals[5];
      body.colors[2 * j + 1] = vals[6];
      for (let k = 0; k < 4; k++) body.orientations[4 * j + k] = vals[7 + k];
      body.jointTracking[j] = vals[11];
      continue;
    }
    const f = splitFields(line);
    if (f.length !== JOINT_FIELDS) {
      if (f.length === 1 && INT_RE.test(f[0]) && j > 0)
        l.fail(`expected joint ${j + 1} of ${NUM_JOINTS} (12 fields), got a count line "${f[0]}": too few joint lines`);
      l.fail(`expected ${JOINT_FIELDS} joint fields (${JOINT_NAMES.join(' ')}), got ${f.length}`);
    }
    for (let k = 0; k < 3; k++) body.joints[3 * j + k] = float(l, f[k], JOINT_NAMES[k]);
    body.depth[2 * j] = float(l, f[3], 'depthX');
    body.depth[2 * j + 1] = float(l, f[4], 'depthY');
    body.colors[2 * j] = float(l, f[5], 'colorX');
    body.colors[2 * j + 1] = float(l, f[6], 'colorY');
    for (let k = 0; k < 4; k++) body.orientations[4 * j + k] = float(l, f[7 + k], JOINT_NAMES[7 + k]);
    body.jointTracking[j] = int(l, f[11], 'trackingState');
  }
  return body;
}

/** Parses the text of one `.skeleton` file (LF or CRLF). */
export function parseSkeleton(text: string, file = '<skeleton>'): SkeletonFile {
  const l = new Lines(text, file);
  const head = l.next('the frame count');
  if (head.length !== 1) l.fail(`expected the frame count (one integer), got ${head.length} fields`);
  const frameCount = int(l, head[0], 'the frame count');
  if (frameCount < 0) l.fail(`negative frame count ${frameCount}`);
  const frames: SkeletonFrame[] = [];
  for (let f = 0; f < frameCount; f++) {
    const bl = l.next(() => `the body count of frame ${f + 1} of ${frameCount}`);
    if (bl.length !== 1) l.fail(`expected the body count of frame ${f + 1} (one integer), got ${bl.length} fields`);
    const nb = int(l, bl[0], `the body count of frame ${f + 1}`);
    if (nb < 0) l.fail(`negative body count ${nb}`);
    const bodies: SkeletonBody[] = [];
    for (let b = 0; b < nb; b++) bodies.push(parseBody(l, f, b));
    frames.push({ bodies });
  }
  if (l.remaining > 0) {
    const extra = l.next('');
    l.fail(
      `expected end of file after ${frameCount} frames, found "${extra.join(' ').slice(0, 60)}" (frame or body counts do not match the content)`,
    );
  }
  return { file, frameCount, frames };
}
