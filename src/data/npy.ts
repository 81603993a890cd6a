// NumPy .npy v1/v2/v3 I/O without loading big arrays: parse the header, then read samples at
// byte offsets. Node Buffers cap at 4 GiB while NTU train arrays are ~7.2 GB.
import fs from 'node:fs';
import { typedArrayFromBytes } from '../util/dtype.js';
import { AtomicFileWriter } from '../util/atomic-write.js';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS, shapeElements } from '../util/file-limits.js';

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
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a .npy file'
          : code === 'EACCES'
            ? 'is not readable (permission denied)'
            : code === 'ELOOP'
              ? 'is a symbolic-link loop'
              : (e as Error).message,
    );
  }
}

/** Size of an open regular file; a directory or device is an error. */
function regularFileSize(fd: number, file: string): number {
  const st = fs.fstatSync(fd);
  if (st.isDirectory()) throw new NpyError(file, 'is a directory, not a .npy file');
  if (!st.isFile()) throw new NpyError(file, 'is not a regular file');
  return st.size;
}

/** Reads exactly `n` bytes at `pos` (loops over short reads); fewer available is an error. */
function readFully(fd: number, dst: Uint8Array, pos: number, file: string, what: string): void {
  let off = 0;
  while (off < dst.byteLength) {
    const n = fs.readSync(fd, dst, off, dst.byteLength - off, pos + off);
    if (n === 0) throw new NpyError(file, `truncated while reading ${what} (${off} of ${dst.byteLength} bytes)`);
    off += n;
  }
}

const DIM_RE = /^\d+L?$/;

/** Magic, version and header-length field of the first 10–12 bytes, checked against the file size. */
function headerPrefix(buf: Buffer, file: string, fileSize?: number): { start: number; hlen: number } {
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
  if (hlen > FILE_LIMITS.npyHeader)
    throw new NpyError(file, `header length field declares ${hlen} bytes (at most ${FILE_LIMITS.npyHeader} accepted)`);
  if (fileSize !== undefined && hlen > fileSize - start)
    throw new NpyError(
      file,
      `the header length field declares ${hlen} bytes, but only ${Math.max(0, fileSize - start)} bytes follow in the file`,
    );
  return { start, hlen };
}

/**
 * Parses the header from the first bytes of a file (at least 10 + header length). `fileSize`, when
 * known, bounds the header length field before it is used.
 */
export function parseNpyHeader(buf: Buffer, file = '<buffer>', fileSize?: number): NpyHeader {
  const { start, hlen } = headerPrefix(buf, file, fileSize);
  if (buf.length < start + hlen) throw new NpyError(file, 'truncated header');
  const text = buf.subarray(start, start + hlen).toString('latin1');
  if (!text.trimStart().startsWith('{'))
    throw new NpyError(file, `malformed header (not a dict): ${text.slice(0, 80)}`);
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new NpyError(file, `malformed header: ${text.trim().slice(0, 200)}`);
  const dims = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (dims.length > 32) throw new NpyError(file, `header shape has ${dims.length} dimensions (NumPy allows 32)`);
  const shape = dims.map((s) => {
    const n = DIM_RE.test(s) ? Number(s.replace(/L$/, '')) : NaN;
    if (!Number.isSafeInteger(n)) throw new NpyError(file, `bad dimension "${s.slice(0, 40)}" in header shape`);
    return n;
  });
  const itemSize = ITEM_SIZES[descr] ?? (/^\|S\d{1,9}$/.test(descr) ? Number(descr.slice(2)) : undefined);
  if (!itemSize) throw new NpyError(file, `unsupported dtype ${descr.slice(0, 40)}`);
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: start + hlen, itemSize };
}

/** shapeElements, failing as an NpyError (so callers can map every .npy problem to their own code). */
function npyElements(shape: readonly number[], file: string, field: string): number {
  try {
    return shapeElements(shape, 'E_NPY', file, field);
  } catch (e) {
    if (e instanceof CodedError) throw new NpyError(file, e.message.replace(`${file}: `, ''));
    throw e;
  }
}

