// `ctrgcn weights convert`: .pdparams / .safetensors → .safetensors (or .pdparams), checked
// strictly against the recipe's architecture; with --to / --to-config, re-parameterised into
// another form of the same function (e.g. a layout's separate convolutions ↔ their fused form).
import { parseArgs, UsageError, type CommandSpec, type ParsedFlags } from './args.js';
import { RECIPE_FLAGS, recipeFromFlags } from './recipe-flags.js';
import { readRecipe } from '../export/recipe.js';
import type { ModelTree } from '../model/block-tree.js';
import { convertWeights } from '../model/reparam.js';
import { backboneEntry } from '../model/registry.js';
import { treeFromModelSection } from '../model/variants.js';
import { readWeightsFile, selectTensors, writeWeightsFile } from '../model/weights-file.js';

export const spec: CommandSpec = {
  usage: '(-c RECIPE.yaml | --model NAME) --in FILE --out FILE [--to NAME | --to-config RECIPE.yaml]',
  description:
    'Reads weights in either format (told apart by content: safetensors or a Paddle .pdparams pickle; a ' +
    'RecognizerDistillation checkpoint gives its Student), checks every tensor name and shape against the ' +
    "recipe's architecture, and writes them in state-dict order. The output format follows the extension: " +
    '.pdparams → Paddle pickle (with internal names), anything else → safetensors. --to NAME converts into the ' +
    "named backbone's form at the same base channel (e.g. separate convolutions ↔ their fused form); --to-config into a " +
    "recipe's architecture. Only re-parameterisations of the same function are converted (E_NOT_REPARAM otherwise).",
  flags: [
    ...RECIPE_FLAGS,
    { name: 'in', help: 'input weights (.pdparams or .safetensors)' },
    { name: 'out', help: 'output file (.safetensors, or .pdparams)' },
    { name: 'to', help: 'target form: a variant or backbone name, at the source base channel and classes' },
    { name: 'to-config', help: 'target form: the architecture of this recipe' },
  ],
};

function targetTree(flags: ParsedFlags, src: ModelTree): ModelTree | undefined {
  if (flags.to && flags['to-config']) throw new UsageError('give either --to or --to-config, not both');
  if (flags['to-config']) return readRecipe(String(flags['to-config'])).tree;
  if (!flags.to) return undefined;
  let name;
  try {
    name = backboneEntry(String(flags.to)).name;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return treeFromModelSection({
    backbone: { name, base_channel: src.baseChannel },
    head: { name: 'CTRGCNHead', num_classes: src.numClass },
  });
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  for (const f of ['in', 'out']) if (!flags[f]) throw new UsageError(`--${f} is required`);
  if (!flags.config && !flags.model)
    throw new UsageError('-c/--config (the recipe of the input weights) or --model is required');
  const src = recipeFromFlags(flags).tree;
  const dst = targetTree(flags, src);
  // Strict check without building tensors: names, shapes, nothing extra.
  const ordered = selectTensors(src, readWeightsFile(flags.in as string), flags.in as string);
  const result = dst ? convertWeights(src, dst, ordered) : ordered;
  const tree = dst ?? src;
  writeWeightsFile(flags.out as string, result, tree);
  const floats = [...result.values()].reduce((a, t) => a + t.data.length, 0);
  const how = dst ? ` (converted from ${src.backbone})` : '';
  process.stdout.write(
    `wrote ${result.size} tensors (${floats.toLocaleString('en-US')} floats) for ${tree.backbone} base ${tree.baseChannel}${how} to ${flags.out}\n`,
  );
  return 0;
}
