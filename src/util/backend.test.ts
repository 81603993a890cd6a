import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';

const distBackend = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/util/backend.js')).href;

/** A fresh process that initialises the native backend, with TF_ENABLE_ONEDNN_OPTS as given (or unset). */
async function loadIn(onednnEnv: string | undefined): Promise<{ env?: string; on: boolean; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '0' };
  delete env.TF_ENABLE_ONEDNN_OPTS;
  if (onednnEnv !== undefined) env.TF_ENABLE_ONEDNN_OPTS = onednnEnv;
  const script =
    `const b = await import(${JSON.stringify(distBackend)}); await b.initBackend('tensorflow');` +
    `console.log(JSON.stringify({ env: process.env.TF_ENABLE_ONEDNN_OPTS, on: b.onednnEnabled() }));`;
  const r = await execa('node', ['--input-type=module', '-e', script], { env, extendEnv: false });
  return { ...(JSON.parse(r.stdout.trim().split('\n').pop()!) as { env?: string; on: boolean }), stderr: r.stderr };
}

describe('backend', () => {
  it('initialises the native tensorflow backend', async () => {
    const { tf, backend } = await initBackend();
    expect(backend).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));
    expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3]);
  });

  it("loads libtensorflow with oneDNN's kernels unless the user turned them off", async () => {
    const unset = await loadIn(undefined);
    expect(unset).toMatchObject({ env: '1', on: true });
    expect(unset.stderr).toContain('oneDNN custom operations are on');
    const off = await loadIn('0');
    expect(off).toMatchObject({ env: '0', on: false });
    expect(off.stderr).not.toContain('oneDNN custom operations are on');
  }, 60_000);
});
