import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';

describe('backend', () => {
  it('initialises the native tensorflow backend', async () => {
    const { tf, backend } = await initBackend();
    expect(backend).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));
    expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3]);
  });
});
