// NumPy .npy v1/v2/v3 I/O without loading big arrays: parse the header, then read samples at
// byte offsets. Node Buffers cap at 4 GiB while NTU train arrays are ~7.2 GB.
import fs from 'node:fs';
import path from 'node:path';
import { typedArrayFromBytes } from '../util/dtype.js';
import { CodedError } from '../util/errors.js';

export type NpyDtype = '<f4' | '<f8' | '<i8' | '<i4' | '|u1' | '|b1';

export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the first data byte (magic + header length field + header). */
  dataOffset: number;
  itemSize: number;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
const ITEM_SIZES: Record<string, number> = {
  '<f4': 4,
  '<f8': 8,
  '<i8': 8,
  '<i4': 4,
  '|u1': 1,
  '|b1': 1,
  '<u8': 8,
  '<i2': 2,
  '<f2': 2,
};

export class NpyError extends CodedError {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super('E_NPY', `${file}: ${message}`);
    this.name = 'NpyError';
  }
}

function openForReading(file: string): number {
  try {
    return fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NpyError(
      file,
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a .npy file' : (e as Error).message,
    );
  }
}

/** Parses the header from the first bytes of a file (at least 10 + header length). */
export function parseNpyHeader(buf: Buffer, file = '<buffer>'): NpyHeader {
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw new NpyError(file, 'not a .npy file (bad magic)');
  const major = buf[6];
  let hlen: number;
  let start: number;
  if (major === 1) {
    hlen = buf.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) throw new NpyError(file, 'truncated header');
    hlen = buf.readUInt32LE(8);
    start = 12;
  } else throw new NpyError(file, `unsupported .npy version ${major}`);
  if (buf.length < start + hlen) throw new NpyError(file, 'truncated header');
  const text = buf.subarray(start, start + hlen).toString('latin1');
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyError(file, `malformed header: ${text.trim()}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isSafeInteger(n) || n < 0) throw new NpyError(file, `bad dimension "${s}" in header`);
      return n;
    });
  const itemSize = ITEM_SIZES[descr] ?? (descr.startsWith('|S') ? Number(descr.slice(2)) : undefined);
  if (!itemSize) throw new NpyError(file, `unsupported dtype ${descr}`);
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: start + hlen, itemSize };
}

/** Builds a v1.0 header (v2.0 if it does not fit), padded so data starts on a 64-byte boundary. */
export function buildNpyHeader(descr: string, shape: readonly number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  for (const [major, prefix] of [
    [1, 10],
    [2, 12],
  ] as const) {
    const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
    const hlen = total - prefix;
    if (major === 1 && hlen > 0xffff) continue;
    const out = Buffer.alloc(total, 0x20);
    MAGIC.copy(out, 0);
    out[6] = major;
    out[7] = 0;
    if (major === 1) out.writeUInt16LE(hlen, 8);
    else out.writeUInt32LE(hlen, 8);
    out.write(dict, prefix, 'latin1');
    out[total - 1] = 0x0a;
    return out;
  }
  throw new Error('unreachable');
}

export function readNpyHeaderFromFile(file: string): NpyHeader {
  const fd = openForReading(file);
  try {
    const head = Buffer.alloc(4096);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return parseNpyHeader(head.subarray(0, n), file);
  } finally {
    fs.closeSync(fd);
  }
}

export type NpyTypedArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export interface NpyArray {
  descr: string;
  shape: number[];
  data: NpyTypedArray;
}

function toTyped(descr: string, bytes: Buffer): NpyTypedArray {
  const t = typedArrayFromBytes(descr, bytes);
  return t instanceof Int8Array ? new Uint8Array(t.buffer) : t;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Reads a whole (small) .npy file. Refuses arrays over `maxBytes` (use NpySampleReader). */
export function readNpy(file: string, maxBytes = 1 << 30): NpyArray {
  const h = readNpyHeaderFromFile(file);
  if (h.fortranOrder) throw new NpyError(file, 'Fortran-order arrays are not supported');
  const bytes = prod(h.shape) * h.itemSize;
  if (bytes > maxBytes)
    throw new NpyError(file, `array of ${bytes} bytes is too large to load whole; read it per sample`);
  const size = fs.statSync(file).size;
  if (size < h.dataOffset + bytes)
    throw new NpyError(file, `truncated: expected ${h.dataOffset + bytes} bytes, found ${size}`);
  const fd = openForReading(file);
  try {
    const buf = Buffer.alloc(bytes);
    fs.readSync(fd, buf, 0, bytes, h.dataOffset);
    return { descr: h.descr, shape: h.shape, data: toTyped(h.descr, buf) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a float32 .npy as Float32Array (converting float64), checking the shape if given. */
export function readNpyFloat32(
  file: string,
  expectShape?: readonly (number | null)[],
): { shape: number[]; data: Float32Array } {
  const a = readNpy(file);
  if (expectShape) {
    const ok = a.shape.length === expectShape.length && expectShape.every((d, i) => d === null || d === a.shape[i]);
    if (!ok) {
      const want = `(${expectShape.map((d) => (d === null ? 'N' : d)).join(', ')})`;
      throw new NpyError(file, `expected shape ${want}, got (${a.shape.join(', ')})`);
    }
  }
  if (a.data instanceof Float32Array) return { shape: a.shape, data: a.data };
  if (a.data instanceof Float64Array) return { shape: a.shape, data: Float32Array.from(a.data) };
  throw new NpyError(file, `expected float32 data, got ${a.descr}`);
}

/** Writes a small array atomically (temp file, then rename). */
export function writeNpy(file: string, descr: NpyDtype, shape: readonly number[], data: ArrayBufferView): void {
  const header = buildNpyHeader(descr, shape);
  const expected = prod(shape) * ITEM_SIZES[descr];
  if (data.byteLength !== expected)
    throw new Error(`writeNpy ${file}: data has ${data.byteLength} bytes, shape needs ${expected}`);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, header);
      fs.writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Random access to the samples (first axis) of a big array: one `fs.readSync` per sample at
 * `dataOffset + i · sampleBytes`. Never holds more than one sample.
 */
export class NpySampleReader {
  readonly header: NpyHeader;
  readonly count: number;
  readonly sampleShape: number[];
  readonly sampleElems: number;
  readonly sampleBytes: number;
  private fd: number;

  constructor(readonly file: string) {
    this.header = readNpyHeaderFromFile(file);
    const h = this.header;
    if (h.fortranOrder) throw new NpyError(file, 'Fortran-order arrays are not supported');
    if (h.shape.length < 1) throw new NpyError(file, 'a 0-d array has no samples');
    this.count = h.shape[0];
    this.sampleShape = h.shape.slice(1);
    this.sampleElems = prod(this.sampleShape);
    this.sampleBytes = this.sampleElems * h.itemSize;
    const size = fs.statSync(file).size;
    const need = h.dataOffset + this.count * this.sampleBytes;
    if (size < need) throw new NpyError(file, `truncated: header promises ${need} bytes, file has ${size}`);
    this.fd = openForReading(file);
  }

  /** Reads sample `i` as float32 (the file must be `<f4`). */
  read(i: number, out?: Float32Array): Float32Array {
    if (this.header.descr !== '<f4')
      throw new NpyError(this.file, `expected float32 samples, got ${this.header.descr}`);
    if (!Number.isInteger(i) || i < 0 || i >= this.count)
      throw new RangeError(`${this.file}: sample ${i} out of range [0, ${this.count})`);
    const dst = out ?? new Float32Array(this.sampleElems);
    const view = Buffer.from(dst.buffer, dst.byteOffset, this.sampleBytes);
    const n = fs.readSync(this.fd, view, 0, this.sampleBytes, this.header.dataOffset + i * this.sampleBytes);
    if (n !== this.sampleBytes) throw new NpyError(this.file, `short read of sample ${i}`);
    return dst;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * Streams a big array to disk: header first (the sample count is fixed up front), then samples
 * one by one. Writes to `<file>.tmp` and renames on `finish()`; `abort()` removes the temp file.
 */
export class NpyStreamWriter {
  private fd: number;
  private written = 0;
  private readonly tmp: string;
  readonly sampleElems: number;

  constructor(
    readonly file: string,
    readonly count: number,
    readonly sampleShape: readonly number[],
  ) {
    this.sampleElems = prod(sampleShape);
    this.tmp = `${file}.tmp`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(this.tmp, 'w');
    fs.writeSync(this.fd, buildNpyHeader('<f4', [count, ...sampleShape]));
  }

  write(sample: Float32Array): void {
    if (sample.length !== this.sampleElems)
      throw new Error(`${this.file}: sample has ${sample.length} values, expected ${this.sampleElems}`);
    if (this.written >= this.count) throw new Error(`${this.file}: more than the declared ${this.count} samples`);
    fs.writeSync(this.fd, new Uint8Array(sample.buffer, sample.byteOffset, sample.byteLength));
    this.written++;
  }

  finish(): void {
    if (this.written !== this.count) {
      this.abort();
      throw new Error(`${this.file}: wrote ${this.written} samples, declared ${this.count}`);
    }
    fs.closeSync(this.fd);
    this.fd = -1;
    fs.renameSync(this.tmp, this.file);
  }

  abort(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    fs.rmSync(this.tmp, { force: true });
  }
}
