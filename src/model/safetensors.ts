// safetensors read/write (F32 only): 8-byte LE header length, JSON header, raw little-endian data.
import fs from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { CodedError } from '../util/errors.js';

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

/** Ordered name → tensor map (order = insertion; files store names sorted). */
export type TensorMap = Map<string, NamedTensor>;

export class SafetensorsError extends CodedError {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super('E_WEIGHTS_FORMAT', `${file}: ${message}`);
    this.name = 'SafetensorsError';
  }
}

export function parseSafetensors(
  buf: Buffer,
  file = '<buffer>',
): { tensors: TensorMap; metadata: Record<string, string> } {
  if (buf.length < 8) throw new SafetensorsError(file, 'too short for a safetensors file');
  const n = Number(buf.readBigUInt64LE(0));
  if (n <= 0 || 8 + n > buf.length) throw new SafetensorsError(file, `bad header length ${n}`);
  let header: Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>
  >;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as typeof header;
  } catch (e) {
    throw new SafetensorsError(file, `header is not JSON (${(e as Error).message})`);
  }
  const base = 8 + n;
  const tensors: TensorMap = new Map();
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = info as Record<string, string>;
      continue;
    }
    const t = info as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (t.dtype !== 'F32')
      throw new SafetensorsError(file, `tensor ${name}: dtype ${t.dtype} is not supported (F32 only)`);
    const [a, b] = t.data_offsets;
    const count = t.shape.reduce((x, y) => x * y, 1);
    if (b - a !== count * 4 || base + b > buf.length)
      throw new SafetensorsError(file, `tensor ${name}: data offsets do not match shape`);
    const data = new Float32Array(count);
    Buffer.from(data.buffer).set(buf.subarray(base + a, base + b));
    tensors.set(name, { shape: [...t.shape], data });
  }
  return { tensors, metadata };
}

export function readSafetensors(file: string): TensorMap {
  return parseSafetensors(fs.readFileSync(file), file).tensors;
}

export function serializeSafetensors(tensors: TensorMap, metadata?: Record<string, string>): Buffer {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) header.__metadata__ = metadata;
  let off = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [off, off + bytes] };
    off += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const hbuf = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + hbuf.length + off);
  out.writeBigUInt64LE(BigInt(hbuf.length), 0);
  hbuf.copy(out, 8);
  let p = 8 + hbuf.length;
  for (const name of names) {
    const t = tensors.get(name)!;
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, p);
    p += t.data.byteLength;
  }
  return out;
}

/** Writes atomically (temp file, then rename). */
export function writeSafetensors(file: string, tensors: TensorMap, metadata?: Record<string, string>): void {
  writeFileAtomic(file, serializeSafetensors(tensors, metadata));
}
