import { describe, expect, it } from 'vitest';
import { formatHelp, parseArgs, parseBool, UsageError, type CommandSpec } from './args.js';

const spec: CommandSpec = {
  usage: '-c CFG [-o k=v]…',
  description: 'test command',
  flags: [
    { name: 'config', short: 'c', help: 'recipe' },
    { name: 'override', short: 'o', repeat: true, help: 'override' },
    { name: 'weights', short: 'w', help: 'weights' },
    { name: 'profiler_options', short: 'p', help: 'profiler' },
    { name: 'validate', type: 'switch', help: 'validate' },
    { name: 'input_file', help: 'input' },
    { name: 'model_file', help: 'model' },
    { name: 'use_gpu', type: 'bool', auto: true, default: 'auto', help: 'gpu' },
    { name: 'enable_benchmark', type: 'bool', default: false, help: 'bench' },
    { name: 'batch_size', type: 'int', default: 1, min: 1, help: 'batch' },
    { name: 'ratio', type: 'float', min: 0, max: 1, help: 'ratio' },
    { name: 'seed', type: 'int', help: 'seed' },
    { name: 'driver', default: 'head', choices: ['head', 'legacy'], help: 'driver' },
  ],
};

const usage = (argv: string[]) => {
  try {
    parseArgs(argv, spec);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('parseArgs keeps PaddleVideo spellings', () => {
  it('main.py / export_model.py / predict.py forms', () => {
    const r = parseArgs(
      [
        '-c',
        'configs/a.yaml',
        '-o',
        'DATASET.batch_size=16',
        '-o',
        'epochs=2',
        '--validate',
        '-w=./out/x.pdparams',
        '-p',
        'batch_range=[10,20]',
        '--input_file=data/x.npy',
        '--model_file',
        'm.onnx',
        '--use_gpu=False',
        '--enable_benchmark',
        'True',
        '--seed',
        '-1',
        'output_dir=o',
      ],
      spec,
    );
    expect(r.flags).toMatchObject({
      config: 'configs/a.yaml',
      override: ['DATASET.batch_size=16', 'epochs=2'],
      validate: true,
      weights: './out/x.pdparams',
      profiler_options: 'batch_range=[10,20]',
      input_file: 'data/x.npy',
      model_file: 'm.onnx',
      use_gpu: false,
      enable_benchmark: true,
      seed: -1,
      batch_size: 1,
      driver: 'head',
    });
    expect(r.positionals).toEqual(['output_dir=o']);
  });

  it('short flags with an attached value, -- and negative numbers as positionals', () => {
    expect(parseArgs(['-cconfigs/a.yaml', '-o=out'], spec).flags).toMatchObject({
      config: 'configs/a.yaml',
      override: ['out'],
    });
    const r = parseArgs(['-1', '-0.5', '--', '--validate'], spec);
    expect(r.positionals).toEqual(['-1', '-0.5', '--validate']);
    expect(r.flags.validate).toBeUndefined();
    expect(parseArgs(['--help'], spec).help).toBe(true);
    expect(parseArgs(['-h'], spec).help).toBe(true);
  });
});

describe('strict values', () => {
  it('booleans: True/False/true/false/1/0 only, anything else names the flag and value', () => {
    for (const [t, v] of [
      ['True', true],
      ['true', true],
      ['1', true],
      ['False', false],
      ['false', false],
      ['0', false],
    ] as const)
      expect(parseBool(t, '--x')).toBe(v);
    expect(usage(['--validate=Flase'])).toBe(
      '--validate expects True or False (also true/false/1/0), got "Flase"; did you mean "False"?',
    );
    expect(usage(['--enable_benchmark', 't'])).toMatch(
      /--enable_benchmark expects True or False .*got "t"; write True/,
    );
    expect(usage(['--enable_benchmark=yes'])).toMatch(/got "yes"; write True/);
    expect(usage(['--use_gpu', 'gpu'])).toMatch(/--use_gpu expects True or False or auto .*got "gpu"/);
    expect(parseArgs(['--use_gpu', 'auto'], spec).flags.use_gpu).toBe('auto');
    expect(parseArgs([], spec).flags.use_gpu).toBe('auto');
    expect(parseArgs(['--validate=False'], spec).flags.validate).toBe(false);
  });

  it('numbers, ranges and choices', () => {
    expect(usage(['--batch_size', '0'])).toBe('--batch_size 0 is out of range (allowed: ≥ 1)');
    expect(usage(['--ratio=1.5'])).toBe('--ratio 1.5 is out of range (allowed: 0..1)');
    expect(usage(['--seed', 'x'])).toBe('--seed expects an integer, got "x"');
    expect(usage(['--ratio', 'nan'])).toBe('--ratio expects a number, got "nan"');
    expect(usage(['--driver', 'hed'])).toBe('--driver must be one of head, legacy, got "hed"; did you mean "head"?');
    expect(usage(['--model_file'])).toBe('--model_file needs a value');
  });

  it('unknown flags are errors with the closest flag', () => {
    expect(usage(['--vaildate'])).toBe('unknown flag --vaildate; did you mean --validate? (see --help)');
    expect(usage(['--input-file', 'x'])).toBe('unknown flag --input-file; did you mean --input_file? (see --help)');
    expect(usage(['-z'])).toBe('unknown flag -z (see --help)');
  });
});

describe('formatHelp', () => {
  it('heads with the table summary and shows ranges, choices and boolean spellings', () => {
    const h = formatHelp({ name: 'demo', summary: 'one line' }, spec);
    expect(h.split('\n').slice(0, 3)).toEqual(['ctrgcn demo: one line', '', 'Usage: ctrgcn demo -c CFG [-o k=v]…']);
    expect(h).toMatch(/--batch_size <int> +batch \[≥ 1\] \(default: 1\)/);
    expect(h).toMatch(/--driver <string> +driver \[head\|legacy\] \(default: head\)/);
    expect(h).toMatch(/--use_gpu <bool> +gpu \[True\|False\|auto\] \(default: auto\)/);
  });
});
