// `ctrgcn tipc report`: print a report's summary, re-render its HTML, or merge shard reports.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { mergeReports, readReport, writeRunReport, writeWith } from '../tipc/report/index.js';
import { emitReport, REPORT_OUTPUT_FLAGS } from './report-output.js';
import { trainingCurve } from '../tipc/run/index.js';
import { HISTORY_DESCRIPTION, HISTORY_FLAGS, HISTORY_USAGE, runHistory } from './tipc-report-history.js';

export const spec: CommandSpec = {
  usage: ['REPORT.json [--html OUT.html]', '--merge R1.json R2.json … -o OUT.json', HISTORY_USAGE],
  description:
    'Validate a report.json against reports/schema/report.schema.json and print its summary table; --merge combines shard reports (OUT.json + OUT.html); ' +
    '--junit and --markdown write the report in those forms too. Exit code: 0 if the (merged) report passes.' +
    HISTORY_DESCRIPTION,
  positionals: ['REPORT.json…'],
  flags: [
    { name: 'merge', type: 'switch', help: 'merge the given shard reports' },
    { name: 'out', short: 'o', help: 'merged report path (with --merge)' },
    { name: 'html', help: 're-render the HTML report to this path' },
    ...REPORT_OUTPUT_FLAGS,
    ...HISTORY_FLAGS,
    { name: 'root', default: '.', help: "directory the steps' log paths are relative to (where the run ran)" },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (flags.history) return runHistory(flags, positionals);
  if (!positionals.length) throw new UsageError('expected at least one REPORT.json');
  if (flags.merge) {
    if (typeof flags.out !== 'string') throw new UsageError('--merge needs -o OUT.json');
    const merged = mergeReports(positionals.map(readReport));
    const training = trainingCurve(process.cwd(), merged.trainingMetrics);
    const { htmlPath } = writeRunReport(flags.out, merged, { root: String(flags.root), training });
    emitReport(merged, flags, String(flags.root), [`report: ${flags.out}`, `html:   ${htmlPath}`]);
    return merged.status === 'pass' ? 0 : 1;
  }
  if (positionals.length !== 1) throw new UsageError('give one REPORT.json (or --merge several)');
  const r = readReport(positionals[0]);
  if (typeof flags.html === 'string')
    writeWith('html', flags.html, r, {
      root: String(flags.root),
      training: trainingCurve(process.cwd(), r.trainingMetrics),
    });
  emitReport(r, flags, String(flags.root));
  return r.status === 'pass' ? 0 : 1;
}
