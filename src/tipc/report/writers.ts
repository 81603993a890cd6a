// Every form a run record is written in, one named writer each over the same report: report.json,
// report.html, JUnit XML (--junit), Markdown (--markdown, or appended to $GITHUB_STEP_SUMMARY when the
// variable is set) and the terminal summary table. `writeRunReport` writes a run's report.json and the
// report.html beside it (`tipc run`, `tipc report --merge`); `writeOutputs` the optional JUnit and
// Markdown files.
import { appendFileSync } from 'node:fs';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { renderHtml, type TrainingCurve } from './html.js';
import { junitXml } from './junit.js';
import { assertValid, type Report } from './report.js';
import { markdownSummary } from './ci-summary.js';
import { summaryTable, type TableOptions } from './terminal.js';

/** What a writer may need besides the report. */
export interface WriterContext {
  /** Directory the steps' log paths are relative to (the run's root): log tails are read from it. */
  root: string;
  /** The train step's records, for the HTML training charts (default: none). */
  training?: TrainingCurve;
  /** The terminal table's width and columns. */
  table?: TableOptions;
}

export interface ReportWriter<N extends string = string> {
  readonly name: N;
  /** The whole output as text (a file's content, or what is printed). */
  render(r: Report, ctx: WriterContext): string;
}

const writer = <N extends string>(name: N, render: ReportWriter['render']): ReportWriter<N> => ({ name, render });

/** The report writers by name. */
export const WRITERS = {
  /** report.json: validated against the schema first (an invalid report is never written). */
  json: writer('json', (r) => {
    assertValid(r);
    return JSON.stringify(r, null, 2) + '\n';
  }),
  html: writer('html', (r, ctx) => renderHtml(r, ctx.training)),
  junit: writer('junit', (r, ctx) => junitXml(r, { root: ctx.root }) + '\n'),
  markdown: writer('markdown', (r, ctx) => markdownSummary(r, { root: ctx.root }) + '\n'),
  terminal: writer('terminal', (r, ctx) => summaryTable(r, ctx.table)),
} as const;

export type WriterName = keyof typeof WRITERS;

/** Renders with the named writer and writes the result to `file` atomically. */
export function writeWith(name: WriterName, file: string, r: Report, ctx: WriterContext): void {
  writeFileAtomic(file, WRITERS[name].render(r, ctx));
}

/** `x/report.json` → `x/report.html`. */
export const htmlPathFor = (jsonPath: string): string => jsonPath.replace(/\.json$/, '') + '.html';

/**
 * A run's report.json and the report.html beside it. Both are rendered (the JSON validated) before
 * either is written, and each file is replaced atomically: a reader never sees half a report.
 */
export function writeRunReport(
  jsonPath: string,
  r: Report,
  ctx: WriterContext,
): { jsonPath: string; htmlPath: string } {
  const htmlPath = htmlPathFor(jsonPath);
  const json = WRITERS.json.render(r, ctx);
  const html = WRITERS.html.render(r, ctx);
  writeFileAtomic(jsonPath, json);
  writeFileAtomic(htmlPath, html);
  return { jsonPath, htmlPath };
}

export interface OutputOptions {
  /** Directory the steps' log paths are relative to (the run's root). */
  root: string;
  junit?: string;
  /** A Markdown file, or "-" for stdout. */
  markdown?: string;
  /** Where $GITHUB_STEP_SUMMARY is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where "-" output and the list of written files go (default stdout). */
  print?: (text: string) => void;
}

/** Writes the requested outputs; returns "junit: FILE"-style lines naming what was written. */
export function writeOutputs(r: Report, o: OutputOptions): string[] {
  const print = o.print ?? ((t: string) => process.stdout.write(t));
  const ctx: WriterContext = { root: o.root };
  const written: string[] = [];
  if (o.junit) {
    writeWith('junit', o.junit, r, ctx);
    written.push(`junit:  ${o.junit}`);
  }
  const env = o.env ?? process.env;
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (o.markdown || summaryFile) {
    const md = WRITERS.markdown.render(r, ctx);
    if (o.markdown === '-') print(md);
    else if (o.markdown) {
      writeFileAtomic(o.markdown, md);
      written.push(`markdown: ${o.markdown}`);
    }
    // GitHub collects the job summary from this file; each step appends its own part.
    if (summaryFile) {
      appendFileSync(summaryFile, md);
      written.push(`step summary: ${summaryFile}`);
    }
  }
  return written;
}
