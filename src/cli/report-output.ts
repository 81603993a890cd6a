// What `tipc run`, `tipc report` and `main` print and write once a run record is final: the summary
// table (fitted to the terminal, at most 100 columns; --wide for every column) and the optional
// JUnit / Markdown outputs.
import type { FlagSpec, ParsedFlags } from './args.js';
import { writeOutputs, WRITERS } from '../tipc/report/index.js';
import type { Report } from '../tipc/report/index.js';
import { DEFAULT_WIDTH } from '../tipc/report/index.js';
import { colorFor } from '../util/color.js';

export const REPORT_OUTPUT_FLAGS: FlagSpec[] = [
  { name: 'wide', type: 'switch', help: 'summary table with every column at full width (not fitted to 100 columns)' },
  { name: 'junit', help: 'also write JUnit XML here: a test case per step and per gate, log tails of failures' },
  {
    name: 'markdown',
    help: 'also write a Markdown summary here ("-": stdout); it is appended to $GITHUB_STEP_SUMMARY whenever that is set',
  },
];

/** Columns for the table: the terminal's when narrower than 100, else 100. */
export function tableWidth(): number {
  const cols = process.stdout.isTTY ? process.stdout.columns : undefined;
  return cols ? Math.min(DEFAULT_WIDTH, cols) : DEFAULT_WIDTH;
}

/**
 * Prints the summary (verdict and headline figures first, then the tables; coloured as the colour policy
 * allows) and `paths` lines, then writes the requested outputs and names them.
 */
export function emitReport(r: Report, flags: ParsedFlags, root: string, paths: string[] = []): void {
  const table = { wide: flags.wide === true, width: tableWidth(), color: colorFor(process.stdout) };
  process.stdout.write('\n' + WRITERS.terminal.render(r, { root, table }));
  const written = writeOutputs(r, {
    root,
    junit: typeof flags.junit === 'string' ? flags.junit : undefined,
    markdown: typeof flags.markdown === 'string' ? flags.markdown : undefined,
  });
  for (const line of [...paths, ...written]) process.stdout.write(`${line}\n`);
}
