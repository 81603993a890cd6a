// The recipe names the model on the command line: for every public variant golden,
// `ctrgcn logits -c <recipe> -w <weights>` and the model `ctrgcn export -c <recipe>` writes (structural
// check clean, run with `ctrgcn logits --onnx`) match the golden logits; the export carries its
// variant and recipe (metadata_props, `ctrgcn model info`, metafile.yml), so `predict` needs no --config.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { runCli } from '../cli/in-process.test-util.js';
import { readNpyFloat32, writeNpy } from '../data/npy.js';
import { writeSafetensors, type TensorMap } from '../model/safetensors.js';
import { PACKAGE_ROOT } from '../model/variants.js';
import { checkOnnxStructure } from './graph/check-onnx.js';
import { goldenCase, goldenCaseJson, maxAbsDiff } from './golden.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'variant-cli-'));

const cli = runCli;

const CASES = ['ctrgcn_lite_base64_seed21', 'ctrgcn_light_v1_base72_seed22', 'ctrgcn_light_v2_base62_seed23'];

describe.each(CASES)('%s through the CLI', (name) => {
  const cj = goldenCaseJson(name);
  const c = goldenCase(name);
  const recipe = path.join(PACKAGE_ROOT, cj.product!.recipe);
  const input = path.join(c.dir, 'input.npy');
  const dir = path.join(tmp, name);
  const tol = cj.tolerances.logits.atol;

  it('logits -c <recipe> -w <golden weights> match the golden logits', async () => {
    const out = path.join(tmp, `${name}-tfjs.npy`);
    const r = await cli(['logits', '-c', recipe, '-w', c.weightsFile, '--input', input, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const d = maxAbsDiff(readNpyFloat32(out).data, c.logits.data);
    console.log(`[variant cli] ${name} tfjs logits: max |Δ| = ${d.toExponential(2)} (tol ${tol})`);
    expect(d).toBeLessThanOrEqual(tol);
  });

  it('export -c <recipe>: clean graph, golden logits, metadata, model info, metafile.yml', async () => {
    const r = await cli(['export', '-c', recipe, '-p', c.weightsFile, '-o', dir, '--save_name', 'inference']);
    expect(r.code, r.stderr).toBe(0);
    const onnx = path.join(dir, 'inference.onnx');
    expect(
      checkOnnxStructure(fs.readFileSync(onnx), { inputShape: ['N', 3, 64, 25, 2], outputShape: ['N', 60] }),
    ).toEqual([]);
    const out = path.join(tmp, `${name}-onnx.npy`);
    expect((await cli(['logits', '--onnx', onnx, '--input', input, '--out', out])).code).toBe(0);
    const d = maxAbsDiff(readNpyFloat32(out).data, c.logits.data);
    console.log(`[variant cli] ${name} ONNX logits: max |Δ| = ${d.toExponential(2)} (tol ${tol})`);
    expect(d).toBeLessThanOrEqual(tol);

    const side = JSON.parse(fs.readFileSync(path.join(dir, 'inference.json'), 'utf8'));
    const info = await cli(['model', 'info', onnx, '--json']);
    expect(info.code).toBe(0);
    const m = JSON.parse(info.stdout);
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    expect(m).toMatchObject({
      variant: cj.product!.model,
      backbone: cj.model.backbone,
      base_channel: cj.model.base_channel,
      recipe_sha256: side.recipe_sha256,
      recipe_file: recipe,
      package_version: pkg.version,
      labels: { num_classes: 60, dataset: 'NTU RGB+D 60' },
      preprocessing: { window_size: 64, T: 64, p_interval: [0.95] },
    });
    expect(m.labels.names).toHaveLength(60);
    expect(m.recipe_sha256).toMatch(/^[0-9a-f]{64}$/);
    const text = await cli(['model', 'info', onnx]);
    expect(text.stdout).toContain(`variant:         ${cj.product!.model} (${cj.model.backbone}`);
    expect(text.stdout).toMatch(/window 64 \(T = 64\), p_interval \[0\.95\]/);

    const meta = YAML.parse(fs.readFileSync(path.join(dir, 'metafile.yml'), 'utf8'));
    const model = meta.Models[0];
    expect(meta.Collections[0].Name).toBe('CTR-GCN');
    expect(model).toMatchObject({
      Name: side.model_name,
      'In Collection': 'CTR-GCN',
      Config: recipe,
      Weights: 'inference.onnx',
      Metadata: {
        Variant: cj.product!.model,
        Parameters: cj.params!.trainable,
        'Persistable Parameters': cj.params!.persistable_total,
        'Training Data': 'NTU RGB+D 60 (X-sub, joint)',
        'File Size': { 'inference.onnx': fs.statSync(onnx).size },
      },
      Results: [{ Task: 'Skeleton-based Action Recognition' }],
    });
    expect(model.Metadata.GMACs).toBeGreaterThan(1);
    // No evaluation of these weights is on record: no metrics are claimed.
    expect(model.Results[0].Metrics).toBeUndefined();
  });

  it('predict needs no --config; a --config that disagrees is a named error', async () => {
    const onnx = path.join(dir, 'inference.onnx');
    const x = readNpyFloat32(input);
    const one = path.join(tmp, `${name}-sample.npy`);
    writeNpy(one, '<f4', x.shape.slice(1), x.data.subarray(0, x.data.length / x.shape[0]));
    const r = await cli(['predict', '--model_file', onnx, '--input_file', one, '--use_gpu', 'False']);
    expect(r.code, r.stderr).toBe(0);
    const side = JSON.parse(fs.readFileSync(path.join(dir, 'inference.json'), 'utf8'));
    expect(r.stdout.split('\n')[0]).toBe(`Inference model(${side.model_name})...`);
    expect(r.stdout).toMatch(/\ttop-1 class: \d+\n\ttop-1 score: 0\.\d+/);
    // The full upstream-style recipe of the same network agrees (different data, same model).
    expect(
      (await cli(['predict', '--config', recipe, '--model_file', onnx, '--input_file', one, '--use_gpu=False'])).code,
    ).toBe(0);
    const light = path.join(PACKAGE_ROOT, 'configs/ctrgcn_light_ntucs_joint.yaml');
    const bad = await cli(['predict', '--config', light, '--model_file', onnx, '--input_file', one, '--use_gpu=False']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[E_CONFIG_MISMATCH]');
    expect(bad.stderr).toMatch(/architecture: recipe CTRGCN_light base 60/);
  });
});

describe('checkpoint key map', () => {
  it('a RecognizerDistillation checkpoint (Student.0/Student.1 + Teacher) loads as its student', async () => {
    const c = goldenCase('ctrgcn_lite_base64_seed21');
    const dml: TensorMap = new Map();
    for (const [k, t] of c.weights) dml.set(k.replace(/^backbone\./, 'Student.0.').replace(/^head\./, 'Student.1.'), t);
    dml.set('Teacher.0.data_bn.weight', c.weights.get('backbone.data_bn.weight')!);
    dml.set('Teacher.1.fc.bias', c.weights.get('head.fc.bias')!);
    const file = path.join(tmp, 'dml.safetensors');
    writeSafetensors(file, dml);
    const out = path.join(tmp, 'dml-logits.npy');
    const recipe = path.join(PACKAGE_ROOT, 'configs/ctrgcn_lite_ntucs_joint.yaml');
    const r = await cli(['logits', '-c', recipe, '-w', file, '--input', path.join(c.dir, 'input.npy'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(maxAbsDiff(readNpyFloat32(out).data, c.logits.data)).toBeLessThanOrEqual(1e-4);
  });
});
