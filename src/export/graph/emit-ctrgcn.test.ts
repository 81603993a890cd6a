// ONNX export parity on every golden case (variants included): each case's architecture is the
// recipe it names; the graph passes the structural check and its logits match the golden ones.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnnxLogits } from '../../infer/onnx-logits.js';
import { emitCtrgcnOnnx } from './emit-ctrgcn.js';
import { encodeModel } from './onnx-builder.js';
import { checkOnnxStructure } from './check-onnx.js';
import { goldenCase, goldenCaseJson, goldenCaseNames, goldenCaseTree, maxAbsDiff } from '../golden.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emit-'));

// Train-step cases hold train-mode logits; their eval-mode graph is checked against tfjs in
// tfjs-parity.test.ts.
const evalCases = goldenCaseNames().filter((n) => !goldenCaseJson(n).mode.startsWith('train'));

describe.each(evalCases)('ONNX parity on %s', (caseName) => {
  it('logits within the case tolerance of the golden logits (fp32, eval mode)', async () => {
    const cj = goldenCaseJson(caseName);
    const c = goldenCase(caseName);
    const tree = goldenCaseTree(cj);
    const T = c.input.shape[2];
    const { model: m, nodeCount } = emitCtrgcnOnnx(tree, c.weights, { window: T, precision: 'fp32' });
    const file = path.join(tmp, `${caseName}.onnx`);
    const bytes = encodeModel(m);
    expect(checkOnnxStructure(bytes, { inputShape: ['N', 3, T, 25, 2], outputShape: ['N', 60] })).toEqual([]);
    fs.writeFileSync(file, bytes);
    const logits = await runOnnxLogits(file, c.input.data, c.input.shape);
    const d = maxAbsDiff(logits, c.logits.data);
    console.log(`[onnx parity] ${caseName}: nodes ${nodeCount}, max |Δ logits| = ${d.toExponential(3)}`);
    expect(d).toBeLessThanOrEqual(cj.tolerances.logits.atol);
  });
});
