import { describe, expect, it } from 'vitest';
import { withFlags } from './extra-steps.js';
import { loadGates, validateChain } from '../params/gates-config.js';

describe('reference inference flags', () => {
  const tpl = ['node', 'bin/ctrgcn.js', 'predict', '--config', 'configs/light.yaml', '--use_gpu=False'];

  it('replaces a spaced or an = flag value with the reference model’s own', () => {
    expect(withFlags(tpl, { '--config': 'configs/ref.yaml' })).toEqual([
      'node',
      'bin/ctrgcn.js',
      'predict',
      '--config',
      'configs/ref.yaml',
      '--use_gpu=False',
    ]);
    expect(withFlags(tpl, { '--use_gpu': 'True' }).at(-1)).toBe('--use_gpu=True');
    expect(withFlags(tpl, { '--cpu_threads': '2' }).at(-1)).toBe('--cpu_threads=2');
    expect(withFlags(tpl, undefined)).toEqual(tpl);
  });

  it('is part of the chain schema, flags only', () => {
    expect(() =>
      validateChain({ reference: { name: 'R', export: 'x', inferFlags: { '--config': 'c.yaml' } } }, 'g.yaml'),
    ).not.toThrow();
    expect(() =>
      validateChain({ reference: { name: 'R', export: 'x', inferFlags: { config: 'c.yaml' } } }, 'g.yaml'),
    ).toThrow(/g\.yaml/);
  });

  it('the shipped light chain names the reference recipe for its inference', () => {
    const { chain } = loadGates('test_tipc/configs/CTRGCN_light_joint/train_infer_python.txt');
    expect(chain.reference?.inferFlags).toEqual({ '--config': 'configs/ctrgcn_ntucs_joint.yaml' });
  });
});
