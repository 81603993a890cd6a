// `ctrgcn tipc prepare PARAMS MODE`: build (lite) or check (whole) the data a TIPC mode needs.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { loadParams } from '../tipc/params/index.js';
import { LITE_CLASSES, LITE_PERFORMERS, LITE_SEED, prepare } from '../tipc/run/index.js';
import { shellSplit } from '../tipc/params/index.js';

export const spec: CommandSpec = {
  usage: 'PARAMS MODE [--classes K] [--seed S] [--performers P] [--synth-args "…"] [--force]',
  description:
    'Lite modes: synthesise NTU-format .skeleton files (ctrgcn data synth), run them through the NTU pipeline (ctrgcn data ntu) into the ' +
    'directory the params file trains on, and cut the predict example (sample 0 of val_data.npy). Skips stages whose outputs are up to date. ' +
    'Whole modes: check every path the params file references and explain how to produce what is missing.',
  positionals: ['PARAMS', 'MODE'],
  flags: [
    { name: 'classes', type: 'int', default: LITE_CLASSES, help: 'classes for data synth' },
    { name: 'seed', type: 'int', default: LITE_SEED, help: 'seed for data synth' },
    { name: 'performers', type: 'int', default: LITE_PERFORMERS, help: 'performers for data synth' },
    { name: 'synth-args', help: 'extra arguments passed to data synth (shell-quoted string)' },
    { name: 'force', type: 'switch', help: 'rebuild everything' },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length !== 2) throw new UsageError('expected PARAMS MODE');
  const [file, mode] = positionals;
  const { params } = loadParams(file);
  await prepare(params, mode, {
    root: process.cwd(),
    classes: flags.classes as number,
    seed: flags.seed as number,
    performers: flags.performers as number,
    synthArgs: typeof flags['synth-args'] === 'string' ? shellSplit(flags['synth-args']).argv : [],
    force: !!flags.force,
  });
  return 0;
}
