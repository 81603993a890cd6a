// Byte-level .npy helpers: read the header, and write the first sample of an [N, …] array as its own
// .npy (a new header + the first prod(shape[1:]) elements). No numerics: just bytes.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { CodedError } from '../../util/errors.js';
import { FILE_LIMITS } from '../../util/file-limits.js';

export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

export function parseNpyHeader(buf: Buffer, file = '<npy>'): NpyHeader {
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (buf.length < start + hlen) throw new Error(`${file}: truncated .npy header`);
  const text = buf.subarray(start, start + hlen).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new Error(`${file}: cannot read the .npy header ${JSON.stringify(text)}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: start + hlen };
}

export function readNpyHeader(file: string): NpyHeader {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return parseNpyHeader(buf.subarray(0, n), file);
  } finally {
    closeSync(fd);
  }
}

export function npyHeaderBytes(descr: string, shape: number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // v1.0: magic(6) + version(2) + len(2) + dict + padding + '\n', total a multiple of 64.
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  MAGIC.copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1')]);
}

function itemSize(descr: string): number {
  const m = /^[<>|=]?[fiub](\d+)$/.exec(descr);
  if (!m) throw new Error(`unsupported dtype ${descr}`);
  return Number(m[1]);
}

/** Writes sample `index` of `src` ([N, …], C order) to `dst` as a [ … ] array. */
export function sliceFirstSample(src: string, dst: string, index = 0): { shape: number[]; bytes: number } {
  const h = readNpyHeader(src);
  if (h.fortranOrder) throw new Error(`${src}: Fortran-ordered arrays are not supported`);
  if (h.shape.length < 2) throw new Error(`${src}: expected an [N, …] array, got shape (${h.shape.join(', ')})`);
  if (index >= h.shape[0]) throw new Error(`${src}: sample ${index} out of range (N = ${h.shape[0]})`);
  const shape = h.shape.slice(1);
  const n = shape.reduce((a, b) => a * b, 1) * itemSize(h.descr);
  const fd = openSync(src, 'r');
  let data: Buffer;
  try {
    // Checked against the file and the per-sample limit before the buffer is sized by the header.
    const size = fstatSync(fd).size;
    if (!Number.isSafeInteger(n) || n > FILE_LIMITS.npySample || h.dataOffset + (index + 1) * n > size)
      throw new CodedError(
        'E_NPY',
        `${src}: header shape (${h.shape.join(', ')}) declares ${n} bytes per sample; the file has ${size} bytes (at most ${FILE_LIMITS.npySample} per sample accepted)`,
      );
    data = Buffer.alloc(n);
    const got = readSync(fd, data, 0, n, h.dataOffset + index * n);
    if (got !== n) throw new Error(`${src}: truncated data (wanted ${n} bytes, got ${got})`);
  } finally {
    closeSync(fd);
  }
  const out = Buffer.concat([npyHeaderBytes(h.descr, shape), data]);
  writeFileAtomic(dst, out);
  return { shape, bytes: out.length };
}
