// `ctrgcn model summary`: parameter counts, per-block table and MACs of a model layout.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { makeLayout, parseModelName } from '../model/layout.js';
import { formatSummary, modelSummary } from '../model/summary.js';

export const spec: CommandSpec = {
  usage: '--model ctrgcn|ctrgcn_light [--base-channel N] [--frames T] [--json]',
  description:
    'Prints trainable and persistable parameter counts, a per-block table (trainable, BN buffers, MACs) and MACs per sample.',
  flags: [
    { name: 'model', default: 'ctrgcn_light', help: 'ctrgcn (PaddleVideo CTRGCN) or ctrgcn_light' },
    { name: 'base-channel', type: 'int', help: 'base channel (default 64 for ctrgcn, 60 for ctrgcn_light)' },
    { name: 'num-classes', type: 'int', default: 60, help: 'classifier outputs' },
    { name: 'frames', type: 'int', default: 64, min: 1, help: 'frames per sequence for the MAC count' },
    { name: 'json', type: 'switch', help: 'print JSON instead of a table' },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  let layout;
  try {
    layout = makeLayout(
      parseModelName(flags.model as string),
      flags['base-channel'] as number | undefined,
      flags['num-classes'] as number,
    );
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const frames = flags.frames as number;
  const s = modelSummary(layout, frames);
  process.stdout.write(flags.json ? JSON.stringify(s, null, 2) + '\n' : formatSummary(s));
  return 0;
}
