// The int8 export (per-channel weights + DequantizeLinear, fp32 activations) against its own
// graph semantics and against fp32, on every golden eval case:
// - the optimised session (what predict runs) gives the logits of the unoptimised session of the
//   same graph (≤ 1e-5, or 1e-6 of the largest logit): the runtime computes what was exported;
// - int8 stays close to fp32: every sample keeps its top-1 class, and max |Δ logits| stays within
//   15 % of the largest fp32 logit. Each weight's own int8 error is 0.7 % (relative RMS), but it
//   compounds over ten blocks and the relation maps: measured 2.7 % … 9.9 % over the golden cases.
import { describe, expect, it } from 'vitest';
import { createSession, runBatch } from '../infer/session.js';
import { emitCtrgcnOnnx } from './emit-ctrgcn.js';
import { encodeModel } from './onnx-builder.js';
import type { Precision } from './quantize.js';
import { goldenCase, goldenCaseJson, goldenCaseNames, goldenCaseTree, maxAbsDiff } from './golden.test-util.js';

const evalCases = goldenCaseNames().filter((n) => !goldenCaseJson(n).mode.startsWith('train'));

function argmaxRows(x: Float32Array, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r * cols < x.length; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (x[r * cols + c] > x[r * cols + best]) best = c;
    out.push(best);
  }
  return out;
}

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
    expect(argmaxRows(optimised, 60)).toEqual(argmaxRows(fp32, 60));
  });
});
