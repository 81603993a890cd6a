import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { GOLDEN } from './golden.test-util.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-cli-'));
const CONFIG = path.resolve(import.meta.dirname, '../../configs/ctrgcn_light_ntucs_joint.yaml');

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('ctrgcn export', () => {
  it('exports the official architecture through --override (both flag forms)', async () => {
    const w = path.join(GOLDEN, 'ctrgcn_base64_seed1/weights.safetensors');
    const out = path.join(tmp, 'official');
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
  });

  it('usage errors and named errors exit non-zero', async () => {
    expect((await cli(['export', '-p', 'x'])).code).toBe(2);
    expect((await cli(['export', '-c', CONFIG, '--precision', 'bf16'])).code).toBe(2);
    const r = await cli(['export', '-c', CONFIG, '-p', path.join(tmp, 'absent.pdparams'), '-o', tmp]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[E_WEIGHTS_MISSING]');
  });
});
