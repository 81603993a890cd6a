import { renderCompareHtml } from './compare-html.js';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readReport, type Report } from '../report/report.js';
import { registryCatalog } from '../../cli/tipc-compare.js';
import { backboneEntry, registerBackbone } from '../../model/registry.js';
import {
  compareVariants,
  renderMarkdown,
  renderTerminal,
  validateCompare,
  variantParams,
  writeCompareJson,
} from './compare.js';

const FIX = path.resolve(process.cwd(), 'src/tipc/__fixtures__');
/** The variants, baseline and published figures as the model registry states them. */
const CATALOG = registryCatalog();
const CATALOG_DEFAULTS = backboneEntry('ctrgcn_light').defaults;
const roots: string[] = [];
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Two stub variants named like the package's: the full model larger and slower than the light one. */
function scratch(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tipc-compare-'));
  roots.push(root);
  mkdirSync(path.join(root, 'src/tipc/__fixtures__'), { recursive: true });
  copyFileSync(path.join(FIX, 'stub.mjs'), path.join(root, 'src/tipc/__fixtures__/stub.mjs'));
  symlinkSync(path.resolve(process.cwd(), 'dist'), path.join(root, 'dist'));
  const text = readFileSync(path.join(FIX, 'stub_params.txt'), 'utf8');
  const gates = readFileSync(path.join(FIX, 'stub_gates.yaml'), 'utf8');
  // the golden gate's GT: what the stub's reference model prints
  mkdirSync(path.join(root, 'gt'));
  writeFileSync(
    path.join(root, 'gt/python_ppvideo_TIPC_STUB_results_fp32.txt'),
    'Current video file: example.npy\n        top-1 class: 3\n        top-1 score: 0.25\n',
  );
  for (const [v, bytes, ms, params] of [
    ['CTRGCN_joint', 3000, 6.5, 1_456_000],
    ['CTRGCN_light_joint', 1000, 3.25, 1_031_000],
  ] as const) {
    const dir = path.join(root, 'test_tipc/configs', v);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'train_infer_python.txt'),
      text
        .replace('model_name:TIPC_STUB', `model_name:${v}`)
        .replace('stub.mjs export --save_name inference', `stub.mjs export --save_name inference --bytes ${bytes}`)
        .replace(
          'inference:src/tipc/__fixtures__/stub.mjs predict',
          `inference:src/tipc/__fixtures__/stub.mjs predict --ms ${ms}`,
        ),
    );
    writeFileSync(
      path.join(dir, 'gates.yaml'),
      gates
        .replace(
          'chain:\n',
          `chain:\n  summary: src/tipc/__fixtures__/stub.mjs summary --params ${params} --macs ${params * 1000}\n`,
        )
        // the full model is the reference's architecture: its budget is the reference's speed
        .replace('maxRatioP50: 0.8', v === 'CTRGCN_joint' ? 'maxRatioP50: 1.15' : 'maxRatioP50: 0.8'),
    );
  }
  return root;
}

