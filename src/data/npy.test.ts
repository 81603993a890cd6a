import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NpySampleReader,
  NpyStreamWriter,
  buildNpyHeader,
  parseNpyHeader,
  readNpy,
  readNpyFloat32,
  writeNpy,
} from './npy.js';
import { sharedPath } from '../util/shared-data.test-util.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'npy-'));

describe('npy', () => {
  it('reads the PaddleVideo example file (128-byte header, (3,300,25,2) float32)', () => {
    const f = sharedPath('fixtures/paddlevideo/example_NTU-RGB-D_sketeton.npy');
    const a = readNpyFloat32(f, [3, 300, 25, 2]);
    expect(a.data.length).toBe(45000);
    // joint 2 of frame 0, person 1: x at [0,0,1,0]
    expect(a.data[0 * 15000 + 0 * 50 + 1 * 2 + 0]).toBeCloseTo(0.0910599, 6);
  });

  it('writes and parses a multi-GB-shaped header without allocating the array', () => {
    const shape = [40091, 3, 300, 25, 2];
    const h = buildNpyHeader('<f4', shape);
    expect(h.length).toBe(128);
    expect(h.length % 64).toBe(0);
    const p = parseNpyHeader(h);
    expect(p.shape).toEqual(shape);
    expect(p.dataOffset).toBe(128);
    expect(p.descr).toBe('<f4');
    const bytes = p.shape.reduce((a, b) => a * b, 1) * p.itemSize;
    expect(bytes).toBe(7_216_380_000);
    // A sparse file with that header: per-sample reads work at offsets beyond 4 GiB.
    const f = path.join(tmp(), 'big.npy');
    const fd = fs.openSync(f, 'w');
    fs.writeSync(fd, h);
    const last = new Float32Array(45000).fill(1.5);
    fs.writeSync(fd, Buffer.from(last.buffer), 0, last.byteLength, 128 + (shape[0] - 1) * 180000);
    fs.closeSync(fd);
    const r = new NpySampleReader(f);
    expect(r.count).toBe(40091);
    expect(r.read(40090)[44999]).toBe(1.5);
    expect(r.read(0)[0]).toBe(0);
    r.close();
    fs.rmSync(f);
  });

  it('streams samples and round-trips; aborted writes leave no file', () => {
    const d = tmp();
    const f = path.join(d, 'x.npy');
    const w = new NpyStreamWriter(f, 2, [3, 4]);
    w.write(Float32Array.from({ length: 12 }, (_, i) => i));
    w.write(Float32Array.from({ length: 12 }, (_, i) => -i));
    expect(fs.existsSync(f)).toBe(false);
    w.finish();
    const a = readNpy(f);
    expect(a.shape).toEqual([2, 3, 4]);
    expect((a.data as Float32Array)[13]).toBe(-1);
    const w2 = new NpyStreamWriter(path.join(d, 'y.npy'), 3, [1]);
    w2.write(new Float32Array(1));
    expect(() => w2.finish()).toThrow(/wrote 1 samples, declared 3/);
    expect(fs.readdirSync(d).sort()).toEqual(['x.npy']);
  });

  it('int64 and truncation errors', () => {
    const d = tmp();
    const f = path.join(d, 'l.npy');
    writeNpy(f, '<i8', [3], BigInt64Array.from([7n, 23n, 41n]));
    expect(Array.from(readNpy(f).data as BigInt64Array)).toEqual([7n, 23n, 41n]);
    fs.truncateSync(f, 130);
    expect(() => readNpy(f)).toThrow(/truncated/);
  });
});
