// Shared paths and loaders of the golden cases (test helper).
import path from 'node:path';
import { readNpyFloat32 } from '../data/npy.js';
import { readSafetensors } from '../model/safetensors.js';

export const SHARED = path.resolve(import.meta.dirname, '../../../shared');
export const GOLDEN = path.join(SHARED, 'golden');
export const FIXTURES = path.join(SHARED, 'fixtures/paddlevideo');

export function goldenCase(name: string) {
  const dir = path.join(GOLDEN, name);
  const input = readNpyFloat32(path.join(dir, 'input.npy'));
  const logits = readNpyFloat32(path.join(dir, 'logits.npy'));
  return {
    dir,
    weightsFile: path.join(dir, 'weights.safetensors'),
    weights: readSafetensors(path.join(dir, 'weights.safetensors')),
    input,
    logits,
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
