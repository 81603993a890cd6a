// `ctrgcn model summary`: parameter counts, per-block table and MACs of the recipe's architecture.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { primaryBackbone } from '../model/registry.js';
import { RECIPE_FLAGS, recipeFromFlags } from './recipe-flags.js';
import { formatSummary, modelSummary } from '../model/summary.js';

export const spec: CommandSpec = {
  usage: '(-c RECIPE.yaml | --model NAME) [--override k=v]… [--frames T] [--json]',
  description:
    'Prints trainable and persistable parameter counts, a per-block table (trainable, BN buffers, MACs) and MACs per sample ' +
    `of the architecture the recipe describes (default: --model ${primaryBackbone().variant}).`,
  flags: [
    ...RECIPE_FLAGS,
    { name: 'frames', type: 'int', default: 64, min: 1, help: 'frames per sequence for the MAC count' },
    { name: 'json', type: 'switch', help: 'print JSON instead of a table' },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const frames = flags.frames as number;
  const recipe = recipeFromFlags(flags, primaryBackbone().variant);
  const s = modelSummary(recipe.tree, frames);
  process.stdout.write(flags.json ? JSON.stringify({ recipe: recipe.file, ...s }, null, 2) + '\n' : formatSummary(s));
  return 0;
}
