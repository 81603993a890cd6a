import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as ntuRun } from '../cli/data-ntu.js';
import { CodedError } from '../util/errors.js';
import { unpickle, type PyNdarray } from '../util/pickle.js';
import { readLabels } from './labels.js';
import { NpySampleReader, readNpyHeaderFromFile } from './npy.js';
import { parseNtuName } from './ntu-names.js';
import { prepareNtu, type NtuSummary } from './ntu-pipeline.js';
import { skeletonText, standing } from './skeleton-builder.test-util.js';
import { XSUB_TRAIN, XSUB_VAL } from './splits.js';
import { generateSynthNtu } from './synth/generate.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ntu-'));
let root: string;
let raw: string;
let out: string;
let summary: NtuSummary;

beforeAll(async () => {
  root = tmp();
  raw = path.join(root, 'raw');
  out = path.join(root, 'out');
  generateSynthNtu({
    out: raw,
    classes: 4,
    seed: 7,
    performers: 3,
    cameras: 3,
    replications: 1,
    minFrames: 30,
    maxFrames: 60,
  });
  summary = await prepareNtu({ raw, out, benchmarks: ['xview', 'xsub'] });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('synth → ntu → readers', () => {
  it('writes both benchmarks with the right shapes, labels and split membership', () => {
    expect(summary.samples).toBe(36);
    for (const b of ['xsub', 'xview']) {
      let total = 0;
      for (const part of ['train', 'val']) {
        const data = path.join(out, b, `${part}_data.npy`);
        const h = readNpyHeaderFromFile(data);
        expect(h.descr).toBe('<f4');
        expect(h.fortranOrder).toBe(false);
        expect(h.shape.slice(1)).toEqual([3, 300, 25, 2]);
        const { names, labels } = readLabels(path.join(out, b, `${part}_label.pkl`));
        expect(names.length).toBe(h.shape[0]);
        total += names.length;
        const fields = names.map((n) => parseNtuName(n)!);
        expect(labels).toEqual(fields.map((f) => f.action - 1));
        if (b === 'xsub') {
          const ids = part === 'train' ? XSUB_TRAIN : XSUB_VAL;
          expect(fields.every((f) => ids.includes(f.performer))).toBe(true);
          // performer blocks follow the list order
          const order = fields.map((f) => ids.indexOf(f.performer));
          expect([...order].sort((x, y) => x - y)).toEqual(order);
        } else {
          expect(fields.every((f) => (part === 'train' ? f.camera !== 1 : f.camera === 1))).toBe(true);
        }
      }
      expect(total).toBe(36);
    }
    expect(summary.splits.xsub).toEqual({ train: 24, val: 12, none: 0 });
    expect(summary.splits.xview).toEqual({ train: 24, val: 12, none: 0 });
  });

  it('label pickle bytes decode to [ndarray |S20, ndarray <i8]', () => {
    const v = unpickle(fs.readFileSync(path.join(out, 'xsub', 'val_label.pkl'))) as PyNdarray[];
    expect(Array.isArray(v) && v.length).toBe(2);
    expect(v[0].dtype).toBe('|S20');
    expect(v[1].dtype).toBe('<i8');
  });

  it('centres on joint 2 of actor 1 in the first frame and pads with exact zeros', () => {
    const r = new NpySampleReader(path.join(out, 'xsub', 'train_data.npy'));
    const frames = fs
      .readFileSync(path.join(out, 'denoised_data', 'frames_cnt.txt'), 'utf8')
      .trim()
      .split('\n')
      .map(Number);
    const { names } = readLabels(path.join(out, 'xsub', 'train_label.pkl'));
    const all = fs
      .readdirSync(raw)
      .map((f) => f.replace('.skeleton', ''))
      .sort();
    const at = (s: Float32Array, c: number, t: number, v: number, m: number) => s[((c * 300 + t) * 25 + v) * 2 + m];
    for (let i = 0; i < r.count; i++) {
      const s = r.read(i);
      const T = frames[all.indexOf(names[i])];
      let first = 0;
      while (
        first < T &&
        [0, 1, 2].every((c) => Array.from({ length: 25 }, (_, v) => at(s, c, first, v, 0)).every((x) => x === 0))
      )
        first++;
      // joint 2 (index 1) of actor 1 at the first non-zero frame is the origin
      for (let c = 0; c < 3; c++) expect(at(s, c, first, 1, 0)).toBe(0);
      for (let c = 0; c < 3; c++)
        for (let t = T; t < 300; t++)
          for (let v = 0; v < 25; v++) {
            if (at(s, c, t, v, 0) !== 0 || at(s, c, t, v, 1) !== 0)
              throw new Error(`sample ${i}: padding row ${t} is not zero`);
          }
    }
    r.close();
  });

  it('writes the logs, frame counts and summary.json, and leaves no staging or temp files', () => {
    const den = fs.readdirSync(path.join(out, 'denoised_data')).sort();
    expect(den).toEqual(
      expect.arrayContaining([
        'noise_length.log',
        'noise_spread.log',
        'noise_motion.log',
        'denoised_failed_1.log',
        'denoised_failed_2.log',
        'missing_skes.log',
        'missing_skes_1.log',
        'missing_skes_2.log',
        'frames_cnt.txt',
      ]),
    );
    expect(
      fs
        .readFileSync(path.join(out, 'denoised_data', 'noise_motion.log'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(1);
    expect(fs.existsSync(path.join(out, 'raw_data', 'frames_drop.log'))).toBe(true);
    const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(s.samples).toBe(36);
    expect(fs.readdirSync(out).sort()).toEqual([
      'denoised_data',
      'raw_data',
      'statistics',
      'summary.json',
      'xsub',
      'xview',
    ]);
    expect(fs.readdirSync(path.join(out, 'xsub')).sort()).toEqual([
      'train_data.npy',
      'train_label.pkl',
      'val_data.npy',
      'val_label.pkl',
    ]);
  });

  it('excludes names listed with --missing and honours --benchmark', async () => {
    const o = path.join(root, 'out2');
    const miss = path.join(root, 'missing.txt');
    const names = fs
      .readdirSync(raw)
      .sort()
      .slice(0, 3)
      .map((f) => f.replace('.skeleton', ''));
    fs.writeFileSync(miss, names.join('\r\n'));
    const s = await prepareNtu({ raw, out: o, benchmarks: ['xsub'], missingFile: miss });
    expect(s.samples).toBe(33);
    expect(s.excludedByList).toBe(3);
    expect(fs.existsSync(path.join(o, 'xview'))).toBe(false);
    const { names: got } = readLabels(path.join(o, 'xsub', 'train_label.pkl'));
    expect(got.some((n) => names.includes(n))).toBe(false);
  });
});

/** Every file under `dir` (relative path → bytes), optionally without some top-level entries. */
function tree(dir: string, without: string[] = []): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (without.includes(rel.split(path.sep)[0])) continue;
    const p = path.join(dir, rel);
    if (fs.statSync(p).isFile()) m.set(rel, fs.readFileSync(p));
  }
  return m;
}

describe('files with no body in any frame', () => {
  // Upstream's statistics exclude them (samples_with_missing_skeletons.txt); converting the folder
  // with them must give byte for byte what converting it without them gives.
  const emptyNames = ['S001C001P001R002A002', 'S001C002P002R002A001', 'S001C003P003R002A004'];
  const emptyTexts = ['3\r\n0\r\n0\r\n0\r\n', '0\n', '2\n0\n0'];

  it('are skipped and listed; every output is identical to the run without them, with or without --missing', async () => {
    const withEmpty = path.join(root, 'raw-empty');
    fs.cpSync(raw, withEmpty, { recursive: true });
    emptyNames.forEach((n, i) => fs.writeFileSync(path.join(withEmpty, `${n}.skeleton`), emptyTexts[i]));
    const o = path.join(root, 'out-empty');
    const s = await prepareNtu({ raw: withEmpty, out: o });
    expect(s.skippedEmpty).toBe(3);
    expect(s.samples).toBe(36);
    expect(s.files).toBe(39);
    const stats = path.join(o, 'statistics');
    expect(fs.readFileSync(path.join(stats, 'samples_with_missing_skeletons.txt'), 'utf8')).toBe(
      [...emptyNames].sort().join('\n'),
    );
    const available = fs.readFileSync(path.join(stats, 'skes_available_name.txt'), 'utf8');
    expect(available.split('\n')).toEqual(
      fs
        .readdirSync(raw)
        .map((f) => f.replace('.skeleton', ''))
        .sort(),
    );
    // The sample lists (checked above) and the summary counts are ours; everything upstream writes must match.
    const ref = tree(out, ['summary.json', 'statistics']);
    const got = tree(o, ['summary.json', 'statistics']);
    expect([...ref.keys()]).toEqual(expect.arrayContaining(['xsub/train_data.npy', 'raw_data/frames_cnt.txt']));
    expect([...got.keys()].sort()).toEqual([...ref.keys()].sort());
    for (const [rel, bytes] of ref) expect(got.get(rel)!.equals(bytes), rel).toBe(true);

    // --missing adds names by hand; the empty files need not be listed, and listing them changes nothing.
    const miss = path.join(root, 'missing-hand.txt');
    const handName = fs.readdirSync(raw).sort()[5].replace('.skeleton', '');
    fs.writeFileSync(miss, [emptyNames[0], handName].join('\n'));
    const o2 = path.join(root, 'out-empty-missing');
    const s2 = await prepareNtu({ raw: withEmpty, out: o2, missingFile: miss });
    expect(s2.samples).toBe(35);
    expect(s2.skippedEmpty).toBe(2);
    expect(s2.excludedByList).toBe(2);
    expect(fs.readFileSync(path.join(o2, 'statistics', 'samples_with_missing_skeletons.txt'), 'utf8')).toBe(
      [...emptyNames, handName].sort().join('\n'),
    );
    expect(readLabels(path.join(o2, 'xsub', 'train_label.pkl')).names).not.toContain(handName);
  });

  it('a folder of nothing but empty files is a named error and leaves nothing', async () => {
    const d = path.join(root, 'raw-only-empty');
    fs.mkdirSync(d);
    emptyNames.forEach((n, i) => fs.writeFileSync(path.join(d, `${n}.skeleton`), emptyTexts[i]));
    const o = path.join(root, 'out-only-empty');
    await expect(prepareNtu({ raw: d, out: o })).rejects.toMatchObject({
      code: 'E_RAW_EMPTY',
      message: expect.stringMatching(/every one of the 3 samples has no body in any frame/),
    });
    expect(fs.readdirSync(o)).toEqual([]);
  });
});

describe('statistics names file', () => {
  it('takes the sample list and order from skes_available_name.txt (CRLF, no final newline)', async () => {
    const st = path.join(root, 'statistics');
    fs.mkdirSync(st, { recursive: true });
    const all = fs
      .readdirSync(raw)
      .map((f) => f.replace('.skeleton', ''))
      .sort();
    const pick = all
      .filter((n) => n.includes('P001'))
      .slice(0, 5)
      .reverse();
    fs.writeFileSync(path.join(st, 'skes_available_name.txt'), pick.join('\r\n'));
    const o = path.join(root, 'out3');
    const s = await prepareNtu({ raw, out: o, benchmarks: ['xsub'], statisticsDir: st });
    expect(s.samples).toBe(5);
    expect(readLabels(path.join(o, 'xsub', 'train_label.pkl')).names).toEqual(pick);
    fs.writeFileSync(path.join(st, 'skes_available_name.txt'), [...pick, 'S017C003P040R002A060'].join('\n'));
    await expect(prepareNtu({ raw, out: path.join(root, 'out4'), statisticsDir: st })).rejects.toThrow(
      /1 listed samples have no \.skeleton file \(first: S017C003P040R002A060\.skeleton\)/,
    );
  });
});

describe('data ntu errors leave nothing behind', () => {
  const ID = '72057594037931101';
  const goodText = () =>
    skeletonText(Array.from({ length: 15 }, (_, f) => [{ id: ID, joints: standing(0, 0, 3, 0.01 * f) }]));
  const setup = (mutate?: (lines: string[]) => void) => {
    const d = tmp();
    const r = path.join(d, 'raw');
    fs.mkdirSync(r);
    fs.writeFileSync(path.join(r, 'S001C001P001R001A001.skeleton'), goodText());
    const lines = goodText().split('\n');
    mutate?.(lines);
    fs.writeFileSync(path.join(r, 'S001C002P003R001A002.skeleton'), lines.join('\n'));
    return { d, r, o: path.join(d, 'out') };
  };
  const expectError = async (argv: string[], code: string, msg: RegExp) => {
    let err: unknown;
    try {
      await ntuRun([...argv, '--quiet']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CodedError);
    expect((err as CodedError).code).toBe(code);
    expect((err as CodedError).exitCode).not.toBe(0);
    expect((err as CodedError).message).toMatch(msg);
  };
  const noPartial = (o: string) => {
    const left = fs.existsSync(o) ? fs.readdirSync(o, { recursive: true }) : [];
    expect(left).toEqual([]);
  };

  it('sanity: the fixture set itself converts', async () => {
    const { r, o } = setup();
    const s = await prepareNtu({ raw: r, out: o, benchmarks: ['xsub'] });
    expect(s.splits.xsub).toEqual({ train: 1, val: 1, none: 0 });
  });

  it('truncated file', async () => {
    const { r, o } = setup((l) => l.splice(100));
    await expectError(
      ['--raw', r, '--out', o],
      'E_SKELETON_FORMAT',
      /S001C002P003R001A002\.skeleton:101: unexpected end of file/,
    );
    noPartial(o);
  });

  it('wrong joint count', async () => {
    const { r, o } = setup((l) => (l[3] = '20'));
    await expectError(['--raw', r, '--out', o], 'E_SKELETON_FORMAT', /A002\.skeleton:4: expected 25 joints, got 20/);
    noPartial(o);
  });

  it('non-numeric field', async () => {
    const { r, o } = setup((l) => (l[33] = l[33].replace(/^\S+ \S+/, '0.1 nope')));
    await expectError(
      ['--raw', r, '--out', o],
      'E_SKELETON_FORMAT',
      /A002\.skeleton:34: expected y \(a number\), got "nope"/,
    );
    noPartial(o);
  });

  it('empty raw directory and missing raw directory', async () => {
    const d = tmp();
    fs.mkdirSync(path.join(d, 'raw'));
    await expectError(
      ['--raw', path.join(d, 'raw'), '--out', path.join(d, 'out')],
      'E_RAW_EMPTY',
      /no \.skeleton files found/,
    );
    noPartial(path.join(d, 'out'));
    await expectError(['--raw', path.join(d, 'nope'), '--out', path.join(d, 'out')], 'E_RAW_MISSING', /not found/);
  });

  it('unwritable output', async () => {
    const { d, r } = setup();
    const blocker = path.join(d, 'file');
    fs.writeFileSync(blocker, 'x');
    await expectError(
      ['--raw', r, '--out', path.join(blocker, 'out')],
      'E_OUTPUT_UNWRITABLE',
      /cannot create the output directory/,
    );
  });

  it('keeps earlier outputs intact when a later run fails', async () => {
    const { r, o } = setup();
    await prepareNtu({ raw: r, out: o, benchmarks: ['xsub'] });
    const before = fs.readFileSync(path.join(o, 'xsub', 'val_label.pkl'));
    // a staging directory of a killed run (no such process) is cleaned up by the next run
    fs.mkdirSync(path.join(o, '.ntu-staging-2147483646-abc', 'xsub'), { recursive: true });
    fs.appendFileSync(path.join(r, 'S001C002P003R001A002.skeleton'), 'garbage\n');
    await expectError(['--raw', r, '--out', o], 'E_SKELETON_FORMAT', /expected end of file after 15 frames/);
    expect(fs.readFileSync(path.join(o, 'xsub', 'val_label.pkl'))).toEqual(before);
    expect(fs.readdirSync(o).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
