// The int8 export (per-channel weights + DequantizeLinear, fp32 activations) against its own
// graph semantics and against fp32, on every golden eval case:
// - the optimised session (what predict runs) gives the logits of the unoptimised session of the
//   same graph (≤ 1e-5, or 1e-6 of the largest logit): the runtime computes what was exported;
// - int8 stays close to fp32: every sample keeps its top-1 class, and max |Δ logits| stays within
//   15 % of the largest fp32 logit. Each weight's own int8 error is 0.7 % (relative RMS), but it
//   compounds over ten blocks and the relation maps: measured 2.7 % … 9.9 % over the golden cases.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createSession, ortSessionOptions, runBatch } from '../infer/session.js';
import { argmaxRows } from '../util/argmax.js';
import { emitCtrgcnOnnx } from './graph/emit-ctrgcn.js';
import { decodeModel, encodeModel } from './graph/onnx-builder.js';
import type { Precision } from './quantize.js';
import { goldenCase, goldenCaseJson, goldenCaseNames, goldenCaseTree, maxAbsDiff } from './golden.test-util.js';

const evalCases = goldenCaseNames().filter((n) => !goldenCaseJson(n).mode.startsWith('train'));

describe.each(evalCases)('int8 export on %s', (caseName) => {
  it('runs as exported and stays within the quantisation error of fp32', async () => {
    const cj = goldenCaseJson(caseName);
    const c = goldenCase(caseName);
    const tree = goldenCaseTree(cj);
    const T = c.input.shape[2];
    const bytes = (precision: Precision) =>
      encodeModel(emitCtrgcnOnnx(tree, c.weights, { window: T, precision }).model);
    const logits = async (b: Uint8Array, optimize: boolean) => {
      const { session } = await createSession(b, { provider: 'cpu', threads: 1, optimize });
      try {
        return (await runBatch(session, c.input.data, c.input.shape)).data;
      } finally {
        await session.release();
      }
    };
    const int8 = bytes('int8');
    const optimised = await logits(int8, true);
    const literal = await logits(int8, false);
    const fp32 = await logits(bytes('fp32'), true);
    const scale = Math.max(...Array.from(fp32, Math.abs));
    const dRuntime = maxAbsDiff(optimised, literal);
    const dQuant = maxAbsDiff(optimised, fp32);
    console.log(
      `[int8] ${caseName}: optimised vs unoptimised ${dRuntime.toExponential(3)}, vs fp32 ${dQuant.toExponential(3)}` +
        ` (largest |logit| ${scale.toFixed(2)}), top-1 ${argmaxRows(optimised, 60).join(',')} vs ${argmaxRows(fp32, 60).join(',')}`,
    );
    expect(dRuntime).toBeLessThanOrEqual(Math.max(1e-5, 1e-6 * scale));
    expect(dQuant).toBeLessThanOrEqual(0.15 * scale);
    expect(Array.from(argmaxRows(optimised, 60))).toEqual(Array.from(argmaxRows(fp32, 60)));
  });
});

// Not slower than fp32, by construction rather than by a timing: with the package's session options
// the graph onnxruntime runs for the int8 export is the one it runs for the fp32 export (the int8
// weights folded to fp32 at load), node for node; without them it keeps a DequantizeLinear per weight.
describe('int8 export after onnxruntime optimisation', () => {
  it('is the optimised fp32 graph, op for op', async () => {
    const c = goldenCase('ctrgcn_light_paddle_epoch1_example');
    const tree = goldenCaseTree(goldenCaseJson('ctrgcn_light_paddle_epoch1_example'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'int8-opt-'));
    const optimisedOps = async (precision: Precision, options: ort.InferenceSession.SessionOptions) => {
      const file = path.join(dir, `${precision}-${Object.keys(options).length}.onnx`);
      const bytes = encodeModel(emitCtrgcnOnnx(tree, c.weights, { window: 64, precision }).model);
      // 'extended': every rewrite but the machine-specific NCHWc layout, so the saved graph is portable.
      const s = await ort.InferenceSession.create(bytes, {
        ...options,
        graphOptimizationLevel: 'extended',
        optimizedModelFilePath: file,
      });
      await s.release();
      return decodeModel(new Uint8Array(fs.readFileSync(file))).graph!.node!.map((n) => n.opType);
    };
    const ours = ortSessionOptions('cpu', { threads: 1 });
    const fp32 = await optimisedOps('fp32', ours);
    const int8 = await optimisedOps('int8', ours);
    expect(int8).toEqual(fp32);
    const { extra: _dropped, ...withoutOurs } = ours;
    const unfolded = await optimisedOps('int8', withoutOurs);
    expect(unfolded).toContain('DequantizeLinear');
    console.log(`[int8] optimised: ${int8.length} nodes as fp32 ${fp32.length}; without the option ${unfolded.length}`);
  });
});
