// Re-parameterisations of one function: the converted weights give the same logits (≤ 1e-5),
// the round trip gives the same bytes, and conversions that change the function are refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { main } from '../cli/main.js';
import { initBackend } from '../util/backend.js';
import type { BackboneSection } from './variants.js';
import type { ModelTree } from './block-tree.js';
import { createModel } from './ctrgcn.js';
import { goldenCase, maxAbsDiff } from './golden-cases.test-util.js';
import { convertWeights, NotReparameterisationError } from './reparam.js';
import { readSafetensors, type TensorMap } from './safetensors.js';
import { treeFromModelSection, variantTree } from './variants.js';
import { loadStateDict, stateDict } from './weights.js';

let tf: typeof tfType;
beforeAll(async () => {
  tf = (await initBackend()).tf;
});

function logits(tree: ModelTree, w: TensorMap, input: { data: Float32Array; shape: number[] }): Float32Array {
  const m = createModel(tree);
  try {
    loadStateDict(m, w, { strict: true });
    const x = tf.tensor(input.data, input.shape);
    const y = m.forward(x, { training: false });
    const out = y.dataSync() as Float32Array;
    tf.dispose([x, y]);
    return out;
  } finally {
    m.dispose();
  }
}

const custom = (backbone: BackboneSection) =>
  treeFromModelSection({ backbone, head: { name: 'CTRGCNHead', num_classes: 60 } });

const sameBytes = (a: TensorMap, b: TensorMap) =>
  [...a].every(([k, t]) => {
    const u = b.get(k);
    return u !== undefined && u.data.length === t.data.length && u.data.every((x, i) => x === t.data[i]);
  }) && a.size === b.size;

describe('weights between forms of one function', () => {
  it('CTRGCN_light → fused CTRGCN_lightV1 at base 60 and back', () => {
    const c = goldenCase('ctrgcn_light_seed2_train_step');
    const light = variantTree('ctrgcn_light');
    const v1 = variantTree('ctrgcn_light_v1', { baseChannel: 60 });
    const fused = convertWeights(light, v1, c.weights);
    expect([...fused.keys()]).toEqual(v1.tensors.map((t) => t.name));
    const d = maxAbsDiff(logits(light, c.weights, c.input), logits(v1, fused, c.input));
    console.log(`[reparam] light → lightV1 (base 60): max |Δ logits| = ${d.toExponential(2)}`);
    expect(d).toBeLessThanOrEqual(1e-5);
    expect(sameBytes(convertWeights(v1, light, fused), c.weights)).toBe(true);
  });

  it('CTRGCN_lightV1 golden (base 72) → CTRGCN_light layout at base 72', () => {
    const c = goldenCase('ctrgcn_light_v1_base72_seed22');
    const v1 = variantTree('ctrgcn_light_v1');
    const light = variantTree('ctrgcn_light', { baseChannel: 72 });
    const w = convertWeights(v1, light, c.weights);
    const d = maxAbsDiff(logits(light, w, c.input), c.logits.data);
    console.log(`[reparam] lightV1 golden → light (base 72): max |Δ golden logits| = ${d.toExponential(2)}`);
    expect(d).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(logits(light, w, c.input), logits(v1, c.weights, c.input))).toBeLessThanOrEqual(1e-5);
  });

  it('folds biases before BatchNorms into their running means (CTRGCN → a bias-free fused form)', () => {
    const c = goldenCase('ctrgcn_base64_seed1');
    const full = variantTree('ctrgcn');
    const fused = custom({ name: 'CTRGCN', ctrgc: 'fused', temporal: 'fused', conv_bias: false });
    const w = convertWeights(full, fused, c.weights);
    expect(w.has('backbone.l1.gcn1.down.0.bias')).toBe(false);
    const d = maxAbsDiff(logits(full, c.weights, c.input), logits(fused, w, c.input));
    console.log(`[reparam] CTRGCN → fused bias-free: max |Δ logits| = ${d.toExponential(2)}`);
    expect(d).toBeLessThanOrEqual(1e-5);
  });

  it('a shared relation map expands into per-subset maps, not the other way round', () => {
    const c = goldenCase('ctrgcn_light_v2_base62_seed23');
    const v2 = variantTree('ctrgcn_light_v2');
    const perSubset = custom({ name: 'CTRGCN_lightV2', base_channel: 62, ctrgc: 'fused' });
    const w = convertWeights(v2, perSubset, c.weights);
    expect(maxAbsDiff(logits(perSubset, w, c.input), c.logits.data)).toBeLessThanOrEqual(1e-4);
    expect(sameBytes(convertWeights(perSubset, v2, w), c.weights)).toBe(true);
    // Fresh per-subset weights have three different relation maps: a shared one cannot hold them.
    const m = createModel(perSubset, { seed: 4 });
    const fresh = stateDict(m);
    m.dispose();
    expect(() => convertWeights(perSubset, v2, fresh)).toThrow(
      /separate relation maps that a shared one cannot express/,
    );
  });

  it('refuses conversions that change the function, naming the block', () => {
    const c = goldenCase('ctrgcn_light_seed2_train_step');
    const light = variantTree('ctrgcn_light');
    expect(() => convertWeights(light, variantTree('ctrgcn_light_v2', { baseChannel: 60 }), c.weights)).toThrow(
      NotReparameterisationError,
    );
    expect(() => convertWeights(light, variantTree('ctrgcn_light_v2', { baseChannel: 60 }), c.weights)).toThrow(
      /l2: TCN_unit 60→60.*vs.*CTRGCN_lightV2 \(base 60\) l2: TCN_GCN_unit/,
    );
    expect(() => convertWeights(light, variantTree('ctrgcn_light_v1'), c.weights)).toThrow(/base 60.*base 72/);
  });

  it('CLI: weights convert --to ctrgcn_light_v1 and back', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reparam-'));
    const src = goldenCase('ctrgcn_light_seed2_train_step').weightsFile;
    const v1 = path.join(tmp, 'v1.pdparams');
    const back = path.join(tmp, 'light.safetensors');
    const quiet = (argv: string[]) => {
      const o = process.stdout.write.bind(process.stdout);
      const e = process.stderr.write.bind(process.stderr);
      let err = '';
      process.stdout.write = () => true;
      process.stderr.write = (s: string | Uint8Array) => ((err += String(s)), true);
      return main(argv).then(
        (code) => ((process.stdout.write = o), (process.stderr.write = e), { code, err }),
        (x: unknown) => {
          process.stdout.write = o;
          process.stderr.write = e;
          throw x;
        },
      );
    };
    const conv = ['weights', 'convert'];
    expect(
      (await quiet([...conv, '--model', 'ctrgcn_light', '--in', src, '--out', v1, '--to', 'CTRGCN_lightV1'])).code,
    ).toBe(0);
    const r = await quiet([
      ...conv,
      '--model',
      'ctrgcn_light_v1',
      '--base-channel',
      '60',
      '--in',
      v1,
      '--out',
      back,
      '--to',
      'ctrgcn_light',
    ]);
    expect(r.code).toBe(0);
    expect(sameBytes(readSafetensors(back), readSafetensors(src))).toBe(true);
    const bad = await quiet([
      ...conv,
      '--model',
      'ctrgcn_light',
      '--in',
      src,
      '--out',
      path.join(tmp, 'x.pdparams'),
      '--to',
      'ctrgcn_light_v2',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('[E_NOT_REPARAM]');
  });
});
