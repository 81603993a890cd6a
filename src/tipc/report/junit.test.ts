// The --junit output validates against the JUnit schema (reports/schema/junit.xsd, checked by
// libxml2's xmllint compiled to wasm) and lists every step and gate of the run record.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { junitXml, xmlSafe } from './junit.js';
import type { Report } from './report.js';
import { stubChain } from '../run/stub-chain.test-util.js';

const XSD = readFileSync(path.resolve(import.meta.dirname, '../../../reports/schema/junit.xsd'), 'utf8');

async function xsdErrors(xml: string): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: XSD }],
  });
  return r.errors.map((e) => e.rawMessage);
}

interface Node {
  [k: string]: unknown;
}
const parse = (xml: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
    parseAttributeValue: false,
  }).parse(xml) as { testsuites: Node & { testsuite: (Node & { testcase?: Node[] })[] } };

let runs: { what: string; root: string; report: Report }[];
beforeAll(async () => {
  const failing = await stubChain({ predict: { exit: 1 } });
  // A log with colour codes and control characters XML cannot carry.
  const failed = failing.report.steps.find((s) => s.status === 'fail')!;
  appendFileSync(path.join(failing.root, failed.stdout), '\x1b[31mred\x1b[0m bell\x07 nul\x00 <tag> & "q"\n');
  runs = [
    { what: 'pass', ...(await stubChain()) },
    { what: 'predict fails', ...failing },
    { what: 'train times out', ...(await stubChain({ train: { hang: true } }, 1)) },
  ];
});

describe('JUnit XML of a run', () => {
  it('validates against the JUnit schema', async () => {
    for (const { what, root, report } of runs) expect(await xsdErrors(junitXml(report, { root })), what).toEqual([]);
  });

  it('the schema check is real: it rejects a case without classname and a non-numeric count', async () => {
    const { root, report } = runs[0];
    const xml = junitXml(report, { root });
    expect((await xsdErrors(xml.replace(/ classname="[^"]*"/, ''))).join()).toMatch(/classname/);
    expect((await xsdErrors(xml.replace(/ tests="\d+"/, ' tests="x"'))).join()).toMatch(/tests/);
  });

  it('one test case per step (in order) and per gate, counts that add up, log tails on failures', () => {
    for (const { what, root, report } of runs) {
      const doc = parse(junitXml(report, { root }));
      const [steps, gates, verdict] = doc.testsuites.testsuite;
      const cases = steps.testcase ?? [];
      expect(
        cases.map((c) => c.name),
        what,
      ).toEqual(report.steps.map((s) => s.name));
      expect((gates.testcase ?? []).map((c) => c.name)).toEqual(report.gates.map((g) => g.name));
      report.steps.forEach((s, i) => {
        const c = cases[i];
        expect(c.classname).toBe(`tipc.${report.model}.${report.mode}.${s.kind}`);
        expect(Number(c.time)).toBeCloseTo(s.durationMs / 1000, 3);
        if (s.status === 'skipped') expect(c.skipped).toEqual({ message: s.reason });
        else expect(String(c['system-out'])).toContain(`$ ${s.command}`);
        if (s.status === 'fail' || s.status === 'timeout') {
          const f = c.failure as Node;
          expect(f.type).toBe(s.status);
          expect(f.message).toBe(s.reason);
          expect(String(f['#text'])).toContain(`[stub] stderr line of ${s.kind === 'infer' ? 'predict' : s.kind}`);
        } else expect(c.failure).toBeUndefined();
      });
      for (const suite of doc.testsuites.testsuite) {
        const cs = suite.testcase ?? [];
        expect(Number(suite.tests)).toBe(cs.length);
        expect(Number(suite.failures)).toBe(cs.filter((c) => c.failure).length);
        expect(Number(suite.skipped)).toBe(cs.filter((c) => c.skipped !== undefined).length);
      }
      expect(Number(doc.testsuites.tests)).toBe(report.steps.length + report.gates.length + 1);
      // the verdict case fails exactly when the report does
      expect(verdict.testcase![0].failure !== undefined, what).toBe(report.status === 'fail');
    }
  });

  it('log text reaches the XML without colour codes or forbidden characters', () => {
    const { root, report } = runs[1];
    const xml = junitXml(report, { root });
    expect(xml).toContain('red bell\uFFFD nul\uFFFD &lt;tag&gt; &amp; &quot;q&quot;');

    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    expect(xmlSafe('\x1b[33mok\x1b[0m\x07')).toBe('ok\uFFFD');
  });

  it('a run that failed before any step still gives a valid document whose verdict fails', async () => {
    const { root, report } = runs[0];
    const empty: Report = { ...report, status: 'fail', steps: [], gates: [], notes: ['params.txt:15: error'] };
    const xml = junitXml(empty, { root });
    expect(await xsdErrors(xml)).toEqual([]);
    expect(xml).toMatch(
      /<failure message="report status fail" type="verdict">no step ran\nparams\.txt:15: error<\/failure>/,
    );
  });
});
