import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeLayout } from '../model/layout.js';
import { runOnnxLogits } from '../infer/onnx-logits.js';
import { emitCtrgcnOnnx } from './emit-ctrgcn.js';
import { encodeModel } from './onnx-builder.js';
import { checkOnnxStructure } from './check-onnx.js';
import { goldenCase, maxAbsDiff } from './golden.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emit-'));

describe.each([
  ['ctrgcn_light_paddle_epoch1_example', 'ctrgcn_light' as const, 60],
  ['ctrgcn_base64_seed1', 'ctrgcn' as const, 64],
])('ONNX parity on %s', (caseName, model, base) => {
  it('logits within 1e-4 of the golden logits (fp32)', async () => {
    const c = goldenCase(caseName);
    const { model: m, nodeCount } = emitCtrgcnOnnx(makeLayout(model, base), c.weights, {
      window: 64,
      precision: 'fp32',
    });
    const file = path.join(tmp, `${caseName}.onnx`);
    const bytes = encodeModel(m);
    expect(checkOnnxStructure(bytes, { inputShape: ['N', 3, 64, 25, 2], outputShape: ['N', 60] })).toEqual([]);
    fs.writeFileSync(file, bytes);
    const logits = await runOnnxLogits(file, c.input.data, c.input.shape);
    const d = maxAbsDiff(logits, c.logits.data);
    console.log(`${caseName}: nodes ${nodeCount}, max |Δ logits| = ${d.toExponential(3)}`);
    expect(d).toBeLessThanOrEqual(1e-4);
  });
});
