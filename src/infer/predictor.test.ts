import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NpySampleReader, writeNpy } from '../data/npy.js';
import { predictFiles } from './predictor.js';
import { loadAndPreprocess, npySampleChunks, openInputSource, runChunkSize, type InputSpec } from './inputs.js';
import { createSession } from './session.js';
import { tinyModel } from './tiny-model.test-util.js';

const SPEC: InputSpec = { channels: 3, window: 64, vertices: 25, persons: 2, p: 0.95 };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'predictor-'));
let session: ort.InferenceSession;
const files: string[] = [];

/** A distinct (3, 300, 25, 2) sequence per k: 40 + k non-zero frames. */
function seq(k: number): Float32Array {
  const a = new Float32Array(45000);
  for (let c = 0; c < 3; c++)
    for (let t = 0; t < 40 + k; t++)
      for (let i = 0; i < 50; i++) a[(c * 300 + t) * 50 + i] = Math.sin(k + t * 0.3 + i + c);
  return a;
}

beforeAll(async () => {
  session = (await createSession(tinyModel(), { provider: 'cpu', threads: 1 })).session;
  for (let k = 0; k < 37; k++) {
    const f = path.join(tmp, 'in', `s${String(k).padStart(2, '0')}.npy`);
    writeNpy(f, '<f4', [3, 300, 25, 2], seq(k));
    files.push(f);
  }
});
afterAll(async () => {
  await session?.release();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The session, recording the batch dimension of every run. */
function recording(s: ort.InferenceSession, runs: number[]): ort.InferenceSession {
  return new Proxy(s, {
    get(target, prop, recv) {
      if (prop === 'run')
        return (feeds: Record<string, ort.Tensor>) => {
          runs.push(Object.values(feeds)[0].dims[0]);
          return target.run(feeds);
        };
      const v: unknown = Reflect.get(target, prop, recv);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('predictFiles', () => {
  it('runs batches in chunks that never straddle a batch; results equal a one-shot run bit for bit', async () => {
    const runs: number[] = [];
    const got: Array<[string, number[]]> = [];
    const lines: string[] = [];
    const r = await predictFiles({
      session: recording(session, runs),
      files,
      batchSize: 10,
      chunkSize: 4,
      spec: SPEC,
      topK: 3,
      print: (l) => lines.push(...l),
      onResult: (f, top) => got.push([f, top.scores]),
    });
    expect(r.files).toBe(37);
    expect(r.times).toHaveLength(4);
    expect(runs).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2, 4, 3]);
    expect(got.map(([f]) => f)).toEqual(files);
    expect(lines.filter((l) => l.startsWith('Current video file: '))).toHaveLength(37);

    const once: Array<[string, number[]]> = [];
    const runs1: number[] = [];
    await predictFiles({
      session: recording(session, runs1),
      files,
      batchSize: 37,
      chunkSize: 37,
      spec: SPEC,
      topK: 3,
      print: () => {},
      onResult: (f, top) => once.push([f, top.scores]),
    });
    expect(runs1).toEqual([37]);
    expect(got).toEqual(once);
  });

  it('bounds a chunk by the window: 16 samples at 64 frames, fewer for longer windows', () => {
    expect(runChunkSize(64)).toBe(16);
    expect(runChunkSize(300)).toBe(3);
    expect(runChunkSize(5000)).toBe(1);
  });
});

describe('input sources', () => {
  it('streams a list file (CRLF, comments, blank lines, paths relative to the list)', () => {
    const list = path.join(tmp, 'list.txt');
    fs.writeFileSync(list, `# inputs\r\nin/s00.npy\r\n\r\n${files[1]}\r\nin/s02.npy`);
    const src = openInputSource(list, true);
    expect(src.count).toBe(3);
    expect([...src.files()]).toEqual([path.join(tmp, 'in/s00.npy'), files[1], path.join(tmp, 'in/s02.npy')]);
    // iterable again (the list is re-read, not held)
    expect([...src.files()]).toHaveLength(3);
  });

  it('a folder lists its .npy files in name order', () => {
    const src = openInputSource(path.join(tmp, 'in'), false);
    expect(src.count).toBe(37);
    expect([...src.files()]).toEqual(files);
  });

  it('npySampleChunks preprocesses the samples of a big array as predict does its files', () => {
    const big = path.join(tmp, 'big.npy');
    const all = new Float32Array(5 * 45000);
    for (let k = 0; k < 5; k++) all.set(seq(k), k * 45000);
    writeNpy(big, '<f4', [5, 3, 300, 25, 2], all);
    const reader = new NpySampleReader(big);
    try {
      // A chunk's data is a view of a reused buffer: copy it before asking for the next one.
      const chunks: Array<{ items: number[]; data: Float32Array }> = [];
      for (const c of npySampleChunks(reader, 2, SPEC))
        chunks.push({ items: c.items, data: Float32Array.from(c.data) });
      expect(chunks.map((c) => c.items)).toEqual([[0, 1], [2, 3], [4]]);
      const per = 3 * 64 * 50;
      const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      for (const c of chunks)
        c.items.forEach((i, j) =>
          expect(bytes(c.data.subarray(j * per, (j + 1) * per)).equals(bytes(loadAndPreprocess(files[i], SPEC)))).toBe(
            true,
          ),
        );
    } finally {
      reader.close();
    }
  });
});
