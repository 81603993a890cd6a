// Session options: intra-op spinning is off unless asked for (its effect on latency and CPU time is
// measured by `npm run bench -- infer`, spinning_off_over_on), and it leaves results unchanged.
import { describe, expect, it } from 'vitest';
import { createSession, defaultSpinning, ortSessionOptions, runBatch } from './session.js';
import { tinyModel } from './tiny-model.test-util.js';

const spinKey = (o: ReturnType<typeof ortSessionOptions>) =>
  (o.extra as { session: Record<string, string> }).session['intra_op.allow_spinning'];

describe('ortSessionOptions spinning', () => {
  it('turns intra-op spinning off by default at every thread count, on when asked', () => {
    expect(defaultSpinning()).toBe(false);
    for (const threads of [undefined, 1, 2, 4]) expect(spinKey(ortSessionOptions('cpu', { threads }))).toBe('0');
    expect(spinKey(ortSessionOptions('cpu', { threads: 2, spinning: true }))).toBe('1');
    // The int8 option stays beside it.
    expect((ortSessionOptions('cpu').extra as { session: Record<string, string> }).session.disable_quant_qdq).toBe('1');
  });

  it('sessions with spinning off and on start and give the same logits', async () => {
    const x = Float32Array.from({ length: 2 * 3 * 64 * 25 * 2 }, (_, i) => Math.cos(i * 0.01));
    const logits: Float32Array[] = [];
    for (const spinning of [false, true]) {
      const { session } = await createSession(tinyModel(), { provider: 'cpu', threads: 2, spinning });
      logits.push((await runBatch(session, x, [2, 3, 64, 25, 2])).data);
      await session.release();
    }
    expect(logits[0]).toHaveLength(120);
    expect(logits[0]).toEqual(logits[1]);
  });
});
