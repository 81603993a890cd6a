// Weight encodings for the reduced-precision exports: IEEE half floats and symmetric per-channel
// int8 (zero point 0, scale = max|w| / 127 per channel).
import type { Precision } from '../contracts/index.js';

export type { Precision };
export const PRECISIONS: readonly Precision[] = ['fp32', 'fp16', 'int8'];

export function parsePrecision(s: string): Precision {
  const k = s.trim().toLowerCase();
  if ((PRECISIONS as readonly string[]).includes(k)) return k as Precision;
  throw new Error(`unknown precision "${s}" (expected one of: ${PRECISIONS.join(', ')})`);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float → binary16 bits, round to nearest even (overflow → ±inf, subnormals kept). */
export function toHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return sign | h;
}

/** binary16 bits → number. */
export function fromHalfBits(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export function toHalf(a: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = toHalfBits(a[i]);
  return out;
}

export interface Int8PerChannel {
  q: Int8Array;
  scale: Float32Array;
  zeroPoint: Int8Array;
}

/** Symmetric per-channel int8 along `axis` of a tensor with the given dims. */
export function quantizeInt8PerChannel(a: ArrayLike<number>, dims: number[], axis: number): Int8PerChannel {
  const C = dims[axis];
  const inner = dims.slice(axis + 1).reduce((x, y) => x * y, 1);
  const outer = dims.slice(0, axis).reduce((x, y) => x * y, 1);
  const maxAbs = new Float64Array(C);
  const idx = (o: number, c: number, i: number) => (o * C + c) * inner + i;
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < inner; i++) maxAbs[c] = Math.max(maxAbs[c], Math.abs(a[idx(o, c, i)]));
  const scale = new Float32Array(C);
  for (let c = 0; c < C; c++) scale[c] = maxAbs[c] > 0 ? maxAbs[c] / 127 : 1;
  const q = new Int8Array(a.length);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < inner; i++) {
        const k = idx(o, c, i);
        q[k] = Math.max(-127, Math.min(127, Math.round(a[k] / scale[c])));
      }
  return { q, scale, zeroPoint: new Int8Array(C) };
}
