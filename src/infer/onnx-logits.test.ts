import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpyFloat32 } from '../data/npy.js';
import { variantTree } from '../model/variants.js';
import { emitCtrgcnOnnx } from '../export/graph/emit-ctrgcn.js';
import { encodeModel } from '../export/graph/onnx-builder.js';
import { goldenCase, maxAbsDiff } from '../export/golden.test-util.js';
import { runOnnxLogits, writeOnnxLogits } from './onnx-logits.js';
import { sharedPath } from '../util/shared-data.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-logits-'));

describe('ONNX logits', () => {
  sharedPath('golden/ctrgcn_base64_seed1/case.json'); // fails, naming it, when the golden case is missing
  const c = goldenCase('ctrgcn_base64_seed1');
  const model = path.join(tmp, 'm.onnx');
  fs.writeFileSync(
    model,
    encodeModel(
      emitCtrgcnOnnx(variantTree('ctrgcn', { baseChannel: 64 }), c.weights, { window: 64, precision: 'fp32' }).model,
    ),
  );

  it('writes [N, 60] logits matching the golden ones, with a dynamic batch', async () => {
    const input = path.join(c.dir, 'input.npy');
    const out = path.join(tmp, 'logits.npy');
    expect(await writeOnnxLogits(model, input, out)).toEqual({ shape: [2, 60] });
    const y = readNpyFloat32(out, [2, 60]);
    expect(maxAbsDiff(y.data, c.logits.data)).toBeLessThanOrEqual(1e-4);
    // batch 1 (second sample alone) gives the same row
    const one = await runOnnxLogits(model, c.input.data.slice(9600), [1, 3, 64, 25, 2]);
    expect(maxAbsDiff(one, c.logits.data.slice(60))).toBeLessThanOrEqual(1e-4);
  });

  it('named errors for a wrong input shape and a missing model', async () => {
    await expect(runOnnxLogits(model, new Float32Array(10), [1, 3, 64, 25, 2])).rejects.toMatchObject({
      code: 'E_INPUT_SHAPE',
    });
    // onnxruntime's whole message: the indices and sizes are on its second line
    await expect(runOnnxLogits(model, new Float32Array(3 * 64 * 24 * 2), [1, 3, 64, 24, 2])).rejects.toMatchObject({
      code: 'E_INFERENCE',
      message: expect.stringMatching(
        /invalid dimensions for input: x for the following indices\n index: 3 Got: 24 Expected: 25/,
      ),
    });
    await expect(
      runOnnxLogits(path.join(tmp, 'none.onnx'), new Float32Array(9600), [1, 3, 64, 25, 2]),
    ).rejects.toMatchObject({ code: 'E_MODEL_MISSING' });
  });
});

describe('ctrgcn logits --onnx', () => {
  it('runs through the CLI hook and writes the golden logits', async () => {
    const { main } = await import('../cli/main.js');
    const c = goldenCase('ctrgcn_base64_seed1');
    const model = path.join(tmp, 'cli.onnx');
    fs.writeFileSync(
      model,
      encodeModel(
        emitCtrgcnOnnx(variantTree('ctrgcn', { baseChannel: 64 }), c.weights, { window: 64, precision: 'fp32' }).model,
      ),
    );
    const out = path.join(tmp, 'cli-logits.npy');
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    let code: number;
    try {
      code = await main(['logits', '--onnx', model, '--input', path.join(c.dir, 'input.npy'), '--out', out]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    expect(maxAbsDiff(readNpyFloat32(out, [2, 60]).data, c.logits.data)).toBeLessThanOrEqual(1e-4);
  });
});