/** Bytes of the data an array header declares (refusing shapes beyond 2^53 bytes). */
export function npyDataBytes(h: NpyHeader, file: string): number {
  const n = npyElements(h.shape, file, 'header shape');
  const bytes = n * h.itemSize;
  if (!Number.isSafeInteger(bytes))
    throw new NpyError(file, `header shape (${h.shape.join(', ')}) declares more bytes than any file can hold`);
  return bytes;
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

/** Reads and checks the header of an open file; the header length is bounded by the file size. */
function readHeaderFd(fd: number, file: string): { header: NpyHeader; size: number } {
  const size = regularFileSize(fd, file);
  const pre = Buffer.alloc(Math.min(12, size));
  readFully(fd, pre, 0, file, 'the header');
  const { start, hlen } = headerPrefix(pre, file, size);
  const head = Buffer.alloc(start + hlen);
  readFully(fd, head, 0, file, 'the header');
  return { header: parseNpyHeader(head, file, size), size };
}

export function readNpyHeaderFromFile(file: string): NpyHeader {
  const fd = openForReading(file);
  try {
    return readHeaderFd(fd, file).header;
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

/** A typed array over `buf` itself (fresh, so aligned): no second copy of a large array. */
function typedView(descr: string, buf: ArrayBuffer): NpyTypedArray {
  switch (descr) {
    case '<f4':
      return new Float32Array(buf);
    case '<f8':
      return new Float64Array(buf);
    case '<i8':
      return new BigInt64Array(buf);
    case '<i4':
      return new Int32Array(buf);
    case '|u1':
    case '|b1':
      return new Uint8Array(buf);
    default: {
      const t = typedArrayFromBytes(descr, new Uint8Array(buf));
      return t instanceof Int8Array ? new Uint8Array(t.buffer) : t;
    }
  }
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Reads a whole (small) .npy file. Arrays over `maxBytes` are refused before anything is
 * allocated (use NpySampleReader for big ones), as is a header promising more bytes than the file has.
 */
export function readNpy(file: string, maxBytes: number = FILE_LIMITS.npyWhole): NpyArray {
  const fd = openForReading(file);
  try {
    const { header: h, size } = readHeaderFd(fd, file);
    if (h.fortranOrder) throw new NpyError(file, 'Fortran-order arrays are not supported');
    const bytes = npyDataBytes(h, file);
    if (bytes > maxBytes)
      throw new NpyError(
        file,
        `header shape (${h.shape.join(', ')}) declares ${bytes} bytes, more than the ${maxBytes} this reader loads whole`,
      );
    if (size < h.dataOffset + bytes)
      throw new NpyError(
        file,
        `truncated: header shape (${h.shape.join(', ')}) declares ${bytes} data bytes, the file has ${size - h.dataOffset}`,
      );
    const buf = new ArrayBuffer(bytes);
    readFully(fd, new Uint8Array(buf), h.dataOffset, file, 'the array data');
    return { descr: h.descr, shape: h.shape, data: typedView(h.descr, buf) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a float32 .npy as Float32Array (converting float64), checking the shape if given. */
export function readNpyFloat32(
  file: string,
  expectShape?: readonly (number | null)[],
  maxBytes?: number,
): { shape: number[]; data: Float32Array } {
  const a = readNpy(file, maxBytes);
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
  const w = new AtomicFileWriter(file);
  try {
    w.write(header);
    w.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    w.commit();
  } catch (e) {
    w.abort();
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

  constructor(
    readonly file: string,
    maxSampleBytes: number = FILE_LIMITS.npySample,
  ) {
    const fd = openForReading(file);
    try {
      const { header: h, size } = readHeaderFd(fd, file);
      this.header = h;
      if (h.fortranOrder) throw new NpyError(file, 'Fortran-order arrays are not supported');
      if (h.shape.length < 1) throw new NpyError(file, 'a 0-d array has no samples');
      const total = npyDataBytes(h, file);
      this.count = h.shape[0];
      this.sampleShape = h.shape.slice(1);
      this.sampleElems = npyElements(this.sampleShape, file, 'sample shape');
      this.sampleBytes = this.sampleElems * h.itemSize;
      if (this.sampleBytes > maxSampleBytes)
        throw new NpyError(
          file,
          `header shape (${h.shape.join(', ')}) declares ${this.sampleBytes} bytes per sample, more than the ${maxSampleBytes} accepted`,
        );
      if (size < h.dataOffset + total)
        throw new NpyError(
          file,
          `truncated: header shape (${h.shape.join(', ')}) declares ${total} data bytes, the file has ${size - h.dataOffset}`,
        );
      this.fd = fd;
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /** Reads sample `i` as float32 (the file must be `<f4`). */
  read(i: number, out?: Float32Array): Float32Array {
    if (this.header.descr !== '<f4')
      throw new NpyError(this.file, `expected float32 samples, got ${this.header.descr}`);
    if (!Number.isInteger(i) || i < 0 || i >= this.count)
      throw new RangeError(`${this.file}: sample ${i} out of range [0, ${this.count})`);
    const dst = out ?? new Float32Array(this.sampleElems);
    const view = new Uint8Array(dst.buffer, dst.byteOffset, this.sampleBytes);
    readFully(this.fd, view, this.header.dataOffset + i * this.sampleBytes, this.file, `sample ${i}`);
    return dst;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * Streams a big array to disk: header first (the sample count is fixed up front), then samples
 * one by one, through an AtomicFileWriter (temp file, renamed on `finish()`; `abort()` removes it).
 */
export class NpyStreamWriter {
  private readonly out: AtomicFileWriter;
  private written = 0;
  readonly sampleElems: number;

  constructor(
    readonly file: string,
    readonly count: number,
    readonly sampleShape: readonly number[],
  ) {
    this.sampleElems = prod(sampleShape);
    this.out = new AtomicFileWriter(file);
    this.out.write(buildNpyHeader('<f4', [count, ...sampleShape]));
  }

  write(sample: Float32Array): void {
    if (sample.length !== this.sampleElems)
      throw new Error(`${this.file}: sample has ${sample.length} values, expected ${this.sampleElems}`);
    if (this.written >= this.count) throw new Error(`${this.file}: more than the declared ${this.count} samples`);
    this.out.write(new Uint8Array(sample.buffer, sample.byteOffset, sample.byteLength));
    this.written++;
  }

  finish(): void {
    if (this.written !== this.count) {
      this.abort();
      throw new Error(`${this.file}: wrote ${this.written} samples, declared ${this.count}`);
    }
    this.out.commit();
  }

  abort(): void {
    this.out.abort();
  }
}
