import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseParamsText } from '../params/params-file.js';
import { dataRefs, prepare } from './prepare.js';
import { readNpyHeader } from './npy-slice.js';

const OURS = path.resolve(process.cwd(), 'test_tipc/configs/CTRGCN_light_joint/train_infer_python.txt');
const CLI = [process.execPath, path.resolve(process.cwd(), 'src/tipc/__fixtures__/stub-cli.mjs')];
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('tipc prepare', () => {
  const p = parseParamsText(readFileSync(OURS, 'utf8'), OURS);

  it('finds the data paths the params file trains on', () => {
    const refs = dataRefs(p);
    expect(refs.files).toEqual([
      'test_tipc/data/ntu-lite/xsub/train_data.npy',
      'test_tipc/data/ntu-lite/xsub/train_label.pkl',
      'test_tipc/data/ntu-lite/xsub/val_data.npy',
      'test_tipc/data/ntu-lite/xsub/val_label.pkl',
    ]);
    expect(refs.inputFile).toBe('test_tipc/data/ntu-lite/example_skeleton.npy');
  });

  it('lite: runs synth → ntu → example once, then skips (idempotent)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tipc-prep-'));
    roots.push(root);
    const lines: string[] = [];
    const r1 = await prepare(p, 'lite_train_lite_infer', {
      root,
      cli: CLI,
      classes: 5,
      seed: 7,
      out: (l) => lines.push(l),
    });
    expect(r1.ran).toEqual(['synth', 'ntu', 'example']);
    expect(lines[0]).toContain('data synth --out test_tipc/data/ntu-lite/raw --classes 5 --seed 7');
    expect(lines[1]).toContain(
      'data ntu --raw test_tipc/data/ntu-lite/raw --out test_tipc/data/ntu-lite --benchmark xsub',
    );
    const ex = path.join(root, 'test_tipc/data/ntu-lite/example_skeleton.npy');
    expect(statSync(ex).size).toBe(180128);
    const h = readNpyHeader(ex);
    expect(h).toMatchObject({ descr: '<f4', fortranOrder: false, shape: [3, 300, 25, 2], dataOffset: 128 });
    const f = new Float32Array(readFileSync(ex).buffer.slice(128));
    expect(f.every((v) => v === 1)).toBe(true); // sample 0 only
    const r2 = await prepare(p, 'lite_train_lite_infer', { root, cli: CLI, classes: 5, seed: 7, out: () => {} });
    expect(r2.ran).toEqual([]);
    expect(r2.skipped).toEqual(['synth', 'ntu', 'example']);
    // Other generator settings: the raw set is made again (never data of other settings silently).
    const said: string[] = [];
    const r3 = await prepare(p, 'lite_train_lite_infer', {
      root,
      cli: CLI,
      classes: 6,
      seed: 7,
      out: (l) => said.push(l),
    });
    expect(r3.ran).toEqual(['synth', 'ntu', 'example']);
    expect(said[0]).toMatch(/ntu-lite\/raw was made with other settings/);
  });

  it('whole modes: names what is missing and how to produce it', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tipc-prep-'));
    roots.push(root);
    await expect(prepare(p, 'whole_train_whole_infer', { root, out: () => {} })).rejects.toThrow(
      /missing for whole_train_whole_infer:\n {2}test_tipc\/data\/ntu-lite\/xsub\/train_data\.npy[\s\S]*ctrgcn data ntu --raw <NTU RGB\+D nturgb\+d_skeletons dir> --out test_tipc\/data\/ntu-lite --benchmark xsub/,
    );
    await expect(prepare(p, 'whole_infer', { root, out: () => {} })).rejects.toThrow(
      /\.\/output\/CTRGCN_light_joint\/CTRGCN_light_joint_best\.pdparams/,
    );
  });
});
