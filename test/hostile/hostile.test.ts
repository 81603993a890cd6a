// Hostile inputs, one probe per row of probes.ts: the real CLI must end every probe in a named,
// registered error with a non-zero exit, leave no output or temp file behind, and stay within
// bounded time and memory (peak RSS of the child process tree, measured, ≤ 1.5 GB).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/util/errors.js';
import { npyBytes, sample, tinyModel } from './fixtures.js';
import { IS_ROOT, NOBODY, cli, leftovers } from './harness.js';
import { PROBES, type ProbeContext } from './probes.js';

const RSS_LIMIT_MB = 1536;
const TIME_LIMIT_MS = 60_000;

let root: string;
let shared: Omit<ProbeContext, 'd'>;
const measured: Array<{ probe: string; rssMb: number; ms: number }> = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
  // Readable by `nobody`, which runs the chmod-000 probes when the suite runs as root.
  fs.chmodSync(root, 0o755);
  const base = path.join(root, 'base');
  fs.mkdirSync(base, { mode: 0o755 });
  const model = path.join(base, 'model.onnx');
  fs.writeFileSync(model, tinyModel());
  fs.writeFileSync(path.join(base, 'rank2.onnx'), tinyModel(false));
  const goodNpy = path.join(base, 'good.npy');
  fs.writeFileSync(goodNpy, npyBytes('<f4', [3, 300, 25, 2], sample()));
  const goodData = path.join(base, 'val_data.npy');
  const two = new Float32Array(2 * 45000);
  two.set(sample(), 0);
  two.set(sample(), 45000);
  fs.writeFileSync(goodData, npyBytes('<f4', [2, 3, 300, 25, 2], two));
  const dummyWeights = path.join(base, 'weights.pdparams');
  fs.writeFileSync(dummyWeights, 'never read: the split fails first');
  shared = { model, goodNpy, goodData, dummyWeights };
});

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
  if (measured.length) {
    const top = (k: 'rssMb' | 'ms') => [...measured].sort((a, b) => b[k] - a[k])[0];
    const rss = top('rssMb');
    const slow = top('ms');
    process.stdout.write(
      `hostile probes: ${measured.length} run; peak RSS max ${rss.rssMb} MB (${rss.probe}); slowest ${slow.ms} ms (${slow.probe})\n`,
    );
  }
});

describe('hostile inputs', () => {
  it('covers every format the package reads with at least 60 probes', () => {
    const formats = new Set(PROBES.map((p) => p.format));
    for (const f of [
      '.skeleton',
      '.npy',
      '.pkl',
      '.pdparams',
      '.safetensors',
      '.onnx',
      'recipe YAML',
      'params',
      'report JSON',
      'CLI arguments',
    ])
      expect(formats, f).toContain(f);
    expect(PROBES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(PROBES.map((p) => `${p.format}: ${p.name}`)).size).toBe(PROBES.length);
  });

  it.concurrent.each(PROBES.map((p) => [`${p.format}: ${p.name}`, p] as const))('%s', async (_, probe) => {
    const d = fs.mkdtempSync(path.join(root, 'p-'));
    fs.chmodSync(d, 0o777);
    const { args, outputs } = probe.setup({ d, ...shared });
    const r = await cli(args, {
      timeoutMs: TIME_LIMIT_MS,
      // chmod 000 does not stop root from reading: run those probes as an unprivileged user.
      ...(probe.unreadable && IS_ROOT ? { uid: NOBODY } : {}),
    });
    measured.push({ probe: `${probe.format}: ${probe.name}`, rssMb: r.peakRssMb, ms: r.ms });
    const where = `${args.slice(0, 2).join(' ')} → exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n${r.stderr.slice(-2000)}`;
    expect(r.timedOut, `took over ${TIME_LIMIT_MS} ms: ${where}`).toBe(false);
    expect(r.code, where).not.toBe(0);
    expect(r.code, where).not.toBeNull();
    const codes = [...r.stderr.matchAll(/error \[(E_[A-Z0-9_]+)\]/g)].map((m) => m[1]);
    expect(codes.length, `no named error: ${where}`).toBeGreaterThan(0);
    expect(Object.keys(ERROR_CODES), where).toContain(codes[0]);
    expect(codes[0], where).toBe(probe.code);
    expect(r.stderr, where).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack trace
    for (const o of outputs) {
      const left = fs.existsSync(o) && fs.statSync(o).isDirectory() ? fs.readdirSync(o) : fs.existsSync(o) ? [o] : [];
      expect(left, `output left behind by a failed run: ${o}`).toEqual([]);
    }
    expect(leftovers(d), 'temp files left behind').toEqual([]);
    expect(r.peakRssMb, `peak RSS ${r.peakRssMb} MB: ${where}`).toBeLessThanOrEqual(RSS_LIMIT_MB);
    expect(r.peakRssMb, 'RSS was not measured').toBeGreaterThan(10);
  });
});
