// Re-judging a finished chain (`tipc run PARAMS MODE --resume`: every step reused, the gates evaluated
// again) must fail when a threshold is taken out of gates.yaml or when the GT file is emptied: a gate
// with nothing to compare is never a pass.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChain, type ChainOptions } from './chain.js';
import { stubRoot } from './stub-chain.test-util.js';

const FIX = path.resolve(import.meta.dirname, '../__fixtures__');
const RULES = { train: { valTop1: 0.85 } };
const { root, params } = stubRoot();
afterAll(() => rmSync(root, { recursive: true, force: true }));
const gatesFile = path.join(path.dirname(params), 'gates.yaml');
const gtFile = path.join(root, 'gt/python_ppvideo_TIPC_STUB_results_fp32.txt');
const GT = 'Current video file: example.npy\n        top-1 class: 3\n        top-1 score: 0.25\n';

const run = (o: Partial<ChainOptions> = {}) =>
  runChain({
    params,
    mode: 'lite_train_lite_infer',
    root,
    gpuAvailable: false,
    timeoutSec: 60,
    env: { ...process.env, TIPC_STUB: JSON.stringify(RULES) },
    out: () => {},
    ...o,
  });
const gate = (r: Awaited<ReturnType<typeof run>>, n: string) => r.report.gates.find((g) => g.name === n)!;

describe('tipc run --resume re-judges a finished chain', () => {
  it('passes as it ran; fails once a threshold is removed or the GT file is emptied', async () => {
    copyFileSync(path.join(FIX, 'stub_gates.yaml'), gatesFile);
    mkdirSync(path.dirname(gtFile), { recursive: true });
    writeFileSync(gtFile, GT);
    const first = await run();
    expect(first.report.gates.filter((g) => g.status !== 'pass')).toEqual([]);
    expect(first.exitCode).toBe(0);

    const same = await run({ resume: true });
    const passed = (r: typeof same) => r.report.steps.filter((s) => s.status === 'pass').length;
    expect(same.report.resumed!.reused).toBe(passed(first)); // every step reused, nothing ran again
    expect(same.exitCode).toBe(0);

    // a threshold removed: latency and accuracy have nothing to compare with
    const shipped = readFileSync(gatesFile, 'utf8');
    writeFileSync(gatesFile, shipped.replace('maxRatioP50: 0.8', 'maxRatioP50: null'));
    const noLatency = await run({ resume: true });
    expect(noLatency.report.resumed!.reused).toBe(passed(first));
    expect(gate(noLatency, 'latency')).toMatchObject({ status: 'not-set', threshold: null });
    expect(noLatency.exitCode).toBe(1);
    writeFileSync(gatesFile, shipped.replace('    minTop1: 0.8\n', ''));
    const noTop1 = await run({ resume: true });
    expect(gate(noTop1, 'accuracy').status).toBe('not-set');
    expect(noTop1.exitCode).toBe(1);
    // … unless the not-set gates are explicitly made warnings, and then the report says so
    const allowed = await run({ resume: true, allowNotSet: true });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.report.allowNotSet).toBe(true);
    expect(allowed.report.notes!.join('\n')).toMatch(/--allow-not-set was used/);
    writeFileSync(gatesFile, shipped);

    // the GT file emptied, or left with only its `Current video file:` line
    for (const text of ['', 'Current video file: example.npy\n']) {
      writeFileSync(gtFile, text);
      const r = await run({ resume: true });
      expect(gate(r, 'golden').status, JSON.stringify(text)).toBe('fail');
      expect(gate(r, 'golden').value).toBeNull();
      expect(r.exitCode).toBe(1);
    }
    writeFileSync(gtFile, GT);
    expect((await run({ resume: true })).exitCode).toBe(0);
  });
});
