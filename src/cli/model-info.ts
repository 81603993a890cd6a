// `ctrgcn model info FILE.onnx`: the identity an exported model carries in its metadata_props
// (variant, architecture, recipe digest, labels, preprocessing, package version).
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { parseMetadata, readOnnxProps, type ModelMetadata } from '../export/metadata.js';
import { customisations } from '../model/variants.js';

export const spec: CommandSpec = {
  usage: 'FILE.onnx [--json] [--recipe]',
  description:
    "Prints the metadata an exported ONNX model carries: variant, backbone, architecture options, the recipe's sha256 " +
    'and file, labels, preprocessing (window, p_interval, T), precision and the package version. Files exported ' +
    'elsewhere print their raw metadata_props.',
  positionals: ['FILE.onnx'],
  flags: [
    { name: 'json', type: 'switch', help: 'print JSON' },
    { name: 'recipe', type: 'switch', help: 'also print the stored recipe (normalised JSON)' },
  ],
};

function describe(m: ModelMetadata, withRecipe: boolean): string {
  const p = m.preprocessing;
  const custom = customisations(m.architecture);
  const names = m.labels.names;
  const lines = [
    `model_name:      ${m.model_name}`,
    `variant:         ${m.variant} (${m.backbone}, base channel ${m.base_channel}${custom.length ? `; ${custom.join('; ')}` : ''})`,
    `precision:       ${m.precision}`,
    `recipe:          ${m.recipe_file} (sha256 ${m.recipe_sha256})`,
    `labels:          ${m.labels.num_classes} classes${m.labels.dataset ? ` (${m.labels.dataset})` : ''}` +
      (names ? `: 0 ${names[0]}, 1 ${names[1]}, …, ${names.length - 1} ${names[names.length - 1]}` : ''),
    `preprocessing:   ${p.helper}: window ${p.window_size} (T = ${p.T}), p_interval [${p.p_interval.join(', ')}], ` +
      `input [N, ${p.num_channels}, ${p.T}, ${p.vertex_nums}, ${p.person_nums}]`,
    `package version: ${m.package_version}`,
  ];
  if (withRecipe) lines.push('', m.recipe);
  return lines.join('\n') + '\n';
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length !== 1) throw new UsageError('expected one argument: the .onnx file');
  const file = positionals[0];
  const props = readOnnxProps(file);
  const meta = parseMetadata(props, file);
  if (flags.json) {
    const body = meta
      ? { ...meta, recipe: flags.recipe ? (JSON.parse(meta.recipe) as unknown) : undefined }
      : { metadata_props: props };
    process.stdout.write(JSON.stringify({ file, ...body }, null, 2) + '\n');
  } else if (meta) process.stdout.write(describe(meta, Boolean(flags.recipe)));
  else {
    process.stdout.write(`${file}: no ctrgcn metadata; metadata_props:\n`);
    for (const [k, v] of Object.entries(props)) process.stdout.write(`  ${k}: ${v}\n`);
  }
  return 0;
}
