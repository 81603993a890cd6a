import { describe, expect, it } from 'vitest';
import { canRedraw, colorFor, forTerminal, isTerminal, paint, sgr, stripAnsi } from './color.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('colour policy', () => {
  it('colours a terminal, not a pipe', () => {
    expect(colorFor(tty, {})).toBe(true);
    expect(colorFor(pipe, {})).toBe(false);
    expect(colorFor({}, {})).toBe(false);
    expect(colorFor(undefined, {})).toBe(false);
  });

  it('NO_COLOR (any non-empty value) turns colour off, even with FORCE_COLOR', () => {
    expect(colorFor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorFor(tty, { NO_COLOR: 'no' })).toBe(false);
    expect(colorFor(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    // An empty NO_COLOR is not set.
    expect(colorFor(tty, { NO_COLOR: '' })).toBe(true);
  });

  it('FORCE_COLOR (non-empty, not "0") colours a pipe; "0" or "false" turns a terminal off', () => {
    expect(colorFor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorFor(pipe, { FORCE_COLOR: '3' })).toBe(true);
    expect(colorFor(pipe, { FORCE_COLOR: 'true' })).toBe(true);
    expect(colorFor(pipe, { FORCE_COLOR: '' })).toBe(false);
    expect(colorFor(pipe, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorFor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorFor(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorFor(tty, { FORCE_COLOR: '' })).toBe(true);
  });

  it('TERM=dumb gets no colour unless forced', () => {
    expect(colorFor(tty, { TERM: 'dumb' })).toBe(false);
    expect(colorFor(tty, { TERM: 'dumb', FORCE_COLOR: '1' })).toBe(true);
    expect(colorFor(tty, { TERM: 'xterm-256color' })).toBe(true);
  });

  it("stderr behind the launcher's filter is a terminal when CTRGCN_STDERR_TTY=1 (stderr only)", () => {
    const had = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    try {
      expect(isTerminal(process.stderr, {})).toBe(false);
      expect(isTerminal(process.stderr, { CTRGCN_STDERR_TTY: '1' })).toBe(true);
      expect(colorFor(process.stderr, { CTRGCN_STDERR_TTY: '1' })).toBe(true);
      expect(isTerminal(pipe, { CTRGCN_STDERR_TTY: '1' })).toBe(false);
    } finally {
      if (had) Object.defineProperty(process.stderr, 'isTTY', had);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });

  it('redraws only on a terminal, whatever FORCE_COLOR says', () => {
    expect(canRedraw(tty, {})).toBe(true);
    expect(canRedraw(tty, { NO_COLOR: '1' })).toBe(true);
    expect(canRedraw(pipe, { FORCE_COLOR: '1' })).toBe(false);
  });
});

describe('painting and stripping', () => {
  it('paints only when on', () => {
    expect(paint('ok', 32, true)).toBe('\x1b[32mok\x1b[0m');
    expect(paint('ok', '1;31', true)).toBe('\x1b[1;31mok\x1b[0m');
    expect(paint('ok', 32, false)).toBe('ok');
    expect(sgr(33)).toBe('\x1b[33m');
  });

  it('strips colours, cursor moves, line clears and OSC titles; keeps the text and its spaces', () => {
    expect(stripAnsi('\x1b[33m Run successfully - a \x1b[0m')).toBe(' Run successfully - a ');
    expect(stripAnsi('a\x1b[2Kb\x1b[1A\x1b[?25lc\x1b[38;5;10md')).toBe('abcd');
    expect(stripAnsi('\x1b]0;title\x07x\x1b]8;;http://a\x1b\\y')).toBe('xy');
    expect(forTerminal('\x1b[33m x \x1b[0m', false)).toBe(' x ');
    expect(forTerminal('\x1b[33m x \x1b[0m', true)).toBe('\x1b[33m x \x1b[0m');
  });
});
