import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseParamsText, parserKey, parserValue } from './params-file.js';
import { loadParams, toTyped, typedToText, typedToYaml, validateTyped } from './params-typed.js';
import { plan } from '../plan/planner.js';
import YAML from 'yaml';
import { sharedPath } from '../../util/shared-data.test-util.js';

const REF = sharedPath('fixtures/tipc-reference');
const CTR = readFileSync(path.join(REF, 'zpc-666_CTRGCN_Light/CTRGCN_light_joint/train_infer_python.txt'), 'utf8');
const lines = CTR.split('\n');
const codes = (t: string) => parseParamsText(t, 'p.txt').diagnostics.map((d) => `${d.line}:${d.severity}:${d.code}`);

describe('params file parsing (driver semantics)', () => {
  it('key/value like func_parser_key/value', () => {
    expect(parserKey('-o epochs:2')).toBe('-o epochs');
    expect(parserValue('-o epochs:2')).toBe('2');
    expect(parserValue('a:b:c')).toBe('b');
    expect(parserValue('##')).toBe('');
    expect(parserValue('eval:main.py --test ')).toBe('main.py --test ');
    expect(parserKey('-n:x')).toBe(''); // `echo -n` prints nothing
  });
  it('the reference files lint clean', () => {
    for (const f of ['PaddleVideo/AGCN', 'PaddleVideo/STGCN', 'zpc-666_CTRGCN_Light/CTRGCN_light_joint'])
      expect(parseParamsText(readFileSync(path.join(REF, f, 'train_infer_python.txt'), 'utf8')).diagnostics).toEqual(
        [],
      );
  });
  it('our own params files lint clean', () => {
    for (const m of ['CTRGCN_light_joint', 'CTRGCN_joint'])
      expect(
        loadParams(path.resolve(process.cwd(), `test_tipc/configs/${m}/train_infer_python.txt`)).params.diagnostics,
      ).toEqual([]);
  });
});

describe('params lint names the 1-based file line', () => {
  it('blank lines are dropped before indexing (as upstream) but reported', () => {
    const t = [...lines.slice(0, 5), '', ...lines.slice(5)].join('\n');
    const p = parseParamsText(t, 'p.txt');
    expect(codes(t)).toEqual(['6:warning:blank-line']);
    expect(p.lines[5].fileLine).toBe(7);
    expect(plan(p, 'lite_train_lite_infer').steps.map((s) => s.command)).toEqual(
      plan(parseParamsText(CTR), 'lite_train_lite_infer').steps.map((s) => s.command),
    );
  });
  it('a key out of place', () => {
    const t = lines.map((l, i) => (i === 1 ? 'modelname:CTRGCN_light_joint' : l)).join('\n');
    expect(parseParamsText(t, 'p.txt').diagnostics[0]).toMatchObject({
      line: 2,
      severity: 'error',
      code: 'wrong-key',
      message: 'positional line 2 must be `model_name`, found `modelname`',
    });
  });
  it('a missing line shifts every later position', () => {
    const t = lines.filter((_, i) => i !== 2).join('\n'); // drop `python:`
    const d = parseParamsText(t, 'p.txt').diagnostics.filter((x) => x.severity === 'error');
    expect(d[0]).toMatchObject({
      line: 3,
      code: 'wrong-key',
      message: 'positional line 3 must be `python`, found `gpu_list`',
    });
    expect(d[1].message).toMatch(
      /positional line 4 must be `gpu_list`, found `Global.use_gpu`; `gpu_list` is at line 3, so 1 line\(s\) missing before it/,
    );
    expect(d.some((x) => x.code === 'missing-lines')).toBe(false); // 53 → 52 lines: still ≥ 51
  });
  it('an extra line shifts every later position', () => {
    const t = [...lines.slice(0, 3), 'python:python3.8', ...lines.slice(3)].join('\n');
    const d = parseParamsText(t, 'p.txt').diagnostics.filter((x) => x.severity === 'error');
    expect(d[0]).toMatchObject({ line: 4, code: 'wrong-key' });
    expect(d[0].message).toMatch(/`gpu_list` is at line 5, so 1 line\(s\) too many before it/);
  });
  it('a `:` inside a value', () => {
    const t = lines.map((l, i) => (i === 2 ? 'python:C:/python3.7' : l)).join('\n');
    expect(parseParamsText(t, 'p.txt').diagnostics[0]).toMatchObject({
      line: 3,
      code: 'extra-colon',
      severity: 'error',
    });
    expect(parseParamsText(t).lines[2].value).toBe('C');
  });
  it('CRLF line endings are reported per line and stripped', () => {
    const t = lines.join('\r\n');
    const p = parseParamsText(t, 'p.txt');
    expect(
      p.diagnostics
        .filter((d) => d.code === 'crlf')
        .map((d) => d.line)
        .slice(0, 3),
    ).toEqual([1, 2, 3]);
    expect(p.lines[1].value).toBe('CTRGCN_light_joint');
  });
  it('missing trailing lines', () => {
    const t = lines.slice(0, 40).join('\n');
    const d = parseParamsText(t, 'p.txt').diagnostics.find((x) => x.code === 'missing-lines')!;
    expect(d).toMatchObject({ line: 41, severity: 'error' });
    expect(() => plan(parseParamsText(t, 'p.txt'), 'whole_infer')).toThrow(/only 40 non-blank lines/);
  });
});

describe('typed form and convert', () => {
  it('txt → typed → txt keeps every positional line', () => {
    const p = parseParamsText(CTR);
    const t = toTyped(p);
    expect(typedToText(t)).toBe(CTR);
    const y = YAML.parse(typedToYaml(t));
    expect(validateTyped(y, 'x').lines.model_name).toEqual({ key: 'model_name', value: 'CTRGCN_light_joint' });
    expect(y.lines.use_gpu).toEqual({ key: '--use_gpu', value: ['True', 'False'] });
    expect(y.lines.pretrain).toEqual({ key: null, value: null });
  });
  it('the schema rejects a malformed typed file with the path of the problem', () => {
    const t = toTyped(parseParamsText(CTR)) as unknown as { lines: Record<string, unknown> };
    delete t.lines.eval;
    expect(() => validateTyped(t, 'x.yaml')).toThrow(
      /x\.yaml: not a valid typed params file: \/lines must have required property 'eval'/,
    );
  });
});
