import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RECORDS_ENV } from '../../contracts/index.js';
import { createLiveView, liveModeFor, progressBar, progressText, readProgress, setLiveView } from './live-view.js';
import { execTo } from './runner.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-view-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => setLiveView(undefined));

const step = (epoch: number, iter: number) =>
  JSON.stringify({ v: 1, kind: 'train_step', epoch, iter, loss: 2.5 - iter / 10, epochs: 2, steps: 15 });

describe('progress from the chain records', () => {
  it('reads the last train step, ignoring a partial last line', () => {
    const f = path.join(tmp, 'r.jsonl');
    writeFileSync(f, `${step(1, 4)}\n${step(2, 9)}\n{"v":1,"kind":"train_st`);
    const p = readProgress(f);
    expect(p).toMatchObject({ epoch: 2, epochs: 2, step: 10, steps: 15, last: 'train_step' });
    expect(progressText(p)).toBe('epoch 2/2 step 10/15 loss 1.600');
    // (15 + 10) of 30 steps
    expect(progressBar(p, 12)).toBe('[##########..] 83%');
  });

  it('says nothing for a missing file and names the last record of other commands', () => {
    expect(readProgress(path.join(tmp, 'none.jsonl'))).toEqual({});
    const f = path.join(tmp, 'e.jsonl');
    writeFileSync(f, '{"v":1,"kind":"export","file":"x"}\n');
    expect(progressText(readProgress(f))).toBe('last record: export');
    expect(progressBar(readProgress(f))).toBe('');
  });

  it('uses plain lines under CI or without a terminal', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    expect(liveModeFor(tty, { CI: 'true' })).toBe('plain');
    expect(liveModeFor(tty, {})).toBe('tty');
    expect(liveModeFor({ isTTY: false } as NodeJS.WriteStream, {})).toBe('plain');
  });
});

// A child that reports one training step and keeps running for a while, writing to its stdout.
const CHILD = [
  process.execPath,
  '-e',
  `require('fs').appendFileSync(process.env.${RECORDS_ENV}, ${JSON.stringify(step(1, 2))} + '\\n');` +
    "console.log('CHILD OUTPUT'); setTimeout(() => {}, 700);",
];

describe('live view around a running command', () => {
  it('plain: a start line and timestamped progress lines; the child output stays in its log', async () => {
    const lines: string[] = [];
    setLiveView(createLiveView({ mode: 'plain', intervalMs: 150, write: (l) => lines.push(l) }));
    const rec = path.join(tmp, 'plain.jsonl');
    const log = path.join(tmp, 'plain.log');
    const ex = await execTo(CHILD, log, tmp, { ...process.env, [RECORDS_ENV]: rec }, 30, 'train:x');
    expect(ex.exitCode).toBe(0);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] train:x: started$/);
    expect(lines.slice(1).join('\n')).toMatch(/train:x: running \d+ s, epoch 1\/2 step 3\/15 loss/);
    expect(lines.join('\n')).not.toContain('CHILD OUTPUT');
    expect(readFileSync(log, 'utf8')).toContain('CHILD OUTPUT');
  });

  it('tty: one redrawn line with the bar, erased when the step ends', async () => {
    let written = '';
    const stream = {
      isTTY: true,
      columns: 90,
      write: (s: string) => {
        written += s;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    setLiveView(createLiveView({ mode: 'tty', stream }));
    const rec = path.join(tmp, 'tty.jsonl');
    await execTo(CHILD, path.join(tmp, 'tty.log'), tmp, { ...process.env, [RECORDS_ENV]: rec }, 30, 'train:y');
    expect(written).toMatch(/train:y {2}\d+ s {2}\[#+\.+\] 10% {2}epoch 1\/2 step 3\/15/);
    expect(written).not.toContain('CHILD OUTPUT');
    // The last thing written erases the line (ANSI erase-line), so the result line starts clean.
    expect(written.slice(-40)).toMatch(/\u001b\[2K/);
  });

  it('tty asked for on a stream that is not a terminal (a pipe): plain lines, no escape code, no redraw', async () => {
    let written = '';
    const stream = {
      isTTY: false,
      columns: 90,
      write: (s: string) => {
        written += s;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    setLiveView(createLiveView({ mode: 'tty', stream, intervalMs: 150, env: {} }));
    const rec = path.join(tmp, 'pipe.jsonl');
    await execTo(CHILD, path.join(tmp, 'pipe.log'), tmp, { ...process.env, [RECORDS_ENV]: rec }, 30, 'train:z');
    expect(written).toMatch(/^\[\d\d:\d\d:\d\d\] train:z: started\n/);
    expect(written).toMatch(/train:z: running \d+ s, epoch 1\/2 step 3\/15/);
    expect(written).not.toMatch(/[\u001b\r]/);
  });
});
