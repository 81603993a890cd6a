// The command table is the only list of commands: every command file is in it, every entry loads,
// and dispatch, the top-level help and each command's help header come from it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, findCommand, loadsNative } from './commands.js';
import { loadCommand, main } from './main.js';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}
afterEach(() => vi.restoreAllMocks());

describe('command table', () => {
  it('lists every command file under src/cli exactly once, and each entry loads', async () => {
    const dir = import.meta.dirname;
    const files = readdirSync(dir).filter(
      (f) =>
        f.endsWith('.ts') &&
        !f.endsWith('.test.ts') &&
        /^export (async )?function run\(/m.test(readFileSync(path.join(dir, f), 'utf8')),
    );
    expect(COMMANDS.map((c) => c.module.replace(/^\.\//, '').replace(/\.js$/, '.ts')).sort()).toEqual(files.sort());
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const c of COMMANDS) {
      const m = await loadCommand(c);
      expect(typeof m.run, c.name).toBe('function');
      expect(m.spec.description.length, c.name).toBeGreaterThan(10);
    }
  });

  it('no other file keeps a list of command names', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const launcher = readFileSync(path.join(root, 'bin/ctrgcn.js'), 'utf8');
    expect(launcher).toContain('loadsNative');
    expect(launcher).not.toMatch(/'logits'|'weights'|'train'/);
    const mainSrc = readFileSync(path.join(import.meta.dirname, 'main.ts'), 'utf8');
    expect(mainSrc).not.toMatch(/'tipc run'|'data ntu'/);
  });

  it('knows which invocations load libtensorflow: eval -w does, eval --onnx does not', () => {
    expect(loadsNative(['eval', '-c', 'r.yaml', '-w', 'w.pdparams'])).toBe(true);
    expect(loadsNative(['eval', '-c', 'r.yaml', '--onnx', 'm.onnx'])).toBe(false);
    expect(loadsNative(['eval', '-c', 'r.yaml', '--onnx=m.onnx'])).toBe(false);
    expect(loadsNative(['train', '-c', 'r.yaml'])).toBe(true);
    expect(loadsNative(['predict', '--model_file', 'm.onnx'])).toBe(false);
    expect(loadsNative(['nope'])).toBe(false);
  });

  it.each([['export'], ['eval'], ['predict']])(
    '`%s` starts without the training runtime (no tfjs module loads)',
    async (cmd) => {
      const root = path.resolve(import.meta.dirname, '../..');
      const r = await execa('node', ['bin/ctrgcn.js', cmd, '--help'], {
        cwd: root,
        reject: false,
        env: { NODE_DEBUG: 'module', CTRGCN_RAW_STDERR: '1' },
      });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toMatch(/onnxruntime-node|load "/); // the module log is on
      expect(r.stderr).not.toMatch(/node_modules\/@tensorflow\//);
    },
  );

  it('matches the longest command words', () => {
    expect(findCommand(['tipc', 'run', 'P', 'M'])).toMatchObject({ entry: { name: 'tipc run' }, rest: ['P', 'M'] });
    expect(findCommand(['train', '-c', 'x'])?.rest).toEqual(['-c', 'x']);
    expect(findCommand(['tipc'])).toBeUndefined();
  });
});

describe('dispatch and help', () => {
  it('top-level help lists every command with its summary, grouped', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS)
      expect(r.out).toMatch(new RegExp(`^  ${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    for (const g of new Set(COMMANDS.map((c) => c.group))) expect(r.out).toContain(`\n${g}:\n`);
    expect((await cli([])).code).toBe(2);
  });

  it("each command's help starts with its table summary (`CMD --help` and `help CMD`)", async () => {
    for (const c of COMMANDS) {
      const r = await cli([...c.name.split(' '), '--help']);
      expect(r.code, c.name).toBe(0);
      expect(r.out.split('\n')[0]).toBe(`ctrgcn ${c.name}: ${c.summary}`);
      expect(r.out).toContain(`Usage: ctrgcn ${c.name}`);
    }
    expect((await cli(['help', 'tipc', 'run'])).out.split('\n')[0]).toBe(
      `ctrgcn tipc run: ${COMMANDS.find((c) => c.name === 'tipc run')!.summary}`,
    );
  });

  it('--version and -V print the package version', async () => {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const r = await cli([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`ctrgcn-tipc ${pkg.version}\n`);
    }
  });

  it('unknown commands get a suggestion; a bare group word lists its subcommands', async () => {
    const cases: [string[], string][] = [
      [['trian'], 'ctrgcn: error [E_USAGE]: unknown command "trian"; did you mean "train"?'],
      [['tipc', 'rnu'], 'ctrgcn: error [E_USAGE]: unknown command "tipc rnu"; did you mean "tipc run"?'],
      [['tpic', 'plan'], 'ctrgcn: error [E_USAGE]: unknown command "tpic"; did you mean "tipc plan"?'],
      [
        ['tipc'],
        'ctrgcn tipc: error [E_USAGE]: expected a subcommand: plan, run, prepare, report, golden, compare, convert',
      ],
      [['frobnicate'], 'ctrgcn: error [E_USAGE]: unknown command "frobnicate" (ctrgcn --help lists the commands)'],
    ];
    for (const [argv, msg] of cases) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.startsWith(msg), `${r.err} ≠ ${msg}`).toBe(true);
    }
  });

  it('flag errors name the command and suggest the flag', async () => {
    const r = await cli(['tipc', 'plan', 'P', 'M', '--jsn']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('ctrgcn tipc plan: error [E_USAGE]: unknown flag --jsn; did you mean --json? (see --help)\n');
  });
});
