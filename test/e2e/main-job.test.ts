// The one heavy end-to-end test: `npm start`'s job (prepare + the lite TIPC chain: synthetic NTU
// data → train → eval → export → predict matrix → gates → report) on the real commands.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const reportDir = path.join(root, 'reports', 'CTRGCN_light_joint', 'lite_train_lite_infer');

describe('main job (npm start)', () => {
  it(
    'runs the lite chain end to end, exits 0, writes a schema-valid report and an HTML page',
    async () => {
      fs.rmSync(reportDir, { recursive: true, force: true });
      const r = await execa('node', ['bin/ctrgcn.js', 'main'], {
        cwd: root,
        reject: false,
        all: true,
        env: { TF_CPP_MIN_LOG_LEVEL: '3', CTRGCN_NO_GPU: '1' },
      });
      if (r.exitCode !== 0) console.error(r.all?.slice(-6000));
      expect(r.exitCode).toBe(0);

      const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
      const schema = JSON.parse(fs.readFileSync(path.join(root, 'reports', 'schema', 'report.schema.json'), 'utf8'));
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats.default(ajv);
      const validate = ajv.compile(schema);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report.status).toBe('pass');

      const kinds = (k: string) =>
        report.steps.filter((s: { kind?: string; name: string }) => (s.kind ?? s.name).includes(k));
      for (const k of ['train', 'eval', 'export']) {
        expect(kinds(k).length).toBeGreaterThan(0);
        for (const s of kinds(k)) expect(s.status).toBe('pass');
      }
      const statuses = report.steps.map((s: { status: string }) => s.status);
      expect(statuses).not.toContain('fail');
      expect(statuses.filter((s: string) => s === 'pass').length).toBeGreaterThanOrEqual(5);

      const gate = (n: string) => report.gates.find((g: { name: string }) => g.name === n);
      expect(gate('size').pass).toBe(true);
      expect(gate('size').value).toBeLessThan(10 * 1024 * 1024);
      // The lite recipe must learn the built-in lite set: ≥ 80 % val top-1 after its 2 short epochs
      // (training gate), and the epoch-1 checkpoint the driver evaluates clearly beats chance (1/10).
      expect(gate('training').value).toBeGreaterThanOrEqual(0.8);
      expect(gate('accuracy').value).toBeGreaterThanOrEqual(0.4);
      for (const g of report.gates) expect(g.pass, `gate ${g.name}`).toBe(true);

      const html = fs.readFileSync(path.join(reportDir, 'report.html'), 'utf8');
      expect(html).toContain('<svg');
      expect(html).toContain('CTRGCN_light_joint');
      expect(r.all).toMatch(/Run successfully with command - CTRGCN_light_joint - node bin\/ctrgcn\.js train/);
      // The summary table (from its heading to the report paths) fits a 100-column terminal.
      const table = r.stdout.slice(r.stdout.indexOf('TIPC CTRGCN_light_joint'), r.stdout.indexOf('report: '));
      expect(table).toContain('│ train:');
      for (const line of table.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(100);
    },
    40 * 60_000,
  );
});
