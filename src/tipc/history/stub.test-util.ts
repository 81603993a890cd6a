// Three report.json files of one model for the history page's tests, made from a real run record: the
// stub chain with the full gates file (size, exported top-1 and latency ratio all measured), moved to
// three days and given figures that regress once in size and once in top-1, the last run without a
// latency figure. The folders' names sort newest first, so an order by name would be wrong.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { runChain } from '../run/chain.js';
import { stubRoot } from '../run/stub-chain.test-util.js';
import { historyFigures } from './series.js';
import { withFigures, writeReportAt } from './reports.test-util.js';

const FIX = path.resolve(import.meta.dirname, '../__fixtures__');

export interface StubHistory {
  /** The scratch root of the chain (remove it afterwards); the reports are under `dir`. */
  root: string;
  dir: string;
  /** The report files, oldest run first. */
  files: string[];
}

export async function stubHistory(): Promise<StubHistory> {
  const { root, params } = stubRoot();
  copyFileSync(path.join(FIX, 'stub_gates.yaml'), path.join(path.dirname(params), 'gates.yaml'));
  const { report } = await runChain({
    params,
    mode: 'lite_train_lite_infer',
    root,
    gpuAvailable: false,
    out: () => {},
  });
  const f = historyFigures(report);
  if (f.size === null || f.top1 === null || f.latency === null)
    throw new Error(`the stub chain measured no ${JSON.stringify(f)}`);
  const dir = path.join(root, 'history');
  const runs = [
    { rel: 'c-run/report.json', startedAt: '2026-01-01T08:00:00.000Z', ...f },
    // +5 % size: past the default 1 %; top-1 −0.5 pt and latency +2 % stay within theirs.
    {
      rel: 'b-run/lite/report.json',
      startedAt: '2026-01-02T08:00:00.000Z',
      size: Math.round(f.size * 1.05),
      top1: f.top1 - 0.005,
      latency: f.latency * 1.02,
    },
    // top-1 −5 pt: past the default 1 pt; no latency figure.
    {
      rel: 'a-run/report.json',
      startedAt: '2026-01-03T08:00:00.000Z',
      size: Math.round(f.size * 1.05),
      top1: f.top1 - 0.055,
      latency: null,
    },
  ];
  const files = runs.map(({ rel, ...fig }) => writeReportAt(dir, rel, withFigures(report, fig)));
  return { root, dir, files };
}
