import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  blockNestingDepth,
  checkDeclaredSize,
  checkLines,
  decodeUtf8,
  flowNestingDepth,
  readFileBounded,
  shapeElements,
} from './file-limits.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'limits-'));
const lim = { what: 'thing', maxBytes: 1000, code: 'E_FILE_UNREADABLE', missingCode: 'E_INPUT_MISSING' } as const;
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return `${(e as { code?: string }).code}: ${(e as Error).message}`;
  }
  return 'no error';
};

describe('readFileBounded', () => {
  it('names the file and refuses missing, directories, link loops and files over the limit before reading', () => {
    const d = tmp();
    expect(codeOf(() => readFileBounded(path.join(d, 'nope'), lim))).toMatch(
      /^E_INPUT_MISSING: thing .*nope does not exist/,
    );
    expect(codeOf(() => readFileBounded(d, lim))).toMatch(/^E_FILE_UNREADABLE: thing .* is a directory/);
    fs.symlinkSync('loop', path.join(d, 'loop'));
    expect(codeOf(() => readFileBounded(path.join(d, 'loop'), lim))).toMatch(
      /^E_FILE_UNREADABLE: .*symbolic-link loop/,
    );
    fs.writeFileSync(path.join(d, 'big'), '');
    fs.truncateSync(path.join(d, 'big'), 5000);
    expect(codeOf(() => readFileBounded(path.join(d, 'big'), lim))).toMatch(
      /^E_FILE_TOO_LARGE: thing .*big has 5000 bytes/,
    );
    fs.writeFileSync(path.join(d, 'ok'), 'fine');
    expect(readFileBounded(path.join(d, 'ok'), lim).toString()).toBe('fine');
  });
});

describe('decodeUtf8', () => {
  it('drops a UTF-8 BOM, refuses UTF-16, NUL bytes and invalid sequences with their offset', () => {
    expect(decodeUtf8(Buffer.from('\ufeffa: 1', 'utf8'), 'f', 'x')).toBe('a: 1');
    expect(codeOf(() => decodeUtf8(Buffer.from([0xff, 0xfe, 0x61, 0]), 'f', 'x'))).toMatch(
      /^E_TEXT_ENCODING: .*UTF-16/,
    );
    expect(codeOf(() => decodeUtf8(Buffer.from('ab\0c'), 'f', 'x'))).toMatch(/NUL byte at offset 2/);
    expect(codeOf(() => decodeUtf8(Buffer.from([0x61, 0x62, 0xc3, 0x28]), 'f', 'x'))).toMatch(
      /bad byte 0xc3 at offset 2/,
    );
  });
});

describe('declared sizes and nesting', () => {
  it('checks a declared size against the bytes available, and shapes against 2^53', () => {
    expect(() => checkDeclaredSize('E_NPY', 'f', 'len', 10, 10)).not.toThrow();
    expect(codeOf(() => checkDeclaredSize('E_NPY', 'f', 'the length field', 11n, 10))).toBe(
      'E_NPY: f: the length field declares 11 bytes, but only 10 bytes follow in the file',
    );
    expect(shapeElements([3, 300, 25, 2], 'E_NPY', 'f', 'shape')).toBe(45000);
    expect(codeOf(() => shapeElements([2 ** 40, 2 ** 20], 'E_NPY', 'f', 'shape'))).toMatch(
      /more elements than any file/,
    );
    expect(codeOf(() => shapeElements([-1], 'E_NPY', 'f', 'shape'))).toMatch(/bad dimension -1/);
  });

  it('measures flow nesting outside quotes and comments, and block nesting', () => {
    expect(flowNestingDepth('a: [[1, {b: 2}]]')).toBe(3);
    expect(flowNestingDepth(`a: "[[[[" # [[[[\nb: '{{{'`)).toBe(0);
    expect(blockNestingDepth('a:\n  b:\n    c: 1\n')).toBe(2);
    expect(blockNestingDepth('- - - x\n')).toBe(3);
  });

  it('limits lines and their length', () => {
    expect(() => checkLines('a\nb\n', 'E_PARAMS_INVALID', 'p', 'params file', 3, 10)).not.toThrow();
    expect(codeOf(() => checkLines('a\nb\nc\nd', 'E_PARAMS_INVALID', 'p', 'params file', 3, 10))).toMatch(
      /more than 3 lines/,
    );
    expect(codeOf(() => checkLines('a\n' + 'x'.repeat(11), 'E_PARAMS_INVALID', 'p', 'params file', 3, 10))).toMatch(
      /p:2: line of 11 characters/,
    );
  });
});
