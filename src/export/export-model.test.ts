import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNpyFloat32, writeNpy } from '../data/npy.js';
import { runOnnxLogits } from '../infer/onnx-logits.js';
import { checkOnnxStructure } from './graph/check-onnx.js';
import { exportModel, type ExportResult } from './export-model.js';
import { FIXTURES, goldenCase, maxAbsDiff } from './golden.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
const CONFIG = path.resolve(import.meta.dirname, '../../configs/ctrgcn_light_ntucs_joint.yaml');
const LIGHT = goldenCase('ctrgcn_light_paddle_epoch1_example');
const PDPARAMS = path.join(FIXTURES, 'ctrgcn_light_joint_epoch_00001.pdparams');

// A tiny labelled set: the raw example and three perturbed copies (labels: the golden class 58).
const evalData = path.join(tmp, 'eval_data.npy');
const evalLabels = path.join(tmp, 'eval_label.npy');
beforeAll(() => {
  const raw = readNpyFloat32(path.join(FIXTURES, 'example_NTU-RGB-D_sketeton.npy'), [3, 300, 25, 2]).data;
  const all = new Float32Array(4 * raw.length);
  for (let k = 0; k < 4; k++) for (let i = 0; i < raw.length; i++) all[k * raw.length + i] = raw[i] * (1 + 0.05 * k);
  writeNpy(evalData, '<f4', [4, 3, 300, 25, 2], all);
  writeNpy(evalLabels, '<i8', [4], BigInt64Array.from([58n, 58n, 58n, 58n]));
});

const results = new Map<string, ExportResult>();
async function exp(precision: 'fp32' | 'fp16' | 'int8', weights = LIGHT.weightsFile) {
  const key = `${precision}:${weights}`;
  if (!results.has(key)) {
    const outDir = path.join(tmp, `${precision}-${path.extname(weights).slice(1)}`);
    results.set(
      key,
      await exportModel({
        config: CONFIG,
        weights,
        outDir,
        saveName: 'inference',
        precision,
        evalSet: { dataFile: evalData, labelFile: evalLabels },
      }),
    );
  }
  return results.get(key)!;
}

describe('exportModel (CTRGCN_light, real epoch-1 checkpoint)', () => {
  it('fp32 from the .pdparams equals the golden logits and fits 4.5 MB', async () => {
    const logs: string[] = [];
    const r = await exportModel({
      config: CONFIG,
      weights: PDPARAMS,
      outDir: path.join(tmp, 'pd'),
      saveName: 'inference',
      precision: 'fp32',
      log: (l) => logs.push(l),
    });
    expect(logs).toEqual([
      'Building model(CTRGCN_light_joint)...',
      `Loading params from (${PDPARAMS})...`,
      `model (CTRGCN_light_joint) has been already saved in (${path.join(tmp, 'pd')}).`,
    ]);
    const bytes = fs.readFileSync(r.onnxFile);
    expect(checkOnnxStructure(bytes, { inputShape: ['N', 3, 64, 25, 2], outputShape: ['N', 60] })).toEqual([]);
    const d = maxAbsDiff(await runOnnxLogits(r.onnxFile, LIGHT.input.data, LIGHT.input.shape), LIGHT.logits.data);
    expect(d).toBeLessThanOrEqual(1e-4);
    const onnxBytes = fs.statSync(r.onnxFile).size;
    const jsonBytes = fs.statSync(r.jsonFile).size;
    expect(r.sidecar.files).toEqual({ 'inference.onnx': onnxBytes, 'inference.json': jsonBytes });
    expect(r.sidecar.total_bytes).toBe(onnxBytes + jsonBytes);
    expect(onnxBytes + jsonBytes).toBeLessThanOrEqual(4_500_000);
    expect(r.sidecar.source.parameters).toBe(1_031_550);
    expect(r.sidecar.source.sha256).toBe('c8d7fc720d228efea1bb2ba8ab8f3523d04adeeaafaf1f0ed6629400e0a8868b');
    console.log(
      `fp32 light: onnx ${onnxBytes} B + json ${jsonBytes} B, ${r.sidecar.graph.nodes} nodes, max |Δ| ${d.toExponential(3)}`,
    );
  });

  it.each(['fp32', 'fp16', 'int8'] as const)(
    '%s variant runs, records its top-1 drop and its sizes',
    async (precision) => {
      const r = await exp(precision);
      const onnxBytes = fs.statSync(r.onnxFile).size;
      const jsonBytes = fs.statSync(r.jsonFile).size;
      expect(r.sidecar.files['inference.onnx']).toBe(onnxBytes);
      expect(r.sidecar.files['inference.json']).toBe(jsonBytes);
      const acc = r.sidecar.accuracy!;
      expect(acc.samples).toBe(4);
      expect(acc.fp32_top1).toBe(1);
      expect(typeof acc.top1_drop_pp).toBe('number');
      const logits = await runOnnxLogits(r.onnxFile, LIGHT.input.data, LIGHT.input.shape);
      const d = maxAbsDiff(logits, LIGHT.logits.data);
      console.log(
        `${precision} light: onnx ${onnxBytes} B + json ${jsonBytes} B, top-1 ${acc.top1} (fp32 ${acc.fp32_top1}, drop ${acc.top1_drop_pp} pp), max |Δ logits| ${d.toExponential(3)}`,
      );
      if (precision === 'fp32') expect(onnxBytes + jsonBytes).toBeLessThanOrEqual(4_500_000);
      if (precision === 'int8') expect(onnxBytes + jsonBytes).toBeLessThanOrEqual(1_300_000);
      if (precision === 'fp16') expect(onnxBytes + jsonBytes).toBeLessThanOrEqual(2_300_000);
    },
  );

  it('names the problem for weights of another architecture and a config without the backbone', async () => {
    const base = goldenCase('ctrgcn_base64_seed1').weightsFile;
    await expect(
      exportModel({ config: CONFIG, weights: base, outDir: path.join(tmp, 'bad'), precision: 'fp32' }),
    ).rejects.toMatchObject({ code: 'E_WEIGHTS_MISMATCH' });
    const cfg = path.join(tmp, 'nobackbone.yaml');
    fs.writeFileSync(cfg, 'MODEL:\n  head:\n    num_classes: 60\nmodel_name: X\n');
    await expect(
      exportModel({ config: cfg, weights: LIGHT.weightsFile, outDir: path.join(tmp, 'bad'), precision: 'fp32' }),
    ).rejects.toThrow(/missing key "MODEL\.backbone"/);
    await expect(
      exportModel({
        config: CONFIG,
        weights: path.join(tmp, 'missing.pdparams'),
        outDir: path.join(tmp, 'bad'),
        precision: 'fp32',
      }),
    ).rejects.toMatchObject({ code: 'E_WEIGHTS_MISSING' });
  });
});
