// safetensors read/write (F32 only): 8-byte LE header length, JSON header, raw little-endian data.
import { writeFileAtomic } from '../util/atomic-write.js';
import { CodedError } from '../util/errors.js';
import { checkDeclaredSize, FILE_LIMITS, readFileBounded, shapeElements } from '../util/file-limits.js';

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

/** Longest JSON header accepted (a model's header is a few tens of KiB). */
const MAX_HEADER_BYTES = 16 << 20;

export function parseSafetensors(
  buf: Buffer,
  file = '<buffer>',
): { tensors: TensorMap; metadata: Record<string, string> } {
  if (buf.length < 8) throw new SafetensorsError(file, 'too short for a safetensors file');
  const declared = buf.readBigUInt64LE(0);
  if (declared === 0n || declared > BigInt(MAX_HEADER_BYTES))
    throw new SafetensorsError(file, `header length field ${declared} is out of range (1..${MAX_HEADER_BYTES})`);
  const n = Number(declared);
  checkDeclaredSize('E_WEIGHTS_FORMAT', file, 'the header length field', n, buf.length - 8);
  let header: unknown;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  } catch (e) {
    throw new SafetensorsError(file, `header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new SafetensorsError(file, 'header is not a JSON object');
  const base = 8 + n;
  const dataBytes = buf.length - base;
  const tensors: TensorMap = new Map();
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info))
        throw new SafetensorsError(file, '__metadata__ is not an object');
      metadata = info as Record<string, string>;
      continue;
    }
    const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (typeof t !== 'object' || t === null) throw new SafetensorsError(file, `tensor ${name}: entry is not an object`);
    if (t.dtype !== 'F32')
      throw new SafetensorsError(file, `tensor ${name}: dtype ${String(t.dtype)} is not supported (F32 only)`);
    const shape = t.shape;
    if (!Array.isArray(shape) || shape.length > 32 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new SafetensorsError(file, `tensor ${name}: shape is not a list of non-negative integers`);
    const offs = t.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new SafetensorsError(file, `tensor ${name}: data_offsets is not a pair of non-negative integers`);
    const [a, b] = offs as [number, number];
    const count = shapeElements(shape as number[], 'E_WEIGHTS_FORMAT', file, `tensor ${name} shape`);
    if (b < a || b - a !== count * 4)
      throw new SafetensorsError(
        file,
        `tensor ${name}: data_offsets [${a}, ${b}] do not match shape [${shape.join(', ')}] (${count * 4} bytes)`,
      );
    checkDeclaredSize('E_WEIGHTS_FORMAT', file, `tensor ${name} data_offsets`, b, dataBytes);
    const data = new Float32Array(count);
    Buffer.from(data.buffer).set(buf.subarray(base + a, base + b));
    tensors.set(name, { shape: [...(shape as number[])], data });
  }
  return { tensors, metadata };
}

export function readSafetensors(file: string): TensorMap {
  const buf = readFileBounded(file, {
    what: 'safetensors file',
    maxBytes: FILE_LIMITS.safetensors,
    code: 'E_WEIGHTS_READ',
    missingCode: 'E_WEIGHTS_MISSING',
  });
  return parseSafetensors(buf, file).tensors;
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
