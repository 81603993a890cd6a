// The plain graph (`--no-fuse`, the benchmark's baseline) is the same function as the fused one:
// on every golden eval case its logits match the fused graph's within 1e-5 (1e-6 of the largest
// logit where that is larger) and the golden logits
// within the case tolerance, and it really is unfused (BatchNormalization nodes, more nodes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnnxLogits } from '../../infer/onnx-logits.js';
import { emitCtrgcnOnnx } from './emit-ctrgcn.js';
import { decodeModel, encodeModel } from './onnx-builder.js';
import { checkOnnxStructure } from './check-onnx.js';
import { goldenCase, goldenCaseJson, goldenCaseNames, goldenCaseTree, maxAbsDiff } from '../golden.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emit-plain-'));
const evalCases = goldenCaseNames().filter((n) => !goldenCaseJson(n).mode.startsWith('train'));

describe.each(evalCases)('plain vs fused graph on %s', (caseName) => {
  it('same logits (≤ 1e-5), both within the golden tolerance', async () => {
    const cj = goldenCaseJson(caseName);
    const c = goldenCase(caseName);
    const tree = goldenCaseTree(cj);
    const T = c.input.shape[2];
    const run = async (fuse: boolean) => {
      const r = emitCtrgcnOnnx(tree, c.weights, { window: T, precision: 'fp32', fuse });
      const bytes = encodeModel(r.model);
      expect(checkOnnxStructure(bytes, { inputShape: ['N', 3, T, 25, 2], outputShape: ['N', 60] })).toEqual([]);
      const file = path.join(tmp, `${caseName}.${fuse ? 'fused' : 'plain'}.onnx`);
      fs.writeFileSync(file, bytes);
      const ops = decodeModel(bytes).graph!.node!.map((n) => n.opType);
      return { logits: await runOnnxLogits(file, c.input.data, c.input.shape), ops, nodes: r.nodeCount };
    };
    const fused = await run(true);
    const plain = await run(false);
    const d = maxAbsDiff(plain.logits, fused.logits);
    console.log(
      `[plain vs fused] ${caseName}: nodes ${plain.nodes} vs ${fused.nodes}, max |Δ logits| = ${d.toExponential(3)}` +
        ` (to golden: plain ${maxAbsDiff(plain.logits, c.logits.data).toExponential(3)},` +
        ` fused ${maxAbsDiff(fused.logits, c.logits.data).toExponential(3)})`,
    );
    // 1e-5, or 1e-6 of the largest logit where logits are large (float32 spacing at 48 is 3.8e-6,
    // and the two graphs sum in different orders over ten blocks).
    const scale = Math.max(...Array.from(c.logits.data, Math.abs));
    expect(d).toBeLessThanOrEqual(Math.max(1e-5, 1e-6 * scale));
    expect(maxAbsDiff(plain.logits, c.logits.data)).toBeLessThanOrEqual(cj.tolerances.logits.atol);
    expect(plain.ops).toContain('BatchNormalization');
    expect(fused.ops).not.toContain('BatchNormalization');
    expect(plain.nodes).toBeGreaterThan(fused.nodes);
  });
});
