import { describe, expect, it } from 'vitest';
import { TrainLogger } from './logger.js';

/** A stream that keeps what is written; a terminal or a pipe. */
function sink(isTTY: boolean) {
  let text = '';
  const out = { isTTY, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream & {
    isTTY?: boolean;
  };
  return { out, text: () => text };
}

const line = (l: TrainLogger) =>
  l.epochLine({
    epoch: 1,
    mode: 'train',
    lossAvg: 1,
    top1Avg: 0.5,
    top5Avg: 0.9,
    avgBatchCost: 0.1,
    avgReaderCost: 0.01,
    batchCostSum: 1,
    avgIps: 100,
  });

describe('training log colours follow the colour policy', () => {
  it('a terminal gets the PaddleVideo colours, a pipe none', () => {
    expect(line(new TrainLogger({ out: sink(true).out, env: {}, progress: false }))).toContain('\x1b[31mEND epoch:1');
    expect(line(new TrainLogger({ out: sink(false).out, env: {}, progress: false }))).not.toContain('\x1b');
  });

  it('NO_COLOR turns them off on a terminal, FORCE_COLOR on in a pipe', () => {
    const noColor = new TrainLogger({ out: sink(true).out, env: { NO_COLOR: '1' }, progress: false });
    expect(line(noColor)).not.toContain('\x1b');
    const forced = new TrainLogger({ out: sink(false).out, env: { FORCE_COLOR: '1' }, progress: false });
    expect(line(forced)).toContain('\x1b[');
  });

  it('a line written to a pipe carries no escape code', () => {
    const s = sink(false);
    const l = new TrainLogger({ out: s.out, env: {}, progress: false });
    l.info(line(l));
    l.close();
    expect(s.text()).toMatch(/END epoch:1 +train loss_avg/);
    expect(s.text()).not.toContain('\x1b');
  });
});
