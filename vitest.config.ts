import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // 2-core CI machines: the native backend is multi-threaded already.
    maxWorkers: 2,
    env: { TF_CPP_MIN_LOG_LEVEL: '3' },
  },
});
