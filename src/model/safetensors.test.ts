import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, readSafetensors, serializeSafetensors } from './safetensors.js';

describe('safetensors', () => {
  it('reads the golden light weights: 541 tensors, 1,031,550 floats', () => {
    const t = readSafetensors(path.resolve('../shared/golden/ctrgcn_light_paddle_epoch1_example/weights.safetensors'));
    expect(t.size).toBe(541);
    let n = 0;
    for (const v of t.values()) n += v.data.length;
    expect(n).toBe(1_031_550);
    expect(t.get('head.fc.weight')!.shape).toEqual([240, 60]);
  });
  it('round-trips', () => {
    const m = new Map([
      ['b', { shape: [2], data: Float32Array.from([1, 2]) }],
      ['a', { shape: [1, 1], data: Float32Array.from([3]) }],
    ]);
    const back = parseSafetensors(serializeSafetensors(m, { k: 'v' }));
    expect(back.metadata).toEqual({ k: 'v' });
    expect(Array.from(back.tensors.get('b')!.data)).toEqual([1, 2]);
    expect(back.tensors.get('a')!.shape).toEqual([1, 1]);
  });
});