describe('tipc compare', () => {
  it('takes its variants, baseline and published figures from the model registry', () => {
    expect(CATALOG.base).toBe('CTRGCN_joint');
    expect(CATALOG.known).toContain('CTRGCN_lightV2_joint');
    expect(CATALOG.published.CTRGCN_light_joint).toMatchObject({ top1: 90.953, sizeMiB: 9.7 });
    registerBackbone({
      name: 'CTRGCN_compareT',
      variant: 'ctrgcn_compare_t',
      source: 'compare test',
      defaults: { ...CATALOG_DEFAULTS },
      tipc: { config: 'CTRGCN_compareT_joint', published: { top1: 1, sizeMiB: 1, cpuMs: 1, gpuMs: 1, source: 't' } },
    });
    const after = registryCatalog();
    expect(after.known.at(-1)).toBe('CTRGCN_compareT_joint');
    expect(after.published.CTRGCN_compareT_joint?.source).toBe('t');
  });

  it('a listed config that is missing is a named error before anything runs', () => {
    const root = scratch();
    expect(() => variantParams('test_tipc/configs', ['CTRGCN_joint', 'CTRGCN_lightV1_joint'], root)).toThrow(
      /E_COMPARE_CONFIG|listed variant config\(s\) missing: CTRGCN_lightV1_joint \(test_tipc\/configs\/CTRGCN_lightV1_joint\/train_infer_python\.txt\)/,
    );
  });

  it('runs both chains and prints the table (≤ 100 columns), Markdown and schema-valid JSON; --reuse reruns nothing', async () => {
    const root = scratch();
    const lines: string[] = [];
    const t = await compareVariants({
      configs: 'test_tipc/configs',
      variants: ['CTRGCN_joint', 'CTRGCN_light_joint'],
      catalog: CATALOG,
      mode: 'lite_train_lite_infer',
      root,
      prepare: false,
      chain: {
        gpuAvailable: false,
        timeoutSec: 60,
        env: { ...process.env, TIPC_STUB: '{"train":{"valTop1":0.85}}' },
        out: () => {},
      },
      out: (l) => lines.push(l),
      exec: async (argv) => {
        const { execa } = await import('execa');
        return String((await execa(argv[0], argv.slice(1), { cwd: root })).stdout);
      },
    });
    for (const r of t.rows)
      expect(
        readReport(path.join(root, r.report)).gates.filter((g) => g.status === 'fail'),
        r.variant,
      ).toEqual([]);
    expect(t.rows.map((r) => [r.variant, r.status])).toEqual([
      ['CTRGCN_joint', 'pass'],
      ['CTRGCN_light_joint', 'pass'],
    ]);
    const [full, light] = t.rows;
    expect(full.params).toEqual({ value: 1_456_000, ratio: 1 });
    expect(light.params!.ratio).toBeCloseTo(1_031_000 / 1_456_000, 4);
    expect(light.gmacs!.value).toBeCloseTo(1.031, 3);
    expect(light.size.fp32).toMatchObject({ bytes: 1002, files: { 'inference.json': 2, 'inference.onnx': 1000 } });
    expect(light.size.fp32!.ratio).toBeCloseTo(1002 / 3002, 4);
    expect(Object.keys(light.size)).toEqual(['fp32', 'fp16', 'int8']);
    expect(light.top1).toEqual({ value: 0.9, ratio: 1 });
    expect(light.cpu!.p50).toEqual({ value: 3.25, ratio: 0.5 });
    expect(light.published).toMatchObject({ top1: 90.953, sizeMiB: 9.7, cpuMs: 188.5445 });
    expect(validateCompare(t)).toEqual({ valid: true, errors: [] });
    const json = path.join(root, 'compare.json');
    writeCompareJson(json, t);
    expect(validateCompare(JSON.parse(readFileSync(json, 'utf8'))).valid).toBe(true);
    expect(validateCompare({ ...t, rows: [{ ...light, top1: { value: 'high' } }] }).valid).toBe(false);

    const term = renderTerminal(t, { published: true });
    for (const l of term.split('\n')) expect(l.length, l).toBeLessThanOrEqual(100);
    expect(term).toContain('CTRGCN_light_joint');
    expect(term).toMatch(/×0\.50/);
    expect(term).toMatch(/Published .*not measured here/);
    const md = renderMarkdown(t, { published: true });
    expect(md.split('\n')[0]).toMatch(
      /^\| variant \| params \(M\) \| GMACs \| size fp32 \(MiB\) .* \| top-1 \(%, published\) \|/,
    );
    expect(md).toContain('| CTRGCN_light_joint | 1.031 ×0.71 |');
    const html = renderCompareHtml(t);
    expect(html).toContain('<meta name="viewport"');
    expect(html).toMatch(/<td class="n">1\.031 M<br><span class="muted">×0\.71<\/span><\/td>/);
    expect([...html.matchAll(/data-chart="([^"]+)" data-points="(\d+)"/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual([
      'tradeoff-size:2',
      'tradeoff-latency:2',
      'params:2',
      'size-fp32:2',
      'cpu-p50:2',
      'top1:2',
    ]);

    // Latency ratios never mix runs: the CTRGCN_joint row timed slower in its own (earlier) run does not
    // move the light row's ratio, which is to the reference its chain timed beside it.
    expect(t.ratioNote).toMatch(/latency ratios are to the CTRGCN reference each chain times in the same run/);
    const fullReport = path.join(root, full.report);
    const fr = JSON.parse(readFileSync(fullReport, 'utf8')) as Report;
    for (const l of fr.measurements.latency) if (l.target === 'trained') l.p50 = 9.75;
    writeFileSync(fullReport, JSON.stringify(fr));
    const mixed = await compareVariants({
      configs: 'test_tipc/configs',
      variants: ['CTRGCN_joint', 'CTRGCN_light_joint'],
      catalog: CATALOG,
      mode: 'lite_train_lite_infer',
      root,
      reuse: true,
      out: (l) => lines.push(l),
    });
    expect(mixed.rows.map((r) => r.cpu!.p50)).toEqual([
      { value: 9.75, ratio: 1.5 },
      { value: 3.25, ratio: 0.5 },
    ]);

    const again = await compareVariants({
      configs: 'test_tipc/configs',
      variants: ['CTRGCN_light_joint'],
      catalog: CATALOG,
      mode: 'lite_train_lite_infer',
      root,
      reuse: true,
      out: (l) => lines.push(l),
    });
    expect(again.rows[0]).toMatchObject({ reused: true, status: 'pass' });
    // without the CTRGCN_joint row, size and latency ratios come from the same-run reference model
    expect(again.rows[0].cpu!.p50.ratio).toBe(0.5);
    expect(again.rows[0].top1!.ratio).toBeNull();
    expect(again.ratioNote).toMatch(/reference each chain exports and times in the same run/);
    expect(lines.some((l) => /reusing reports\/CTRGCN_light_joint\/lite_train_lite_infer\/report\.json/.test(l))).toBe(
      true,
    );
  });
});
