import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { htmlPathFor, writeRunReport, writeWith, WRITERS } from './writers.js';
import { sampleReport } from './report.test-util.js';

const dirs: string[] = [];
const scratch = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'writers-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the report writers', () => {
  it('are named entries: json, html, junit, markdown, terminal', () => {
    expect(Object.keys(WRITERS)).toEqual(['json', 'html', 'junit', 'markdown', 'terminal']);
    for (const [key, w] of Object.entries(WRITERS)) expect(w.name).toBe(key);
  });

  it('each renders the same report in its own form', () => {
    const r = sampleReport();
    const ctx = { root: scratch() };
    expect(JSON.parse(WRITERS.json.render(r, ctx))).toEqual(r);
    expect(WRITERS.html.render(r, ctx)).toMatch(/^<!doctype html>[\s\S]*data-verdict="pass"/);
    expect(WRITERS.junit.render(r, ctx)).toMatch(/^<\?xml[\s\S]*<testsuites[\s\S]*name="size"/);
    expect(WRITERS.markdown.render(r, ctx)).toMatch(/^## ✅ TIPC M · lite_train_lite_infer: PASS/);
    expect(WRITERS.terminal.render(r, { ...ctx, table: { wide: true } })).toMatch(/PASS[\s\S]*size/);
  });

  it('json refuses a report that does not match the schema', () => {
    const bad = { ...sampleReport(), status: 'maybe' } as never;
    expect(() => WRITERS.json.render(bad, { root: '.' })).toThrow(/does not match/);
  });
});

describe('writeRunReport', () => {
  it('writes report.json and the report.html beside it, as the writers render them', () => {
    const dir = scratch();
    const r = sampleReport();
    const ctx = { root: dir };
    const w = writeRunReport(path.join(dir, 'sub', 'report.json'), r, ctx);
    expect(w).toEqual({
      jsonPath: path.join(dir, 'sub', 'report.json'),
      htmlPath: path.join(dir, 'sub', 'report.html'),
    });
    expect(readFileSync(w.jsonPath, 'utf8')).toBe(WRITERS.json.render(r, ctx));
    expect(readFileSync(w.htmlPath, 'utf8')).toBe(WRITERS.html.render(r, ctx));
    expect(readdirSync(path.join(dir, 'sub')).sort()).toEqual(['report.html', 'report.json']);
    expect(htmlPathFor('out/merged.json')).toBe('out/merged.html');
  });

  it('writes neither file (and leaves no temp file) when either cannot be rendered', () => {
    const dir = scratch();
    const bad = { ...sampleReport(), gates: 'none' } as never;
    expect(() => writeRunReport(path.join(dir, 'report.json'), bad, { root: dir })).toThrow(/does not match/);
    // A valid report whose page cannot be drawn (broken training records): no report.json alone.
    const broken = { steps: null, val: [] } as never;
    expect(() =>
      writeRunReport(path.join(dir, 'report.json'), sampleReport(), { root: dir, training: broken }),
    ).toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writeWith writes one writer’s output', () => {
    const dir = scratch();
    const r = sampleReport();
    writeWith('junit', path.join(dir, 'j.xml'), r, { root: dir });
    expect(readFileSync(path.join(dir, 'j.xml'), 'utf8')).toBe(WRITERS.junit.render(r, { root: dir }));
    expect(existsSync(path.join(dir, 'j.html'))).toBe(false);
  });
});
