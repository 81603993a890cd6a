import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultGates, readParamsFile, toTyped, typedToYaml } from '../params/index.js';
import { regressionThresholds } from './thresholds.js';
import { historyReport } from './reports.test-util.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'history-thresholds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const STUB_PARAMS = path.resolve(import.meta.dirname, '../__fixtures__/stub_params.txt');
const DEFAULTS = defaultGates().regression;
const at = '2026-01-01T00:00:00Z';

function writeAt(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

describe('regressionThresholds', () => {
  it("takes the values of the run's own regression gates when it recorded all three", () => {
    const gate = (name: string, threshold: number) => ({
      name,
      value: 0,
      threshold,
      unit: '',
      status: 'pass' as const,
    });
    const r = historyReport({
      startedAt: at,
      gatesSource: 'nowhere/gates.yaml',
      gates: [gate('regression[size]', 0.2), gate('regression[accuracy]', 0.03), gate('regression[latency]', 0.4)],
    });
    expect(regressionThresholds(r, root)).toEqual({
      maxSizeGrowth: 0.2,
      maxTop1Drop: 0.03,
      maxLatencySlowdown: 0.4,
      source: "the run's regression gates",
    });
  });

  it('reads gates.regression from the gates file the report names, relative to the root', () => {
    writeAt('cfg/A/gates.yaml', 'gates:\n  regression:\n    maxSizeGrowth: 0.05\n');
    const t = regressionThresholds(historyReport({ startedAt: at, gatesSource: 'cfg/A/gates.yaml' }), root);
    expect(t).toEqual({ ...DEFAULTS, maxSizeGrowth: 0.05, source: 'cfg/A/gates.yaml' });
  });

  it("reads a typed params file's own gates section (FILE#gates)", () => {
    const typed = toTyped(readParamsFile(STUB_PARAMS));
    writeAt('cfg/B/params.yaml', typedToYaml({ ...typed, gates: { regression: { maxTop1Drop: 0.02 } } }));
    const t = regressionThresholds(historyReport({ startedAt: at, gatesSource: 'cfg/B/params.yaml#gates' }), root);
    expect(t).toEqual({ ...DEFAULTS, maxTop1Drop: 0.02, source: 'cfg/B/params.yaml#gates' });
    // Not a params file: the defaults, with why.
    writeAt('cfg/D/params.yaml', 'gates:\n  regression:\n    maxTop1Drop: 0.02\n');
    const bad = regressionThresholds(historyReport({ startedAt: at, gatesSource: 'cfg/D/params.yaml#gates' }), root);
    expect(bad.maxTop1Drop).toBe(DEFAULTS.maxTop1Drop);
    expect(bad.source).toMatch(/^defaults \(cfg\/D\/params\.yaml#gates: /);
  });

  it('falls back to the defaults (saying why) when the gates file is gone, and when none was recorded', () => {
    const gone = regressionThresholds(historyReport({ startedAt: at, gatesSource: 'cfg/Z/gates.yaml' }), root);
    expect(gone).toEqual({ ...DEFAULTS, source: `defaults (cfg/Z/gates.yaml not found under ${root})` });
    expect(regressionThresholds(historyReport({ startedAt: at }), root)).toEqual({ ...DEFAULTS, source: 'defaults' });
    expect(regressionThresholds(historyReport({ startedAt: at, gatesSource: 'defaults' }), root).source).toBe(
      'defaults',
    );
  });

  it('an invalid gates file gives the defaults with its error, not a crash', () => {
    writeAt('cfg/C/gates.yaml', 'gates:\n  regression:\n    maxSizeGrowth: -1\n');
    const t = regressionThresholds(historyReport({ startedAt: at, gatesSource: 'cfg/C/gates.yaml' }), root);
    expect(t.maxSizeGrowth).toBe(DEFAULTS.maxSizeGrowth);
    expect(t.source).toMatch(/^defaults \(cfg\/C\/gates\.yaml: .*invalid gates/);
  });
});
