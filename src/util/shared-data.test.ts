import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingSharedDataError, SHARED_ROOT, sharedPath } from './shared-data.test-util.js';

const REPO = path.resolve(import.meta.dirname, '../..');

/** Test files still being rewritten elsewhere; each holds a `skipIf` on missing golden data. */

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : testFiles(p);
    return e.name.endsWith('.test.ts') ? [path.relative(REPO, p)] : [];
  });
}

describe('shared test data is required, loudly', () => {
  it('names the missing path, with or without CI=true', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-'));
    for (const ci of ['true', undefined]) {
      const old = process.env.CI;
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
      try {
        expect(() => sharedPath('golden/nope/case.json', root)).toThrow(MissingSharedDataError);
        expect(() => sharedPath('golden/nope/case.json', root)).toThrow(
          `missing test data: ${path.join(root, 'golden/nope/case.json')} does not exist`,
        );
      } finally {
        if (old === undefined) delete process.env.CI;
        else process.env.CI = old;
      }
    }
    fs.writeFileSync(path.join(root, 'there.txt'), 'x');
    expect(sharedPath('there.txt', root)).toBe(path.join(root, 'there.txt'));
  });

  it('the shared folder of this checkout is present', () => {
    expect(sharedPath('golden/README.md')).toBe(path.join(SHARED_ROOT, 'golden/README.md'));
  });

  // The one exception, and why: a machine where no Chromium can be installed cannot run the page tests
  // (.ci/run names the failed install; without that reason a missing browser in CI fails them:
  // test/browser/chromium.test-util.ts).
  const ALLOWED_SKIPS: Record<string, string> = Object.fromEntries(
    ['report-html', 'compare-html', 'report-history-html'].map((t) => [
      path.join('test', 'browser', `${t}.test.ts`),
      'no Chromium binary could be installed',
    ]),
  );

  it('no test skips itself (skipIf / .skip / existsSync guards on data)', () => {
    const offenders: string[] = [];
    for (const f of [...testFiles(path.join(REPO, 'src')), ...testFiles(path.join(REPO, 'test'))]) {
      if (f in ALLOWED_SKIPS) continue;
      const text = fs.readFileSync(path.join(REPO, f), 'utf8');
      if (/\b(?:it|test|describe)(?:\.concurrent)?\.(?:skip|skipIf|runIf|todo)\b/.test(text)) offenders.push(f);
      else if (/existsSync\([^)]*(?:GOLDEN|FIXTURE|SHARED|shared|golden)/.test(text)) offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });
});
