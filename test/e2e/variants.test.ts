// The TIPC lite chain of the CTRGCN baseline and of each published variant (CTRGCNLite, CTRGCN_lightV1,
// CTRGCN_lightV2) on the built-in synthetic data, end to end on the real commands: `ctrgcn tipc prepare`
// + `ctrgcn tipc run … lite_train_lite_infer` must pass every gate of its gates.yaml (not-set fails),
// the exported model must be that variant (its metadata names it), and `tipc compare --reuse` must
// tabulate the four runs without training again. (The light model's chain is main-job.test.ts's.)
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCompare } from '../../src/tipc/compare/compare.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const MODE = 'lite_train_lite_infer';
const VARIANTS: Array<[string, string]> = [
  ['CTRGCN_joint', 'ctrgcn'],
  ['CTRGCNLite_joint', 'ctrgcn_lite'],
  ['CTRGCN_lightV1_joint', 'ctrgcn_light_v1'],
  ['CTRGCN_lightV2_joint', 'ctrgcn_light_v2'],
];
const env = { TF_CPP_MIN_LOG_LEVEL: '3', CTRGCN_NO_GPU: '1' };

describe.each(VARIANTS)('TIPC %s lite chain', (model, variant) => {
  it(
    'prepares, trains, evaluates, exports and predicts with every gate passing',
    async () => {
      const params = `test_tipc/configs/${model}/train_infer_python.txt`;
      const reportDir = path.join(root, 'reports', model, MODE);
      fs.rmSync(reportDir, { recursive: true, force: true });
      const prep = await execa('node', ['bin/ctrgcn.js', 'tipc', 'prepare', params, MODE], {
        cwd: root,
        reject: false,
        all: true,
        env,
      });
      expect(prep.exitCode, prep.all?.slice(-3000)).toBe(0);
      const t0 = performance.now();
      const r = await execa('node', ['bin/ctrgcn.js', 'tipc', 'run', params, MODE, '--strict'], {
        cwd: root,
        reject: false,
        all: true,
        env,
      });
      const wall = (performance.now() - t0) / 1000;
      if (r.exitCode !== 0) console.error(r.all?.slice(-6000));
      expect(r.exitCode).toBe(0);

      const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
      expect(report.status).toBe('pass');
      const gate = (n: string) => report.gates.find((g: { name: string }) => g.name === n);
      for (const g of report.gates) expect(g.status, `gate ${g.name}: ${g.detail ?? ''}`).toBe('pass');
      for (const n of ['records', 'size', 'accuracy', 'training', 'provenance', 'latency', 'golden'])
        expect(gate(n), n).toBeDefined();
      // The certified model is the checkpoint training selected, measured as the exported ONNX.
      expect(report.measurements.certified[0].checkpoint).toMatch(new RegExp(`${model}_best\\.pdparams$`));
      expect(gate('accuracy').detail).toMatch(/exported model .*inference\.onnx/);
      console.log(
        `[tipc ${model}] ${wall.toFixed(0)} s; final val top-1 ${gate('training').value}, ` +
          `ONNX top-1 ${gate('accuracy').value}, export ${gate('size').value} B, ` +
          `p50 ${gate('latency').value} × CTRGCN`,
      );
      for (const s of report.steps) expect(s.status, s.name ?? s.kind).not.toBe('fail');

      // The chain certified this variant: the exported model says so, and its metafile.yml carries
      // the eval of the exported checkpoint the driver ran.
      const saveDir = path.join(root, 'test_tipc/output', model, MODE, 'norm_train_gpus_-1_autocast_null_nodes_1');
      const onnx = path.join(saveDir, 'inference.onnx');
      const info = await execa('node', ['bin/ctrgcn.js', 'model', 'info', onnx, '--json'], { cwd: root, env });
      expect(JSON.parse(info.stdout)).toMatchObject({ variant, model_name: model });
      const meta = fs.readFileSync(path.join(saveDir, 'metafile.yml'), 'utf8');
      expect(meta).toContain(`Variant: ${variant}`);
      expect(meta).toMatch(/Top 1 Accuracy: [\d.]+/);
    },
    45 * 60_000,
  );
});

describe('tipc compare over the variants', () => {
  it(
    'tabulates the four runs above from their reports, without training again',
    async () => {
      const json = path.join(root, 'reports', 'compare-variants.json');
      const names = VARIANTS.map(([m]) => m);
      const r = await execa(
        'node',
        ['bin/ctrgcn.js', 'tipc', 'compare', '--reuse', '--variants', names.join(','), '--json', json],
        { cwd: root, reject: false, all: true, env },
      );
      if (r.exitCode !== 0) console.error(r.all?.slice(-4000));
      expect(r.exitCode).toBe(0);
      const t = JSON.parse(fs.readFileSync(json, 'utf8'));
      expect(validateCompare(t).errors).toEqual([]);
      expect(t.rows.map((x: { variant: string }) => x.variant)).toEqual(names);
      for (const row of t.rows) {
        expect(row.reused).toBe(true);
        const report = JSON.parse(
          fs.readFileSync(path.join(root, 'reports', row.variant, MODE, 'report.json'), 'utf8'),
        );
        const acc = report.gates.find((g: { name: string }) => g.name === 'accuracy');
        expect(row.top1.value).toBe(acc.value);
      }
    },
    10 * 60_000,
  );
});
