import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFileWriter, writeFileAtomic } from './atomic-write.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));

describe('atomic writes', () => {
  it('writeFileAtomic replaces the target whole and leaves no temp file', () => {
    const d = tmp();
    const f = path.join(d, 'sub', 'out.txt');
    writeFileAtomic(f, 'one');
    writeFileAtomic(f, new Uint8Array([0x74, 0x77, 0x6f]));
    expect(fs.readFileSync(f, 'utf8')).toBe('two');
    expect(fs.readdirSync(path.dirname(f))).toEqual(['out.txt']);
  });

  it('a streamed file appears only on commit; abort leaves the old target and no temp file', () => {
    const d = tmp();
    const f = path.join(d, 'big.bin');
    fs.writeFileSync(f, 'old');
    const w = new AtomicFileWriter(f);
    w.write(Buffer.from('new '));
    w.write(Buffer.from('data'));
    expect(w.bytesWritten).toBe(8);
    expect(fs.readFileSync(f, 'utf8')).toBe('old');
    w.commit();
    expect(fs.readFileSync(f, 'utf8')).toBe('new data');
    const w2 = new AtomicFileWriter(f);
    w2.write(Buffer.from('half'));
    w2.abort();
    w2.abort();
    expect(fs.readFileSync(f, 'utf8')).toBe('new data');
    expect(fs.readdirSync(d)).toEqual(['big.bin']);
    expect(() => w2.write(Buffer.from('x'))).toThrow(/write after commit\/abort/);
  });

  it('a failed write removes its temp file and keeps the target', () => {
    const d = tmp();
    const f = path.join(d, 'x.txt');
    fs.writeFileSync(f, 'keep');
    fs.mkdirSync(path.join(d, 'dir'));
    // renaming a file over a directory fails: nothing is left behind
    expect(() => writeFileAtomic(path.join(d, 'dir'), 'data')).toThrow();
    expect(fs.readdirSync(d).sort()).toEqual(['dir', 'x.txt']);
  });
});
