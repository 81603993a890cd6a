// `ctrgcn tipc report --history R1.json R2.json … | DIR`: the headline figures of several runs, oldest
// first, with each regression beyond gates.regression marked; a terminal table, and on request an HTML
// page and a Markdown table (also appended to $GITHUB_STEP_SUMMARY when that is set).
import { appendFileSync } from 'node:fs';
import { UsageError, type FlagSpec, type ParsedFlags } from './args.js';
import {
  buildHistory,
  historyMarkdown,
  historyTable,
  readHistoryReports,
  regressionThresholds,
  renderHistoryHtml,
  type History,
} from '../tipc/history/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export const HISTORY_USAGE = '--history R1.json R2.json … | DIR [--html OUT.html] [--markdown OUT.md|-]';

export const HISTORY_DESCRIPTION =
  ' --history shows several runs oldest first (by startedAt; a DIR is searched for report.json files), one table per ' +
  'model and mode: exported fp32 size, exported top-1, latency ÷ reference p50 and status, each change beyond the ' +
  "newer run's gates.regression marked (a relative gates file path is found under --root); exit 0 unless a report is unreadable (--fail-on-regression: 1 on a regression).";

export const HISTORY_FLAGS: FlagSpec[] = [
  {
    name: 'history',
    type: 'switch',
    help: 'trends across runs: the given report.json files or folders (searched for report.json), oldest first',
  },
  { name: 'fail-on-regression', type: 'switch', help: 'with --history: exit 1 when a regression is marked' },
];

/** Writes the requested outputs of a history; returns "html: FILE"-style lines naming what was written. */
function writeHistoryOutputs(h: History, flags: ParsedFlags, env: NodeJS.ProcessEnv): string[] {
  const written: string[] = [];
  if (typeof flags.html === 'string') {
    writeFileAtomic(flags.html, renderHistoryHtml(h));
    written.push(`html: ${flags.html}`);
  }
  const markdown = typeof flags.markdown === 'string' ? flags.markdown : undefined;
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (!markdown && !summaryFile) return written;
  const md = historyMarkdown(h);
  if (markdown === '-') process.stdout.write(md);
  else if (markdown) {
    writeFileAtomic(markdown, md);
    written.push(`markdown: ${markdown}`);
  }
  if (summaryFile) {
    appendFileSync(summaryFile, md);
    written.push(`step summary: ${summaryFile}`);
  }
  return written;
}

/** `--history`: reads the reports, prints and writes their history; the exit code. */
export function runHistory(flags: ParsedFlags, positionals: string[], env = process.env): number {
  if (!positionals.length) throw new UsageError('--history needs report.json files or a folder holding them');
  for (const other of ['merge', 'out', 'junit'] as const)
    if (flags[other] !== undefined && flags[other] !== false)
      throw new UsageError(`--${other} does not go with --history`);
  const root = String(flags.root);
  const history = buildHistory(readHistoryReports(positionals), (r) => regressionThresholds(r, root));
  // With `--markdown -` stdout carries the Markdown alone; the lines naming written files go to stderr.
  const say = (t: string) => (flags.markdown === '-' ? process.stderr : process.stdout).write(t);
  if (flags.markdown !== '-') say(historyTable(history));
  for (const line of writeHistoryOutputs(history, flags, env)) say(`${line}\n`);
  return flags['fail-on-regression'] === true && history.regressions > 0 ? 1 : 0;
}
