// bin/ctrgcn.js: native-backend commands run behind a stderr filter that drops libtensorflow's
// start-up banners and passes everything else (and the exit code) through.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../src/util/shared-data.test-util.js';

const root = path.resolve(import.meta.dirname, '..');
const G = sharedPath('golden/ctrgcn_light_paddle_epoch1_example');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-')), 'y.npy');
const argv = [
  'bin/ctrgcn.js',
  'logits',
  '--model',
  'ctrgcn_light',
  '-w',
  `${G}/weights.safetensors`,
  '--input',
  `${G}/input.npy`,
  '--out',
  out,
];

describe('ctrgcn launcher', () => {
  it('drops the absl/oneDNN banners of libtensorflow from stderr, keeps stdout and the exit code', async () => {
    // At log level 0 the library prints its banners whatever its version (newer ones honour level 3).
    const env = { TF_CPP_MIN_LOG_LEVEL: '0' };
    const raw = await execa('node', argv, { cwd: root, reject: false, env: { ...env, CTRGCN_RAW_STDERR: '1' } });
    expect(raw.exitCode).toBe(0);
    expect(raw.stderr).toMatch(/oneDNN|absl/); // the library really prints them
    const filtered = await execa('node', argv, { cwd: root, reject: false, env });
    expect(filtered.exitCode).toBe(0);
    expect(filtered.stderr).not.toMatch(/oneDNN|absl|rebuild TensorFlow/);
    expect(filtered.stdout).toContain('wrote logits [1, 60]');
  });

  it('passes errors through with a non-zero exit', async () => {
    const r = await execa(
      'node',
      [
        'bin/ctrgcn.js',
        'logits',
        '--model',
        'ctrgcn_light',
        '-w',
        `${G}/weights.safetensors`,
        '--input',
        '/nonexistent/x.npy',
        '--out',
        out,
      ],
      {
        cwd: root,
        reject: false,
      },
    );
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('/nonexistent/x.npy: no such file');
    expect(r.stderr).not.toMatch(/oneDNN/);
  });
});
