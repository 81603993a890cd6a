import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeOutputs } from './writers.js';
import type { Report } from './report.js';
import { markdownSummary } from './ci-summary.js';
import { stubChain } from '../run/stub-chain.test-util.js';

let pass: { root: string; report: Report };
let fail: { root: string; report: Report };
beforeAll(async () => {
  pass = await stubChain();
  fail = await stubChain({ predict: { exit: 1 } });
});

describe('Markdown summary', () => {
  it('has the verdict, every step and gate, and the log tail of each failed step', () => {
    const md = markdownSummary(fail.report, { root: fail.root });
    expect(md.split('\n')[0]).toBe('## ❌ TIPC TIPC_STUB · lite_train_lite_infer: FAIL');
    expect(md).toContain('**Why it failed:**');
    for (const s of fail.report.steps)
      expect(md).toMatch(new RegExp(`^\\| ${s.id} \\| \`${s.name}\` \\| .* ${s.status.toUpperCase()} \\|`, 'm'));
    for (const g of fail.report.gates) expect(md).toMatch(new RegExp(`^\\| ${g.name} \\|`, 'm'));
    const failed = fail.report.steps.filter((s) => s.status === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    expect(md.match(/<details><summary>❌ /g)).toHaveLength(failed.length);
    expect(md).toContain('[stub] stderr line of predict');
    const ok = markdownSummary(pass.report, { root: pass.root });
    expect(ok.split('\n')[0]).toBe('## ✅ TIPC TIPC_STUB · lite_train_lite_infer: PASS');
    expect(ok).not.toContain('<details>');
    expect(ok).not.toContain('Why it failed');
  });

  it('keeps table cells on one line with pipes escaped', () => {
    const r: Report = { ...pass.report, steps: pass.report.steps.map((s, i) => (i ? s : { ...s, reason: 'a|b\nc' })) };
    expect(markdownSummary(r, { root: pass.root })).toMatch(/\| a\\\|b c \|$/m);
  });
});

describe('report outputs', () => {
  it('appends the summary to $GITHUB_STEP_SUMMARY when it is set, and writes --junit/--markdown files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
    const summary = path.join(dir, 'step_summary.md');
    writeFileSync(summary, '# earlier step\n');
    const junit = path.join(dir, 'j.xml');
    const md = path.join(dir, 's.md');
    const written = writeOutputs(fail.report, {
      root: fail.root,
      junit,
      markdown: md,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(written).toEqual([`junit:  ${junit}`, `markdown: ${md}`, `step summary: ${summary}`]);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## ❌ TIPC TIPC_STUB')).toBe(true);
    expect(readFileSync(md, 'utf8')).toBe(text.slice('# earlier step\n'.length));
    expect(readFileSync(junit, 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  });

  it('writes nothing without flags or $GITHUB_STEP_SUMMARY; "-" prints the Markdown', () => {
    expect(writeOutputs(pass.report, { root: pass.root, env: {} })).toEqual([]);
    let printed = '';
    const written = writeOutputs(pass.report, {
      root: pass.root,
      markdown: '-',
      env: {},
      print: (t) => (printed += t),
    });
    expect(written).toEqual([]);
    expect(printed.startsWith('## ✅ TIPC')).toBe(true);
    expect(existsSync('-')).toBe(false);
  });
});
