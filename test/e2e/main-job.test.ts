// The one heavy end-to-end test: `npm start`'s job (prepare + the lite TIPC chain: synthetic NTU
// data → train → eval → export → predict matrix → our extra steps → gates → report) on the real
// commands, then `tipc compare` over the same run's outputs.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateReport } from '../../src/tipc/report/report.js';
import { validateCompare } from '../../src/tipc/compare/compare.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const reportDir = path.join(root, 'reports', 'CTRGCN_light_joint', 'lite_train_lite_infer');
const env = { TF_CPP_MIN_LOG_LEVEL: '3', CTRGCN_NO_GPU: '1' };

describe('main job (npm start)', () => {
  it(
    'certifies the checkpoint training selected, on the exported ONNX, with every gate set and measured',
    async () => {
      fs.rmSync(reportDir, { recursive: true, force: true });
      const r = await execa('node', ['bin/ctrgcn.js', 'main'], { cwd: root, reject: false, all: true, env });
      if (r.exitCode !== 0) console.error(r.all?.slice(-6000));
      expect(r.exitCode).toBe(0);

      const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
      const v = validateReport(report);
      expect(v.errors).toEqual([]);
      expect(report.status).toBe('pass');
      for (const k of ['train', 'eval', 'export'])
        for (const s of report.steps.filter((x: { kind: string }) => x.kind === k)) expect(s.status).toBe('pass');
      expect(report.steps.map((s: { status: string }) => s.status)).not.toContain('fail');

      // No gate of the shipped lite config passes without a threshold and a measurement.
      for (const g of report.gates) {
        expect(g.status, `gate ${g.name}: ${g.detail}`).toBe('pass');
        expect(g.threshold, `gate ${g.name} threshold`).not.toBeNull();
        expect(g.value, `gate ${g.name} value`).not.toBeNull();
      }
      const gate = (n: string) => report.gates.find((g: { name: string }) => g.name === n);
      for (const n of ['records', 'size', 'size[fp16]', 'size[int8]', 'accuracy', 'accuracy[checkpoint]'])
        expect(gate(n), n).toBeDefined();
      for (const n of ['accuracy[fp16]', 'accuracy[int8]', 'agreement[fp16]', 'agreement[int8]'])
        expect(gate(n), n).toBeDefined();
      for (const n of ['training', 'provenance', 'latency', 'golden']) expect(gate(n), n).toBeDefined();
      expect(gate('size').value).toBeLessThan(10 * 1024 * 1024);
      // The shipped model: the exported fp32 ONNX, evaluated by onnxruntime, ≥ 80 % on the lite val set.
      expect(gate('accuracy').value).toBeGreaterThanOrEqual(0.8);
      expect(gate('accuracy').detail).toMatch(/exported model .*inference\.onnx/);
      // judged on the intervals: the model's p50 upper bound ÷ the reference's p50 lower bound
      expect(gate('latency').value).toBeLessThanOrEqual(0.8);
      expect(gate('latency').detail).toMatch(/upper bound ÷ reference p50 lower bound/);
      // the evaluated fp32 model is the file the export wrote
      expect(gate('provenance').detail).toMatch(/evaluated .*inference\.onnx = exported \(sha256 /);
      // … of the checkpoint training selected (best by validation), and the report says so.
      const [c] = report.measurements.certified;
      expect(c.rule).toBe('best');
      expect(c.checkpoint).toMatch(/CTRGCN_light_joint_best\.pdparams$/);
      expect(c.reason).toMatch(/best validation top-1/);
      const acc = report.measurements.accuracy;
      expect(acc.map((a: { model: string }) => a.model).sort()).toEqual(['checkpoint', 'fp16', 'fp32', 'int8']);
      // The certified line wraps at 100 columns; joined again it names the best checkpoint.
      const joined = (r.stdout.match(/certified:[^]*?\nreport: /)?.[0] ?? '').replace(/\n/g, '');
      expect(joined).toMatch(/certified:\s?\S*CTRGCN_light_joint_best\.pdparams \[best\]/);

      const html = fs.readFileSync(path.join(reportDir, 'report.html'), 'utf8');
      expect(html).toContain('<svg');
      expect(html).toContain('Certified model');
      expect(r.all).toMatch(/Run successfully with command - CTRGCN_light_joint - node bin\/ctrgcn\.js train/);
      // `npm start | cat`: no escape code on a pipe, while results_python.log keeps PaddleVideo's coloured lines.
      expect(r.all).not.toContain('\x1b');
      const resultsLog = fs.readFileSync(path.join(root, report.resultsLog), 'utf8');
      expect(resultsLog).toMatch(
        /^\x1b\[33m Run successfully with command - CTRGCN_light_joint - node bin\/ctrgcn\.js train/m,
      );
      // The verdict and the headline figures come before the step table.
      const verdict = r.stdout.search(/^TIPC CTRGCN_light_joint lite_train_lite_infer: PASS /m);
      expect(verdict).toBeGreaterThanOrEqual(0);
      expect(r.stdout.indexOf('exported model top-1', verdict)).toBeGreaterThan(verdict);
      expect(r.stdout.indexOf('exported model top-1', verdict)).toBeLessThan(r.stdout.indexOf('│ train:'));
      // The summary table (from its heading to the report paths) fits a 100-column terminal.
      const table = r.stdout.slice(r.stdout.indexOf('TIPC CTRGCN_light_joint'), r.stdout.indexOf('report: '));
      expect(table).toContain('│ train:');
      for (const line of table.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(100);

      // The contest table from the same run's outputs (no second training).
      const json = path.join(reportDir, 'compare.json');
      const c2 = await execa(
        'node',
        [
          'bin/ctrgcn.js',
          'tipc',
          'compare',
          '--reuse',
          '--variants',
          'CTRGCN_light_joint',
          '--published',
          '--json',
          json,
        ],
        { cwd: root, reject: false, all: true, env },
      );
      if (c2.exitCode !== 0) console.error(c2.all?.slice(-4000));
      expect(c2.exitCode).toBe(0);
      const t = JSON.parse(fs.readFileSync(json, 'utf8'));
      expect(validateCompare(t).errors).toEqual([]);
      expect(t.rows[0]).toMatchObject({ variant: 'CTRGCN_light_joint', reused: true });
      expect(t.rows[0].top1.value).toBe(gate('accuracy').value);
      expect(t.rows[0].params.value).toBe(1024110);
      // the table (not the progress lines naming files) fits 100 columns
      for (const l of c2.stdout.split('\n').filter((x) => !/^\[compare\]|^json: /.test(x)))
        expect(l.length, l).toBeLessThanOrEqual(100);
    },
    40 * 60_000,
  );
});
