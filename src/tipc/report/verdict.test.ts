import { describe, expect, it } from 'vitest';
import type { Gate } from '../gates/index.js';
import { headlineFigures } from './headline.js';
import type { Report } from './report.js';
import { figureText, verdictLines } from './verdict.js';

const gate = (name: string, status: Gate['status'], value: Gate['value'], threshold: Gate['threshold']): Gate => ({
  name,
  status,
  value,
  threshold,
  unit: 'x',
});

/** The parts of a report the verdict lines read. */
function report(status: 'pass' | 'fail', gates: Gate[]): Report {
  return {
    model: 'M',
    mode: 'lite_train_lite_infer',
    status,
    gates,
    summary: {
      pass: 6,
      fail: status === 'fail' ? 1 : 0,
      timeout: 0,
      skipped: 1,
      gatesPassed: gates.filter((g) => g.status === 'pass').length,
      gatesFailed: gates.filter((g) => g.status === 'fail').length,
      gatesNotSet: gates.filter((g) => g.status === 'not-set').length,
    },
  } as unknown as Report;
}

const ALL = [
  gate('size', 'pass', 2.5 * 1024 * 1024, 10 * 1024 * 1024),
  gate('accuracy', 'pass', 0.953, 0.9),
  gate('latency', 'fail', 0.6234, 0.5),
  gate('agreement[fp16]', 'pass', 1, 0.99),
  gate('agreement[int8]', 'pass', 0.9875, 0.99),
];

const figure = (gates: Gate[], key: string) => figureText(headlineFigures({ gates }).find((h) => h.key === key)!);

describe('headline figure text', () => {
  it('size in MiB against its budget, top-1 and agreement in %, latency as a multiple of CTRGCN', () => {
    expect(figure(ALL, 'size')).toBe('2.50 MiB, budget 10.00 MiB (gate size)');
    expect(figure(ALL, 'top1')).toBe('95.30 %, minimum 90.00 % (gate accuracy)');
    expect(figure(ALL, 'latency')).toBe("0.623× CTRGCN's p50 (upper bound), at most 0.5× (gate latency)");
    // The worst precision leads, and the text says there were several.
    expect(figure(ALL, 'agreement')).toBe(
      '98.75 % of samples agree, minimum 99.00 % (gate agreement[int8], worst of 2)',
    );
  });

  it('says what is missing instead of inventing a number', () => {
    expect(figure([gate('size', 'pass', 900, 1000)], 'size')).toBe('900 B, budget 1000 B (gate size)');
    expect(figure([gate('accuracy', 'not-set', 0.9, null)], 'top1')).toBe('90.00 %, no threshold (gate accuracy)');
    expect(figure([gate('latency', 'not-set', null, null)], 'latency')).toBe(
      'nothing measured, no threshold (gate latency)',
    );
    expect(figure([gate('accuracy', 'fail', 'NaN', '≥ 0.9')], 'top1')).toBe('NaN, ≥ 0.9 (gate accuracy)');
    expect(figure([], 'agreement')).toBe('not measured');
  });
});

describe('verdict lines', () => {
  it('the verdict with its counts first, then size, top-1, latency and agreement with their status', () => {
    const lines = verdictLines(report('fail', ALL)).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'TIPC M lite_train_lite_infer: FAIL  (6 passed, 1 failed, 0 timed out, 1 skipped; gates 4/5)',
    );
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}exported model size +PASS +2\.50 MiB, budget 10\.00 MiB/),
      expect.stringMatching(/^ {2}exported model top-1 +PASS +95\.30 %/),
      expect.stringMatching(/^ {2}latency vs CTRGCN +FAIL +0\.623×/),
      expect.stringMatching(/^ {2}quantised agreement with fp32 +PASS +98\.75 %/),
    ]);
    // The status and figure columns line up.
    const at = (re: RegExp) => lines.slice(1).map((l) => l.search(re));
    expect(new Set(at(/PASS|FAIL/)).size).toBe(1);
    expect(new Set(at(/\d[\d.]* ?(%|MiB|×)/)).size).toBe(1);
  });

  it('a run without those gates lists each figure as not measured', () => {
    const lines = verdictLines(report('pass', [])).trimEnd().split('\n');
    expect(lines[0]).toMatch(/: PASS {2}\(/);
    expect(lines.slice(1)).toHaveLength(4);
    for (const l of lines.slice(1)) expect(l).toMatch(/ NOT-MEASURED {2}not measured$/);
  });

  it('colours the verdict and status words only when asked', () => {
    expect(verdictLines(report('fail', ALL))).not.toContain('\x1b');
    const fail = verdictLines(report('fail', ALL), { color: true });
    expect(fail).toContain(': \x1b[1;31mFAIL\x1b[0m  (');
    expect(fail).toMatch(/latency vs CTRGCN +\x1b\[31mFAIL\x1b\[0m +0\.623×/);
    expect(fail).toMatch(/exported model size +\x1b\[32mPASS\x1b\[0m +2\.50 MiB/);
    expect(verdictLines(report('pass', []), { color: true })).toContain(': \x1b[1;32mPASS\x1b[0m  (');
    // Colour codes take no column: the figures start where they do without them.
    const plain = verdictLines(report('fail', ALL)).split('\n');
    const strip = (l: string) => l.replace(/\x1b\[[0-9;]*m/g, '');
    expect(fail.split('\n').map(strip)).toEqual(plain);
  });

  it('fits the width it is given: long figures wrap under their column', () => {
    const long = [gate('agreement[int8]@norm_train_gpus_-1_autocast_null_nodes_1', 'fail', 0.5, 0.99)];
    const text = verdictLines(report('fail', long), { width: 60 });
    for (const l of text.trimEnd().split('\n')) expect([...l].length).toBeLessThanOrEqual(60);
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.includes('quantised agreement'));
    const column = lines[first].indexOf('50.00 %');
    expect(lines[first + 1].search(/\S/)).toBe(column);
  });
});
