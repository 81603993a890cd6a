import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from './report.js';
import { summaryTable } from './terminal.js';
import { headlineFigures } from './headline.js';
import { stubChain } from '../run/stub-chain.test-util.js';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

let runs: Record<string, Report>;
beforeAll(async () => {
  runs = {
    pass: (await stubChain()).report,
    'predict fails': (await stubChain({ predict: { exit: 1 } })).report,
    'train times out': (await stubChain({ train: { hang: true } }, 1)).report,
  };
});

describe('terminal summary table', () => {
  it('fits 100 columns by default (long step names wrap, nothing is cut)', () => {
    for (const [what, r] of Object.entries(runs)) {
      const t = summaryTable(r);
      expect(widest(t), what).toBeLessThanOrEqual(100);
      expect(t, what).not.toContain('…');
      expect(t).toContain(`TIPC ${r.model} ${r.mode}: ${r.status.toUpperCase()}`);
      for (const s of r.steps) expect(t).toMatch(new RegExp(`║ +${s.id} │ \\S+ +│ ${s.status.toUpperCase()} `));
      for (const g of r.gates) expect(t).toMatch(new RegExp(`║ ${g.name} +│`));
    }
    // the stub's inference step names (≈ 85 characters) would not fit unwrapped
    expect(Math.max(...runs.pass.steps.map((s) => s.name.length))).toBeGreaterThan(80);
  });

  it('leads with the verdict and the headline figures, before the step table and the gate table', () => {
    for (const [what, r] of Object.entries(runs)) {
      const lines = summaryTable(r).split('\n');
      const first = (re: RegExp) => lines.findIndex((l) => re.test(l));
      const verdict = first(new RegExp(`^TIPC ${r.model} ${r.mode}: ${r.status.toUpperCase()}`));
      const figures = headlineFigures(r).map((h) => first(new RegExp(`^ {2}${h.label} +${h.status.toUpperCase()} `)));
      const stepTable = first(/│ step +│ status/);
      const gateTable = first(/║ gate +│ value/);
      expect(verdict, what).toBe(0);
      // The figures follow the verdict line(s), in headline order, all before either table.
      expect(
        figures.every((i) => i > verdict),
        what,
      ).toBe(true);
      expect(
        [...figures].sort((a, b) => a - b),
        what,
      ).toEqual(figures);
      expect(Math.max(...figures), what).toBeLessThan(stepTable);
      expect(stepTable, what).toBeLessThan(gateTable);
    }
    // The stub chain measures the exported size: its figure shows the number, the others say what is missing.
    const size = summaryTable(runs.pass)
      .split('\n')
      .find((l) => l.startsWith('  exported model size'));
    expect(size).toMatch(/PASS +\d+ B, budget 10\.00 MiB \(gate size\)$/);
  });

  it('colours only when asked (the caller applies the colour policy)', () => {
    expect(summaryTable(runs['predict fails'])).not.toContain('\x1b');
    expect(summaryTable(runs['predict fails'], { color: true })).toContain(': \x1b[1;31mFAIL\x1b[0m');
  });

  it('fits a narrower terminal too', () => {
    for (const r of Object.values(runs)) expect(widest(summaryTable(r, { width: 80 }))).toBeLessThanOrEqual(80);
  });

  it('--wide shows every column in full: exit code, whole names, notes and log paths', () => {
    const r = runs['train times out'];
    const t = summaryTable(r, { wide: true });
    expect(widest(t)).toBeGreaterThan(100);
    expect(t).toMatch(/│ exit │ time \(s\) │ note +│ log +║/);
    for (const s of r.steps) {
      expect(t).toContain(` ${s.name} `);
      expect(t).toContain(` ${s.stdout} `);
      if (s.reason) expect(t).toContain(` ${s.reason} `);
    }
    expect(t).toMatch(/│ TIMEOUT +│/);
    expect(t).toContain('│ detail');
  });
});
