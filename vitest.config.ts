import { defineConfig } from 'vitest/config';

// The chain e2e files each run whole TIPC chains whose latency gates compare timings taken
// minutes apart: they run one after the other, after every other test, on an otherwise quiet machine.
const CHAINS = ['test/e2e/main-job.test.ts', 'test/e2e/variants.test.ts', 'test/e2e/paddle-golden.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // 2-core CI machines: the native backend is multi-threaded already.
    maxWorkers: 2,
    env: { TF_CPP_MIN_LOG_LEVEL: '3' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: CHAINS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'chains', include: CHAINS, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
