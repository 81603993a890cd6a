// Valid files the hostile probes start from (each probe breaks one thing): a tiny ONNX model with
// the predict input/output contract, an NTU-shaped .npy, .skeleton text, pickles, safetensors.
import fs from 'node:fs';
import path from 'node:path';
import { buildNpyHeader } from '../../src/data/npy.js';
import { skeletonText, standing } from '../../src/data/skeleton-builder.test-util.js';
import { serializeSafetensors } from '../../src/model/safetensors.js';
import { pickleDump, type PyNdarray } from '../../src/util/pickle.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(REPO, 'bin', 'ctrgcn.js');
export const RECIPE = path.join(REPO, 'configs', 'ctrgcn_light_ntucs_joint.yaml');
export const PARAMS_TXT = path.join(REPO, 'src', 'tipc', '__fixtures__', 'stub_params.txt');

export { tinyModel } from '../../src/infer/tiny-model.test-util.js';

/** An NTU-shaped sample (3, T, 25, 2): the first `frames` frames non-zero. */
export function sample(T = 300, frames = 72, fill?: (i: number) => number): Float32Array {
  const a = new Float32Array(3 * T * 50);
  for (let c = 0; c < 3; c++)
    for (let t = 0; t < frames; t++)
      for (let i = 0; i < 50; i++) {
        const k = (c * T + t) * 50 + i;
        a[k] = fill ? fill(k) : 0.1 + Math.sin(t * 0.1 + i + c);
      }
  return a;
}

export function npyBytes(descr: string, shape: number[], data: Uint8Array | ArrayBufferView): Buffer {
  const d = data as ArrayBufferView;
  return Buffer.concat([buildNpyHeader(descr, shape), Buffer.from(d.buffer, d.byteOffset, d.byteLength)]);
}

/** A raw npy header with a hand-written dict (for malformed headers). */
export function npyWithDict(dict: string, major = 1, body: Buffer = Buffer.alloc(0)): Buffer {
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const len = Buffer.alloc(major === 1 ? 2 : 4);
  if (major === 1) len.writeUInt16LE(dict.length);
  else len.writeUInt32LE(dict.length);
  return Buffer.concat([pre, len, Buffer.from(dict, 'latin1'), body]);
}

export const BODY_ID = '72057594037931101';

/** A valid `.skeleton` text of `frames` frames with one body. */
export function skeleton(frames = 15, eol = '\n'): string {
  return skeletonText(
    Array.from({ length: frames }, (_, f) => [{ id: BODY_ID, joints: standing(0, 0, 3, 0.01 * f) }]),
    eol,
  );
}

/** A .pdparams-like pickle: dict name → float32 ndarray (protocol 4). */
export function pdparams(entries: unknown): Buffer {
  return pickleDump(entries, { protocol: 4 });
}

export function f32(shape: number[], fill = 0.5): PyNdarray {
  const n = shape.reduce((a, b) => a * b, 1);
  return { kind: 'ndarray', dtype: '<f4', shape, data: new Float32Array(n).fill(fill) };
}

/** A valid safetensors file of one tensor (for byte-level corruption). */
export function safetensors(): Buffer {
  return serializeSafetensors(new Map([['backbone.data_bn.weight', { shape: [150], data: new Float32Array(150) }]]));
}

/** A safetensors file with a hand-written header. */
export function safetensorsWith(header: string, data: Buffer = Buffer.alloc(0), declared?: bigint): Buffer {
  const h = Buffer.from(header, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(declared ?? BigInt(h.length));
  return Buffer.concat([len, h, data]);
}

/** A sparse file of `bytes` (no disk blocks): for size limits. */
export function sparse(file: string, bytes: number, head: Uint8Array = new Uint8Array(0)): string {
  fs.writeFileSync(file, head);
  fs.truncateSync(file, bytes);
  return file;
}

/** UTF-16LE with a byte-order mark. */
export const utf16 = (s: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
