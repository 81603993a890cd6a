import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { main } from '../cli/main.js';
import { modelSummary } from '../model/summary.js';
import { PACKAGE_ROOT } from '../model/variants.js';
import { buildMetadata, metadataProps, parseMetadata, recipeConflicts, recipeOfModel } from './metadata.js';
import { metafileYaml, recordedEvalMetrics } from './metafile.js';
import { DType, OnnxGraphBuilder, encodeModel } from './graph/onnx-builder.js';
import { canonicalJson, readRecipe } from './recipe.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metadata-'));
const V1 = path.join(PACKAGE_ROOT, 'configs/ctrgcn_light_v1_ntucs_joint.yaml');
const V1_LITE = path.join(PACKAGE_ROOT, 'configs/ctrgcn_light_v1_lite.yaml');

describe('model metadata', () => {
  it('round-trips through metadata_props, with the recipe and its digest', () => {
    const r = readRecipe(V1);
    const props = metadataProps(buildMetadata(r, 'fp16'));
    for (const v of Object.values(props)) expect(typeof v).toBe('string');
    const m = parseMetadata(props, 'x.onnx')!;
    expect(m).toMatchObject({ variant: 'ctrgcn_light_v1', backbone: 'CTRGCN_lightV1', precision: 'fp16' });
    expect(m.recipe_sha256).toBe(r.digest);
    expect(recipeOfModel(m, 'x.onnx').digest).toBe(r.digest);
    // The lite recipe of the same network agrees; an edited architecture or window does not.
    expect(recipeConflicts(readRecipe(V1_LITE), m)).toEqual([]);
    expect(recipeConflicts(readRecipe(V1, ['MODEL.backbone.gcn_blocks=[l1]']), m)[0]).toMatch(/^architecture/);
    expect(recipeConflicts(readRecipe(V1, ['INFERENCE.window_size=48']), m)).toEqual([
      'INFERENCE window_size: recipe 48 vs model 64',
    ]);
    // A tampered recipe no longer matches its digest.
    expect(() => recipeOfModel({ ...m, recipe: m.recipe.replace('"epochs":100', '"epochs":99') }, 'x.onnx')).toThrow(
      /does not match its sha256/,
    );
    expect(parseMetadata({ model: 'other' }, 'y.onnx')).toBeUndefined();
  });

  it('normalises recipes: key order does not change the digest', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } })).toBe(
      '{"a":{"c":3,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('metafile.yml: metrics only when an evaluation of that very checkpoint is on record', () => {
    const r = readRecipe(V1);
    const weights = path.join(tmp, 'w.pdparams');
    fs.writeFileSync(weights, 'x');
    const input = {
      recipe: r,
      summary: modelSummary(r.tree),
      precision: 'fp32',
      files: { 'inference.onnx': 10, 'inference.json': 5 },
      weightsFile: 'inference.onnx',
      sourceWeights: { file: weights, sha256: 'ab' },
    };
    expect(recordedEvalMetrics(weights)).toBeUndefined();
    fs.writeFileSync(
      path.join(tmp, 'eval_metrics.json'),
      JSON.stringify({ weights, data: 'val_data.npy', samples: 300, top1: 0.8123, top5: 0.99 }),
    );
    const metrics = recordedEvalMetrics(weights)!;
    expect(metrics).toMatchObject({ top1: 0.8123, samples: 300 });
    const doc = YAML.parse(metafileYaml({ ...input, metrics }));
    expect(doc.Models[0].Results[0].Metrics).toMatchObject({ 'Top 1 Accuracy': 81.23, 'Top 5 Accuracy': 99 });
    expect(doc.Models[0].Metadata).toMatchObject({ 'Total File Size': 15, GMACs: 1.648, FLOPs: '1.648G' });
    // An evaluation of another file of that name is not this checkpoint's.
    expect(recordedEvalMetrics(path.join(tmp, 'other.pdparams'))).toBeUndefined();
  });

  it('model info on a file exported elsewhere prints its raw metadata_props', async () => {
    const g = new OnnxGraphBuilder('t');
    g.addInput('x', DType.FLOAT, ['N', 2]);
    g.node('Identity', ['x'], {}, 1, 'id', ['y']);
    g.addOutput('y', DType.FLOAT, ['N', 2]);
    const file = path.join(tmp, 'other.onnx');
    fs.writeFileSync(file, encodeModel(g.build({ producer: 'else', metadata: { author: 'someone' } })));
    let out = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    try {
      expect(await main(['model', 'info', file])).toBe(0);
    } finally {
      o.mockRestore();
    }
    expect(out).toContain('no ctrgcn metadata');
    expect(out).toContain('author: someone');
    // predict cannot guess its recipe: a named error asking for --config.
    let err = '';
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    try {
      expect(await main(['predict', '--model_file', file, '--input_file', file, '--use_gpu', 'False'])).toBe(1);
    } finally {
      e.mockRestore();
    }
    expect(err).toMatch(/\[E_MODEL_METADATA\].*pass its recipe with --config/);
  });
});
