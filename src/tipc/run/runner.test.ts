import { describe, expect, it } from 'vitest';
import { RECORDS_ENV } from '../../contracts/index.js';
import { childEnv } from './runner.js';

describe("a command's environment", () => {
  it("inherits the base environment but not the terminal's colour forcing or the launcher's terminal flag", () => {
    const env = childEnv(
      { PATH: '/bin', NO_COLOR: '1', FORCE_COLOR: '1', CTRGCN_STDERR_TTY: '1', Count: '9', CUDA_VISIBLE_DEVICES: '3' },
      { CUDA_VISIBLE_DEVICES: '0' },
      '/tmp/r.jsonl',
    );
    // Its output goes to its log file: colour codes and redraws there would only be noise.
    expect(env).toEqual({ PATH: '/bin', NO_COLOR: '1', CUDA_VISIBLE_DEVICES: '0', [RECORDS_ENV]: '/tmp/r.jsonl' });
  });
});
