// whole_infer on the real PaddleVideo checkpoint (zpc-666/CTRGCN_Light, epoch 1) against numbers this
// package did not write: the shipped export and predict path, and the golden gate's logits check, judged
// by PaddleVideo's own outputs for that checkpoint (../shared/golden/ctrgcn_light_paddle_epoch1_example).
// Then one weight moved by 1e-3 (relative): the logits check must see it.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWeightsFile, writePdparams } from '../../src/model/weights.js';
import { parseGt } from '../../src/tipc/evidence/gt-results.js';
import { validateReport, type Report } from '../../src/tipc/report/report.js';
import { sharedPath } from '../../src/util/shared-data.test-util.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const MODEL = 'CTRGCN_light_paddle_joint';
const PARAMS = `test_tipc/configs/${MODEL}/train_infer_python.txt`;
const WEIGHTS = path.join(root, `test_tipc/output/${MODEL}/weights/ctrgcn_light_joint_epoch_00001.pdparams`);
const REPORT = path.join(root, `reports/${MODEL}/whole_infer/report.json`);
const env = { TF_CPP_MIN_LOG_LEVEL: '3', CTRGCN_NO_GPU: '1' };
const GOLDEN = 'golden/ctrgcn_light_paddle_epoch1_example';

/** A fresh copy of the checkpoint where whole_infer exports (beside the weights), `edit` applied. */
function placeWeights(edit?: (m: ReturnType<typeof readWeightsFile>) => void): void {
  const src = sharedPath('fixtures/paddlevideo/ctrgcn_light_joint_epoch_00001.pdparams');
  fs.rmSync(path.dirname(WEIGHTS), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(WEIGHTS), { recursive: true });
  if (!edit) {
    fs.writeFileSync(WEIGHTS, fs.readFileSync(src));
    return;
  }
  const m = readWeightsFile(src);
  edit(m);
  writePdparams(WEIGHTS, m);
}

async function run(): Promise<{ code: number; report: Report; out: string }> {
  fs.rmSync(path.dirname(REPORT), { recursive: true, force: true });
  const r = await execa('node', ['bin/ctrgcn.js', 'tipc', 'run', PARAMS, 'whole_infer'], {
    cwd: root,
    reject: false,
    all: true,
    env,
  });
  const report = JSON.parse(fs.readFileSync(REPORT, 'utf8')) as Report;
  expect(validateReport(report).errors).toEqual([]);
  return { code: r.exitCode ?? -1, report, out: r.all ?? '' };
}

const gate = (r: Report, n: string) => {
  const g = r.gates.find((x) => x.name === n);
  if (!g) throw new Error(`no gate ${n} in ${r.gates.map((x) => x.name).join(', ')}`);
  return g;
};

describe('whole_infer on the PaddleVideo checkpoint, golden against PaddleVideo', () => {
  it('the GT file holds PaddleVideo’s class and score (probs_top1.json), not numbers of this package', () => {
    const [p] = JSON.parse(fs.readFileSync(sharedPath(`${GOLDEN}/probs_top1.json`), 'utf8')) as Array<{
      class: number;
      score: number;
    }>;
    const gt = parseGt(
      fs.readFileSync(path.join(root, `test_tipc/results/${MODEL}/python_ppvideo_${MODEL}_results_fp32.txt`), 'utf8'),
    );
    expect(Object.fromEntries(gt)).toEqual({ 'top-1 class': p.class, 'top-1 score': p.score });
  });

  it(
    'passes every gate, logits within 1e-4 of PaddleVideo’s; one head weight × 1.001 fails golden[logits]',
    async () => {
      placeWeights();
      const ok = await run();
      if (ok.code !== 0) console.error(ok.out.slice(-6000));
      expect(ok.code).toBe(0);
      for (const g of ok.report.gates) expect(g.status, `${g.name}: ${g.detail}`).toBe('pass');
      expect(ok.report.gates.map((g) => g.name)).toEqual(
        expect.arrayContaining(['size', 'latency', 'golden', 'golden[logits]', 'determinism', 'consistency']),
      );
      expect(gate(ok.report, 'golden[logits]').value as number).toBeLessThan(1e-4);
      expect(gate(ok.report, 'golden').detail).toMatch(/consistent with .*python_ppvideo_CTRGCN_light_paddle_joint/);

      // The largest weight of the classifier (Paddle's Linear stores [in, out]), 1e-3 relative.
      placeWeights((m) => {
        const w = m.get('head.fc.weight')!;
        let k = 0;
        for (let i = 1; i < w.data.length; i++) if (Math.abs(w.data[i]) > Math.abs(w.data[k])) k = i;
        w.data[k] *= 1.001;
      });
      const bad = await run();
      expect(bad.code).toBe(1);
      const g = gate(bad.report, 'golden[logits]');
      expect(g.status).toBe('fail');
      expect(g.value as number).toBeGreaterThan(1e-4);
      expect(g.detail).toMatch(/outside atol 0\.0001/);
      // The saturated top-1 score (0.9988) cannot see it: that is why the logits are compared.
      expect(gate(bad.report, 'golden').status).toBe('pass');
    },
    20 * 60_000,
  );
});
