import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseParamsText } from '../params/params-file.js';
import { plan, setParams, dirname, ifsSplit } from './planner.js';
import { sharedPath } from '../../util/shared-data.test-util.js';

const REF = sharedPath('fixtures/tipc-reference');

interface RefCase {
  file: string;
  config_copy: string;
  mode: string;
  gpu_arg: string | null;
  variant: string;
}
interface RefJson {
  invocations: { argv: string[]; env: Record<string, string>; kind: string; stdout_rel: string }[];
  shell_commands: string[];
  results_log_paths: string[];
  status: string[];
}

const index = JSON.parse(readFileSync(path.join(REF, 'index.json'), 'utf8')) as { files: RefCase[] };

function planFor(c: RefCase, legacy: boolean) {
  const text = readFileSync(path.join(REF, c.config_copy), 'utf8');
  const p = parseParamsText(text, c.config_copy, { legacy });
  return plan(p, c.mode, { gpuId: c.gpu_arg ?? undefined, driver: legacy ? 'legacy' : 'head' });
}

describe('planner reproduces the reference driver', () => {
  const cases = index.files.filter((f) => f.variant === 'normal');
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(16));
  for (const c of cases) {
    const legacy = c.file.includes('.repo-driver.');
    it(`${c.file}`, () => {
      const ref = JSON.parse(readFileSync(path.join(REF, c.file), 'utf8')) as RefJson;
      const pl = planFor(c, legacy);
      expect(pl.steps.map((s) => s.argv)).toEqual(ref.invocations.map((i) => i.argv));
      expect(pl.steps.map((s) => s.env)).toEqual(ref.invocations.map((i) => i.env));
      expect(pl.steps.map((s) => s.command)).toEqual(ref.shell_commands);
      expect(pl.steps.map((s) => s.log)).toEqual(ref.results_log_paths);
      expect(pl.steps.map((s) => s.stdout)).toEqual(ref.invocations.map((i) => './' + i.stdout_rel));
      expect(pl.steps.map((s) => s.kind)).toEqual(ref.invocations.map((i) => i.kind));
    });
  }
  it('legacy and head drivers differ only in the train/eval/export environment', () => {
    const c = index.files.find((f) =>
      f.file.endsWith('CTRGCN_light_joint/train_infer_python.lite_train_lite_infer.json'),
    )!;
    const head = planFor(c, false);
    const old = planFor(c, true);
    expect(old.steps.map((s) => s.command)).toEqual(head.steps.map((s) => s.command));
    expect(old.steps.filter((s) => s.kind !== 'infer').every((s) => s.env.CUDA_VISIBLE_DEVICES === undefined)).toBe(
      true,
    );
    expect(head.steps.every((s) => s.env.CUDA_VISIBLE_DEVICES === '0')).toBe(true);
  });
});

describe('gpu_list forms the recorded runs do not cover', () => {
  // The driver's three launch forms: one device (${#gpu} ≤ 2: epochs before pretrain, two spaces after
  // the use-gpu flag), several devices (launch --devices), several hosts (launch --ips, pretrain before
  // epochs) — chosen by the device part's length even when hosts are given.
  const c = index.files.find((f) =>
    f.file.endsWith('CTRGCN_light_joint/train_infer_python.lite_train_lite_infer.json'),
  )!;
  const text = readFileSync(path.join(REF, c.config_copy), 'utf8');
  const trainArgs = (gpuList: string) => {
    const p = parseParamsText(text.replace(/^gpu_list:.*$/m, `gpu_list:${gpuList}`), c.config_copy, {});
    const cmd = plan(p, 'lite_train_lite_infer').steps[0].command;
    return (
      cmd.slice(cmd.indexOf(' '), cmd.indexOf(' -c ')) + cmd.slice(cmd.indexOf('--max_iters=30'), cmd.indexOf(' > '))
    );
  };
  const out = (g: string, n: number) =>
    `-o output_dir=./test_tipc/output/CTRGCN_light_joint/lite_train_lite_infer/norm_train_gpus_${g}_autocast_null_nodes_${n}`;
  it.each([
    ['-1', ` main.py--max_iters=30      ${out('-1', 1)} -o epochs=2   -o DATASET.batch_size=32    `],
    [
      '0,1',
      ` -B -m paddle.distributed.launch --devices="0,1" main.py--max_iters=30     ${out('0,1', 1)} -o epochs=2   -o DATASET.batch_size=32    `,
    ],
    ['10.0.0.1,10.0.0.2;0', ` main.py--max_iters=30      ${out('0', 2)} -o epochs=2   -o DATASET.batch_size=32    `],
    [
      '10.0.0.1,10.0.0.2;0,1',
      ` -B -m paddle.distributed.launch --ips=10.0.0.1,10.0.0.2 --devices="0,1" main.py--max_iters=30     ${out('0,1', 2)}   -o epochs=2 -o DATASET.batch_size=32    `,
    ],
  ])('gpu_list:%s', (gpuList, expected) => expect(trainArgs(gpuList)).toBe(expected));
});

