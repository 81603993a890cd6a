// `ctrgcn weights convert`: .pdparams / .safetensors → .safetensors (or .pdparams), checked
// strictly against the model layout.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { makeLayout, parseModelName } from '../model/layout.js';
import { paramSpecs } from '../model/params.js';
import { readWeightsFile, writeWeightsFile, StateDictMismatchError, type TensorMap } from '../model/weights.js';

export const spec: CommandSpec = {
  usage: '--model M --in FILE --out FILE.safetensors',
  description:
    'Reads weights in either format (told apart by content: safetensors or a Paddle .pdparams pickle), checks every tensor ' +
    'name and shape against the model layout, and writes them in state-dict order. The output format follows the ' +
    'extension: .pdparams → Paddle pickle, anything else → safetensors.',
  flags: [
    { name: 'model', help: 'ctrgcn or ctrgcn_light' },
    { name: 'base-channel', type: 'int', help: 'base channel (default 64 for ctrgcn, 60 for ctrgcn_light)' },
    { name: 'num-classes', type: 'int', default: 60, help: 'classifier outputs' },
    { name: 'in', help: 'input weights (.pdparams or .safetensors)' },
    { name: 'out', help: 'output file (.safetensors, or .pdparams)' },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  for (const f of ['model', 'in', 'out']) if (!flags[f]) throw new UsageError(`--${f} is required`);
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
  const input = readWeightsFile(flags.in as string);
  // Strict check without building tensors: names, shapes, nothing extra.
  const specs = paramSpecs(layout);
  const known = new Set(specs.map((s) => s.name));
  const report = { missing: [] as string[], unexpected: [] as string[], shapeMismatch: [] as string[], loaded: 0 };
  const ordered: TensorMap = new Map();
  for (const s of specs) {
    const t = input.get(s.name);
    if (!t) report.missing.push(s.name);
    else if (t.shape.join(',') !== s.shape.join(','))
      report.shapeMismatch.push(`${s.name}: file [${t.shape.join(',')}] vs model [${s.shape.join(',')}]`);
    else ordered.set(s.name, t);
  }
  for (const k of input.keys()) if (!known.has(k)) report.unexpected.push(k);
  if (report.missing.length || report.unexpected.length || report.shapeMismatch.length)
    throw new StateDictMismatchError(report, flags.in as string);
  writeWeightsFile(flags.out as string, ordered, layout);
  const floats = [...ordered.values()].reduce((a, t) => a + t.data.length, 0);
  process.stdout.write(
    `wrote ${ordered.size} tensors (${floats.toLocaleString('en-US')} floats) for ${layout.backbone} base ${layout.baseChannel} to ${flags.out}\n`,
  );
  return 0;
}
