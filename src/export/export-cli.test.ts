import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/in-process.test-util.js';
import { GOLDEN } from './golden.test-util.js';
import { decodeModel } from './graph/onnx-builder.js';
import { RECORDS_ENV, recordsOf } from '../contracts/index.js';
import { checkRecords, RECORDS_OK } from '../contracts/records.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-cli-'));
const CONFIG = path.resolve(import.meta.dirname, '../../configs/ctrgcn_light_ntucs_joint.yaml');

const cli = runCli;

describe('ctrgcn export', () => {
  it('exports the official architecture through --override (both flag forms)', async () => {
    const w = path.join(GOLDEN, 'ctrgcn_base64_seed1/weights.safetensors');
    const out = path.join(tmp, 'official');
    const records = path.join(tmp, 'official.records.jsonl');
    vi.stubEnv(RECORDS_ENV, records);
    const r = await cli([
      'export',
      '-c',
      CONFIG,
      '--override',
      'MODEL.backbone.name=CTRGCN',
      '--override=MODEL.backbone.base_channel=64',
      '--override=MODEL.head.in_channels=64',
      '--override',
      'model_name=CTRGCN_joint',
      `-p=${w}`,
      '-o',
      out,
      '--save_name',
      'inference',
      '--precision',
      'int8',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Building model(CTRGCN_joint)...');
    expect(r.stdout).toContain(`Loading params from (${w})...`);
    expect(r.stdout).toContain(`model (CTRGCN_joint) has been already saved in (${out}).`);
    const side = JSON.parse(fs.readFileSync(path.join(out, 'inference.json'), 'utf8'));
    expect(side).toMatchObject({ backbone: 'CTRGCN', base_channel: 64, precision: 'int8', model_name: 'CTRGCN_joint' });
    expect(side.files['inference.onnx']).toBe(fs.statSync(path.join(out, 'inference.onnx')).size);
    expect(fs.readdirSync(out).sort()).toEqual(['inference.json', 'inference.onnx', 'metafile.yml']);
    vi.unstubAllEnvs();
    // The export record (src/contracts) says the same, for a driver.
    const rc = checkRecords(records, ['export']);
    expect(rc).toMatchObject(RECORDS_OK);
    const [rec] = recordsOf(rc.records, 'export');
    expect(rec).toMatchObject({ precision: 'int8', files: side.files, total_bytes: side.total_bytes, dir: out });
    expect(rec.source).toMatchObject({ weights: w, sha256: side.source.sha256 });
    // and the sha256 of every file it wrote: the provenance gate's link from an evaluation to this export
    const sha = (f: string) =>
      createHash('sha256')
        .update(fs.readFileSync(path.join(out, f)))
        .digest('hex');
    expect(rec.files_sha256).toEqual({
      'inference.onnx': sha('inference.onnx'),
      'inference.json': sha('inference.json'),
    });
  });

  it('--init-seed exports deterministic initial weights (a reference model) and names them in the sidecar', async () => {
    const out = path.join(tmp, 'init');
    const args = ['export', '-c', CONFIG, '--init-seed', '3', '-o', out, '--save_name', 'inference'];
    expect((await cli(args)).code).toBe(0);
    const side = JSON.parse(fs.readFileSync(path.join(out, 'inference.json'), 'utf8'));
    expect(side.source.weights).toBe(path.join(out, 'init_seed3.safetensors'));
    const first = fs.readFileSync(path.join(out, 'inference.onnx'));
    expect((await cli(args)).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'inference.onnx'))).toEqual(first);
    expect((await cli([...args, '-p', 'x.pdparams'])).code).toBe(2);
  });

  it('--no-fuse writes the plain graph (BatchNorm nodes), said in the sidecar, the metadata and the output line', async () => {
    const w = path.join(GOLDEN, 'ctrgcn_light_paddle_epoch1_example/weights.safetensors');
    const out = path.join(tmp, 'plain');
    const base = ['export', '-c', CONFIG, '-p', w, '--save_name', 'inference'];
    const plain = await cli([...base, '-o', out, '--no-fuse']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/nodes \(plain graph\)/);
    const fused = await cli([...base, '-o', path.join(tmp, 'fused')]);
    expect(fused.stdout).toMatch(/nodes \(fused graph\)/);
    const side = JSON.parse(fs.readFileSync(path.join(out, 'inference.json'), 'utf8'));
    const sideF = JSON.parse(fs.readFileSync(path.join(tmp, 'fused', 'inference.json'), 'utf8'));
    expect(side.graph).toMatchObject({ fused: false, bn_folded: false });
    expect(sideF.graph).toMatchObject({ fused: true, bn_folded: true });
    expect(side.graph.nodes).toBeGreaterThan(sideF.graph.nodes);
    const model = decodeModel(fs.readFileSync(path.join(out, 'inference.onnx')));
    expect(model.graph!.node!.some((n) => n.opType === 'BatchNormalization')).toBe(true);
    expect(model.metadataProps.find((p) => p.key === 'graph')?.value).toBe('plain');
  });

  it('usage errors and named errors exit non-zero', async () => {
    expect((await cli(['export', '-p', 'x'])).code).toBe(2);
    expect((await cli(['export', '-c', CONFIG, '--precision', 'bf16'])).code).toBe(2);
    const r = await cli(['export', '-c', CONFIG, '-p', path.join(tmp, 'absent.pdparams'), '-o', tmp]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[E_WEIGHTS_MISSING]');
  });
});