describe('driver helpers', () => {
  it('func_set_params', () => {
    expect(setParams('null', 'x')).toBe(' ');
    expect(setParams('-o epochs', 'null')).toBe(' ');
    expect(setParams('-o epochs', '')).toBe(' ');
    expect(setParams('-o epochs', ' ')).toBe(' ');
    expect(setParams('-o epochs', '2')).toBe('-o epochs=2');
  });
  it('dirname and IFS splitting', () => {
    expect(dirname('./data/AGCN_fsd.pdparams')).toBe('./data');
    expect(dirname('x.pdparams')).toBe('.');
    expect(dirname('/a')).toBe('/');
    expect(ifsSplit('True|False')).toEqual(['True', 'False']);
    expect(ifsSplit('a|')).toEqual(['a']);
    expect(ifsSplit('')).toEqual([]);
  });
  it('rejects unknown modes precisely', () => {
    const c = index.files[0];
    const p = parseParamsText(readFileSync(path.join(REF, c.config_copy), 'utf8'));
    expect(() => plan(p, 'lite_train')).toThrow(/unknown mode "lite_train"/);
    expect(() => plan(p, 'klquant_whole_infer')).toThrow(/not applicable/);
  });
});

describe('planner vs recorded bash runs of the driver on edited configs', () => {
  // Multi-GPU / multi-node gpu_list, AMP, pact/fpgm/amp/generic/to_static trainers, a full inference
  // matrix with xpu and int8, quantised whole_infer with several models, `PP-` model names.
  const fx = JSON.parse(
    readFileSync(path.resolve(process.cwd(), 'src/tipc/__fixtures__/driver-cases.json'), 'utf8'),
  ) as {
    cases: {
      name: string;
      mode: string;
      gpu_arg: string | null;
      driver: 'head' | 'legacy';
      edits: Record<string, string>;
      append: string[];
      invocations: { argv: string[]; env: object }[];
      results_log_lines: string[];
    }[];
  };
  const base = readFileSync(
    path.join(REF, 'zpc-666_CTRGCN_Light/CTRGCN_light_joint/train_infer_python.txt'),
    'utf8',
  ).split('\n');
  for (const c of fx.cases) {
    it(`${c.name} ${c.mode}${c.gpu_arg ? ' ' + c.gpu_arg : ''} (${c.driver})`, () => {
      const text = base
        .map((l, i) => c.edits[String(i + 1)] ?? l)
        .concat(c.append)
        .join('\n');
      const pl = plan(parseParamsText(text, 'p.txt', { legacy: c.driver === 'legacy' }), c.mode, {
        gpuId: c.gpu_arg ?? undefined,
        driver: c.driver,
      });
      expect(pl.steps.map((s) => s.argv)).toEqual(c.invocations.map((i) => i.argv));
      expect(pl.steps.map((s) => s.env)).toEqual(c.invocations.map((i) => i.env));
      const model = pl.modelName;
      expect(pl.steps.map((s) => ` Run successfully with command - ${model} - ${s.command} - ${s.log} `)).toEqual(
        c.results_log_lines,
      );
    });
  }
});
