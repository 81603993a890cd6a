import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PyTuple, pickleDump, unpickle, type PyNdarray } from '../util/pickle.js';
import { openSplit, readLabels, writeLabelPickle } from './labels.js';
import { NpyStreamWriter, writeNpy } from './npy.js';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'labels-'));
const names = ['S001C001P001R001A001', 'S001C002P003R002A050'];

describe('label files', () => {
  it('writes [names |S20, labels <i8] ndarrays and reads them back', () => {
    const f = path.join(dir(), 'train_label.pkl');
    writeLabelPickle(f, names, [0, 49]);
    const raw = unpickle(fs.readFileSync(f)) as [PyNdarray, PyNdarray];
    expect(raw[0]).toMatchObject({ kind: 'ndarray', dtype: '|S20', shape: [2] });
    expect(raw[1]).toMatchObject({ kind: 'ndarray', dtype: '<i8', shape: [2] });
    expect(raw[1].data).toBeInstanceOf(BigInt64Array);
    expect(readLabels(f)).toEqual({ names, labels: [0, 49] });
    expect(fs.readdirSync(path.dirname(f))).toEqual(['train_label.pkl']);
  });

  it('accepts plain lists, tuples, bytes names and NumPy int64 scalars', () => {
    const d = dir();
    const forms: unknown[] = [
      [names, [0, 49]],
      new PyTuple([names, [0, 49]]),
      [names.map((n) => Buffer.from(n)), [0n, 49n]],
      [
        names,
        [
          { kind: 'scalar', dtype: '<i8', value: 0 },
          { kind: 'scalar', dtype: '<i8', value: 49 },
        ],
      ],
    ];
    forms.forEach((v, i) => {
      for (const protocol of [2, 4] as const) {
        const f = path.join(d, `l${i}_${protocol}.pkl`);
        fs.writeFileSync(f, pickleDump(v, { protocol }));
        expect(readLabels(f)).toEqual({ names, labels: [0, 49] });
      }
    });
  });

  it('reads .npy label files (no names) by extension', () => {
    const f = path.join(dir(), 'FSD_train_label.npy');
    writeNpy(f, '<i8', [3], BigInt64Array.from([2n, 0n, 1n]));
    expect(readLabels(f)).toEqual({ names: ['0', '1', '2'], labels: [2, 0, 1] });
  });

  it('names the file for bad content', () => {
    const d = dir();
    const f = path.join(d, 'bad.pkl');
    fs.writeFileSync(f, pickleDump({ a: 1 }));
    expect(() => readLabels(f)).toThrow(/bad\.pkl: expected a pickled \[names, labels\] pair/);
    fs.writeFileSync(f, pickleDump([names, [0]]));
    expect(() => readLabels(f)).toThrow(/bad\.pkl: 2 names but 1 labels/);
    fs.writeFileSync(f, pickleDump([names, [0, -1]]));
    expect(() => readLabels(f)).toThrow(/bad\.pkl: label 1 is not a non-negative integer/);
    fs.writeFileSync(f, Buffer.from("cos\nsystem\n(S'echo pwned'\ntR.", 'latin1'));
    expect(() => readLabels(f)).toThrow(/refusing to load pickle that references "os.system"/);
    expect(() => readLabels(path.join(d, 'none.pkl'))).toThrow(/none\.pkl: label file not found/);
  });

  it('openSplit checks that data and label counts agree', () => {
    const d = dir();
    const data = path.join(d, 'val_data.npy');
    const w = new NpyStreamWriter(data, 2, [3, 300, 25, 2]);
    w.write(new Float32Array(45000).fill(1));
    w.write(new Float32Array(45000));
    w.finish();
    const lab = path.join(d, 'val_label.pkl');
    writeLabelPickle(lab, names, [0, 49]);
    const s = openSplit(data, lab);
    expect(s.reader.count).toBe(2);
    expect(s.reader.read(0)[0]).toBe(1);
    expect(s.labels).toEqual([0, 49]);
    s.reader.close();
    writeLabelPickle(lab, names.slice(0, 1), [0]);
    expect(() => openSplit(data, lab)).toThrow(/val_data\.npy holds 2 samples but .*val_label\.pkl has 1 labels/);
  });
});
