// The run record's file outputs besides report.json/html, one writer each: JUnit XML (--junit),
// Markdown (--markdown, or appended to $GITHUB_STEP_SUMMARY when the variable is set).
import { appendFileSync } from 'node:fs';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { junitXml } from './junit.js';
import type { Report } from './report.js';
import { markdownSummary } from './ci-summary.js';

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
  const written: string[] = [];
  if (o.junit) {
    writeFileAtomic(o.junit, junitXml(r, { root: o.root }) + '\n');
    written.push(`junit:  ${o.junit}`);
  }
  const env = o.env ?? process.env;
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (o.markdown || summaryFile) {
    const md = markdownSummary(r, { root: o.root }) + '\n';
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
