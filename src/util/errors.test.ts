import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodedError, ERROR_CODES, errorTable } from './errors.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('errors.ts') ? [p] : [];
  });
}

describe('error registry', () => {
  it('has one naming style and a meaning for every code', () => {
    for (const r of errorTable()) {
      expect(r.code).toMatch(/^E_[A-Z0-9_]+$/);
      expect(r.meaning.length).toBeGreaterThan(10);
      expect([1, 2, 3]).toContain(r.exit);
    }
  });

  it('lists only codes the package raises', () => {
    const text = sources(path.resolve(import.meta.dirname, '..'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(ERROR_CODES).filter((c) => !text.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  it('takes its exit code from the registry unless given', () => {
    expect(new CodedError('E_USAGE', 'x').exitCode).toBe(2);
    expect(new CodedError('E_NPY', 'x').exitCode).toBe(1);
    expect(new CodedError('E_NPY', 'x', 4).exitCode).toBe(4);
  });
});
