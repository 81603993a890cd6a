// JUnit XML of a run record, for CI systems that show test cases (GitLab, Jenkins, GitHub test
// reporters): one <testsuite> of chain steps (one <testcase> each: failures carry the tail of the
// step's log, skips their reason), one of gates, and a verdict case that fails exactly when the
// report does, so the XML is never greener than report.json. Shape: reports/schema/junit.xsd.
import { XMLBuilder } from 'fast-xml-parser';
import { stripAnsi } from '../../util/color.js';
import { failureReasons, stepLogTail } from './shared.js';
import type { Report } from './report.js';

export interface JunitOptions {
  /** Directory the steps' log paths are relative to (the run's root). */
  root: string;
  /** Lines of log tail in a failure (default 40). */
  tailLines?: number;
}

/** ANSI escape sequences dropped; characters XML 1.0 forbids (other controls, lone surrogates, U+FFFE/F) become U+FFFD. */
export function xmlSafe(text: string): string {
  return stripAnsi(text).replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

interface Case {
  '@_name': string;
  '@_classname': string;
  '@_time': string;
  failure?: { '@_message': string; '@_type': string; '#text'?: string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}

function suite(name: string, timestamp: string, hostname: string, cases: Case[]) {
  const time = cases.reduce((a, c) => a + Number(c['@_time']), 0);
  return {
    '@_name': name,
    '@_tests': cases.length,
    '@_failures': cases.filter((c) => c.failure).length,
    '@_errors': 0,
    '@_skipped': cases.filter((c) => c.skipped).length,
    '@_time': time.toFixed(3),
    '@_timestamp': timestamp,
    '@_hostname': hostname,
    testcase: cases,
  };
}

export function junitXml(r: Report, opts: JunitOptions): string {
  const cls = `tipc.${r.model}.${r.mode}`;
  const timestamp = r.startedAt.slice(0, 19); // xs:dateTime without a zone, as JUnit tools write it
  const hostname = r.environment.hostname ?? 'localhost';
  const steps: Case[] = r.steps.map((s) => {
    const c: Case = {
      '@_name': s.name,
      '@_classname': `${cls}.${s.kind}`,
      '@_time': (s.durationMs / 1000).toFixed(3),
    };
    if (s.status === 'skipped') c.skipped = { '@_message': s.reason ?? 'skipped' };
    if (s.status === 'fail' || s.status === 'timeout') {
      const tail = stepLogTail(s, opts.root, opts.tailLines ?? 40);
      c.failure = {
        '@_message': s.reason ?? (s.exitCode === null ? s.status : `exit code ${s.exitCode}`),
        '@_type': s.status,
        ...(tail ? { '#text': tail } : {}),
      };
    }
    // After <failure>/<skipped>: the stricter JUnit schemas fix that order.
    if (s.status !== 'skipped') c['system-out'] = `$ ${s.command}\nlog: ${s.stdout || s.log}`;
    return c;
  });
  const gates: Case[] = r.gates.map((g) => ({
    '@_name': g.name,
    '@_classname': `${cls}.gates`,
    '@_time': '0.000',
    ...(g.status === 'pass'
      ? {}
      : g.status === 'not-set' && r.allowNotSet
        ? { skipped: { '@_message': `not set: ${g.detail ?? 'no threshold or nothing measured'}` } }
        : {
            failure: {
              '@_message': `${g.name}: ${g.value === null ? 'no value' : `${String(g.value)} ${g.unit}`} against ${g.threshold === null ? 'no threshold' : `${String(g.threshold)} ${g.unit}`}`,
              '@_type': 'gate',
              ...(g.detail ? { '#text': g.detail } : {}),
            },
          }),
  }));
  const reasons = failureReasons(r);
  const verdict: Case = {
    '@_name': 'report status',
    '@_classname': `${cls}.verdict`,
    '@_time': (r.durationMs / 1000).toFixed(3),
    ...(reasons.length
      ? { failure: { '@_message': `report status ${r.status}`, '@_type': 'verdict', '#text': reasons.join('\n') } }
      : {}),
  };
  const suites = [
    suite(`${r.model} ${r.mode}: steps`, timestamp, hostname, steps),
    suite(`${r.model} ${r.mode}: gates`, timestamp, hostname, gates),
    suite(`${r.model} ${r.mode}: verdict`, timestamp, hostname, [verdict]),
  ];
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': `TIPC ${r.model} ${r.mode}`,
      '@_tests': suites.reduce((a, s) => a + s['@_tests'], 0),
      '@_failures': suites.reduce((a, s) => a + s['@_failures'], 0),
      '@_errors': 0,
      '@_skipped': suites.reduce((a, s) => a + s['@_skipped'], 0),
      '@_time': (r.durationMs / 1000).toFixed(3),
      testsuite: suites,
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
    tagValueProcessor: (_name, value) => (typeof value === 'string' ? xmlSafe(value) : value),
    attributeValueProcessor: (_name, value) => (typeof value === 'string' ? xmlSafe(value) : value),
  });
  return builder.build(doc);
}
