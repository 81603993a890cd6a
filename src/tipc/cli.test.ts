import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../cli/main.js';
import { sharedPath } from '../util/shared-data.test-util.js';

const REF = sharedPath('fixtures/tipc-reference');
const CTR = path.join(REF, 'zpc-666_CTRGCN_Light/CTRGCN_light_joint');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tipc-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('ctrgcn tipc plan --json', () => {
  for (const [mode, gpu, file, driver] of [
    ['lite_train_lite_infer', undefined, 'train_infer_python.lite_train_lite_infer.json', 'head'],
    ['whole_infer', '0', 'train_infer_python.whole_infer.gpu0.repo-driver.json', 'legacy'],
    ['lite_train_whole_infer', undefined, 'train_infer_python.lite_train_whole_infer.repo-driver.json', 'legacy'],
  ] as const) {
    it(`${file}`, async () => {
      const { code, out } = await cli([
        'tipc',
        'plan',
        path.join(CTR, 'train_infer_python.txt'),
        mode,
        ...(gpu ? [gpu] : []),
        '--json',
        '--driver',
        driver,
      ]);
      expect(code).toBe(0);
      const plan = JSON.parse(out) as { kind: string; argv: string[]; command: string; log: string; env: object }[];
      const ref = JSON.parse(readFileSync(path.join(CTR, file), 'utf8'));
      expect(plan.map((s) => s.argv)).toEqual(ref.invocations.map((i: { argv: string[] }) => i.argv));
      expect(plan.map((s) => s.env)).toEqual(ref.invocations.map((i: { env: object }) => i.env));
      expect(plan.map((s) => s.command)).toEqual(ref.shell_commands);
      expect(plan.map((s) => s.log)).toEqual(ref.results_log_paths);
    });
  }
  it('usage and config errors are precise', async () => {
    const bad = await cli(['tipc', 'plan', path.join(CTR, 'train_infer_python.txt'), 'lite']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/error \[E_MODE\]: unknown mode "lite"/);
    const broken = path.join(tmp, 'broken.txt');
    writeFileSync(
      broken,
      readFileSync(path.join(CTR, 'train_infer_python.txt'), 'utf8').replace(
        'trainer:norm_train\n',
        'trainers:norm_train\n',
      ),
    );
    const r = await cli(['tipc', 'plan', broken, 'lite_train_lite_infer']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${broken}:15: error [wrong-key] positional line 15 must be \`trainer\`, found \`trainers\``,
    );
  });
});

describe('ctrgcn tipc convert', () => {
  it('txt → yaml → txt round trip; yaml plans like the txt', async () => {
    const y = path.join(tmp, 'p.yaml');
    const t = path.join(tmp, 'p.txt');
    expect((await cli(['tipc', 'convert', path.join(CTR, 'train_infer_python.txt'), y])).code).toBe(0);
    expect(readFileSync(y, 'utf8')).toContain('model_name:\n    key: model_name\n    value: CTRGCN_light_joint');
    expect((await cli(['tipc', 'convert', y, t])).code).toBe(0);
    expect(readFileSync(t, 'utf8')).toBe(readFileSync(path.join(CTR, 'train_infer_python.txt'), 'utf8'));
    const a = await cli(['tipc', 'plan', y, 'lite_train_lite_infer', '--json']);
    const b = await cli(['tipc', 'plan', path.join(CTR, 'train_infer_python.txt'), 'lite_train_lite_infer', '--json']);
    expect(a.out).toBe(b.out);
  });
  it('--check lints with 1-based lines', async () => {
    const f = path.join(tmp, 'blank.txt');
    writeFileSync(
      f,
      readFileSync(path.join(CTR, 'train_infer_python.txt'), 'utf8').replace('gpu_list:0\n', 'gpu_list:0\n\n'),
    );
    const r = await cli(['tipc', 'convert', f, '--check']);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      `${f}:5: warning [blank-line] blank line: the driver drops it before indexing, so it does not count as a positional line\n`,
    );
  });
});

describe('ctrgcn tipc report', () => {
  const base = {
    schemaVersion: 2,
    model: 'M',
    mode: 'lite_train_lite_infer',
    params: 'p.txt',
    driver: 'head',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 10,
    strict: false,
    gates: [{ name: 'size', value: 10, threshold: 20, unit: 'B', status: 'pass' }],
    measurements: { sizes: [], accuracy: [], latency: [], training: [], certified: [] },
    artifacts: [{ path: 'd/inference.onnx', bytes: 10 }],
    environment: {
      node: 'v20',
      platform: 'linux-x64',
      backends: [],
      cpu: 'cpu',
      cpus: 2,
      threads: 1,
      gpu: { available: false, reason: 'none' },
    },
  };
  const step = (id: number, shard: number) => ({
    id,
    name: `infer:c${id}`,
    kind: 'infer',
    origin: 'driver',
    command: 'c',
    argv: ['c'],
    exitCode: 0,
    durationMs: 1,
    log: `l${id}`,
    status: 'pass',
    records: `l${id}.records.jsonl`,
    shard,
  });
  it('--merge writes the merged report + HTML and exits by its status', async () => {
    const r1 = path.join(tmp, 'r1.json');
    const r2 = path.join(tmp, 'r2.json');
    writeFileSync(
      r1,
      JSON.stringify({
        ...base,
        status: 'pass',
        shards: [{ index: 1, count: 2 }],
        steps: [step(0, 1)],
        summary: { pass: 1, fail: 0, skipped: 0, timeout: 0, gatesPassed: 1, gatesFailed: 0, gatesNotSet: 0 },
      }),
    );
    writeFileSync(
      r2,
      JSON.stringify({
        ...base,
        status: 'pass',
        shards: [{ index: 2, count: 2 }],
        steps: [step(1, 2)],
        summary: { pass: 1, fail: 0, skipped: 0, timeout: 0, gatesPassed: 1, gatesFailed: 0, gatesNotSet: 0 },
      }),
    );
    const out = path.join(tmp, 'merged.json');
    const r = await cli(['tipc', 'report', '--merge', r1, r2, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('TIPC M lite_train_lite_infer: PASS');
    const m = JSON.parse(readFileSync(out, 'utf8'));
    expect(m.steps.map((s: { id: number }) => s.id)).toEqual([0, 1]);
    expect(m.gates).toHaveLength(1);
    expect(readFileSync(path.join(tmp, 'merged.html'), 'utf8')).toMatch(/^<!doctype html>/);
    const bad = await cli(['tipc', 'report', path.join(CTR, 'train_infer_python.lite_train_lite_infer.json')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/error \[E_REPORT_INVALID\]: .*not a valid report/);
  });
});
