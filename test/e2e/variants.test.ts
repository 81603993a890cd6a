// The TIPC lite chain of each published variant (CTRGCNLite, CTRGCN_lightV1, CTRGCN_lightV2) on the
// built-in synthetic data, end to end on the real commands: `ctrgcn tipc prepare` + `ctrgcn tipc run
// … lite_train_lite_infer` must pass every gate of the variant's gates.yaml, and the exported model
// must be that variant (its metadata names it).
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const MODE = 'lite_train_lite_infer';
const VARIANTS: Array<[string, string]> = [
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
      const r = await execa('node', ['bin/ctrgcn.js', 'tipc', 'run', params, MODE], {
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
      for (const g of report.gates) expect(g.pass, `gate ${g.name}: ${g.detail ?? ''}`).toBe(true);
      console.log(
        `[tipc ${model}] ${wall.toFixed(0)} s; final val top-1 ${gate('training').value}, ` +
          `epoch-1 eval top-1 ${gate('accuracy').value}, export ${gate('size').value} B`,
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
