// A variant nobody shipped, from a recipe alone: the light layout with the graph conv only in l1,
// l5 and l8 at base channel 48. It trains one step (tensor count stable), exports, and the ONNX
// logits equal the tfjs ones. No code knows this layout: only the recipe's MODEL section.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import YAML from 'yaml';
import { loadConfig } from '../config/recipe.js';
import { runOnnxLogits } from '../infer/onnx-logits.js';
import { modelSummary } from '../model/summary.js';
import { stateDict, writeWeightsFile } from '../model/weights.js';
import { buildModel } from '../train/loop.js';
import { MomentumSgd } from '../train/optimizer.js';
import { trainStep } from '../train/step.js';
import { initBackend } from '../util/backend.js';
import { checkOnnxStructure } from './graph/check-onnx.js';
import { exportModel } from './export-model.js';
import { readModelMetadata } from './metadata.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-variant-'));
const RECIPE = path.join(tmp, 'light_l1_l5_l8_base48.yaml');

beforeAll(async () => {
  await initBackend();
  const lite = YAML.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../../configs/ctrgcn_light_lite.yaml'), 'utf8'),
  ) as { MODEL: { backbone: Record<string, unknown>; head: Record<string, unknown> }; model_name: string };
  lite.MODEL.backbone.base_channel = 48;
  lite.MODEL.backbone.gcn_blocks = ['l1', 'l5', 'l8'];
  lite.MODEL.head.in_channels = 48;
  lite.model_name = 'CTRGCN_light_l1l5l8_b48';
  fs.writeFileSync(RECIPE, YAML.stringify(lite));
});

describe('a recipe-defined variant (light layout, graph in l1, l5, l8, base 48)', () => {
  it('trains one step, exports, and the ONNX logits match tfjs', async () => {
    const { cfg } = loadConfig(RECIPE);
    const model = buildModel(cfg, 7);
    const s = modelSummary(model.tree);
    expect(model.tree.blocks.filter((b) => b.gcn).map((b) => b.name)).toEqual(['l1', 'l5', 'l8']);
    expect(s.customised).toEqual(['gcn_blocks [l1, l5, l8]']);
    const opt = new MomentumSgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
    const B = 4;
    const T = 32;
    const data = Float32Array.from({ length: B * 3 * T * 25 * 2 }, (_, i) => Math.sin(i * 0.37) * 0.5);
    const input = {
      data,
      shape: [B, 3, T, 25, 2] as [number, number, number, number, number],
      targets: { labels: Int32Array.from([1, 2, 3, 4]) },
    };
    try {
      const r1 = trainStep(model, opt, input, 0, 0.05);
      expect(Number.isFinite(r1.loss)).toBe(true);
      // The second step allocates nothing that outlives it.
      const n = tf.memory().numTensors;
      trainStep(model, opt, input, 0, 0.05);
      expect(tf.memory().numTensors).toBe(n);

      const weights = path.join(tmp, 'trained.safetensors');
      writeWeightsFile(weights, stateDict(model), model.tree);
      const out = path.join(tmp, 'export');
      const e = await exportModel({ config: RECIPE, weights, outDir: out, saveName: 'inference', precision: 'fp32' });
      const bytes = fs.readFileSync(e.onnxFile);
      expect(checkOnnxStructure(bytes, { inputShape: ['N', 3, 64, 25, 2], outputShape: ['N', 60] })).toEqual([]);
      expect(readModelMetadata(e.onnxFile)?.architecture.gcnBlocks).toEqual(['l1', 'l5', 'l8']);

      const x = Float32Array.from({ length: 2 * 3 * 64 * 50 }, (_, i) => Math.cos(i * 0.11) * 0.8);
      const xt = tf.tensor(x, [2, 3, 64, 25, 2]);
      const y = model.forward(xt, { training: false });
      const ref = y.dataSync() as Float32Array;
      tf.dispose([xt, y]);
      const got = await runOnnxLogits(e.onnxFile, x, [2, 3, 64, 25, 2]);
      let d = 0;
      let scale = 0;
      for (let i = 0; i < ref.length; i++) {
        d = Math.max(d, Math.abs(got[i] - ref[i]));
        scale = Math.max(scale, Math.abs(ref[i]));
      }
      console.log(
        `[custom variant] tfjs vs ONNX: max |Δ logits| = ${d.toExponential(2)} (max |logit| ${scale.toFixed(2)})`,
      );
      expect(d).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
    } finally {
      opt.dispose();
      model.dispose();
    }
  });
});
