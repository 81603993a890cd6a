// The recipe names the model: `-c recipe.yaml` (with `--override k=v`), or `--model NAME` for a
// shipped recipe (configs/). Shared by the model-facing commands that take no training data.
import type { FlagSpec, ParsedFlags } from './args.js';
import { UsageError } from './args.js';
import { readRecipe, type Recipe } from '../export/recipe.js';
import { parseVariantName, shippedRecipe, shippedVariants } from '../model/variants.js';
import { CodedError } from '../util/errors.js';

export const RECIPE_FLAGS: FlagSpec[] = [
  { name: 'config', short: 'c', help: 'recipe (YAML): its MODEL section is the architecture' },
  { name: 'model', help: `shorthand for a shipped recipe: ${shippedVariants().join(', ')}` },
  { name: 'override', repeat: true, help: 'override a recipe key: a.b.c=value' },
  { name: 'base-channel', type: 'int', help: 'shorthand for --override MODEL.backbone.base_channel=N (and head)' },
  { name: 'num-classes', type: 'int', help: 'shorthand for --override MODEL.head.num_classes=K' },
];

/** The recipe file the flags name (`-c`, else `--model`, else the default variant's). */
export function recipeFile(flags: ParsedFlags, defaultModel?: string): string {
  if (flags.config && flags.model) throw new UsageError('give either -c/--config or --model, not both');
  if (flags.config) return String(flags.config);
  const name = (flags.model as string | undefined) ?? defaultModel;
  if (!name) throw new UsageError('-c/--config (a recipe) or --model NAME is required');
  try {
    return shippedRecipe(parseVariantName(name));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Reads the recipe the flags name, overrides applied. */
export function recipeFromFlags(flags: ParsedFlags, defaultModel?: string): Recipe {
  const overrides = [...((flags.override as string[] | undefined) ?? [])];
  const base = flags['base-channel'] as number | undefined;
  if (base !== undefined) overrides.push(`MODEL.backbone.base_channel=${base}`, `MODEL.head.in_channels=${base}`);
  const classes = flags['num-classes'] as number | undefined;
  if (classes !== undefined) overrides.push(`MODEL.head.num_classes=${classes}`);
  const file = recipeFile(flags, defaultModel);
  try {
    return readRecipe(file, overrides);
  } catch (e) {
    // An unbuildable architecture from the shorthands is a usage error of those flags.
    if (e instanceof CodedError && e.code === 'E_ARCH_INVALID' && (base !== undefined || classes !== undefined))
      throw new UsageError(e.message);
    throw e;
  }
}
