// `ctrgcn logits`: raw logits [N, numClass] of a preprocessed float32 [N, 3, T, 25, 2] batch,
// in eval mode, from tfjs weights with the recipe's architecture.
// `--onnx M.onnx` runs an exported model on onnxruntime instead.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { primaryBackbone } from '../model/registry.js';
import { RECIPE_FLAGS, recipeFromFlags } from './recipe-flags.js';
import { readNpyFloat32, writeNpy } from '../data/npy.js';
import { createModel } from '../model/ctrgcn.js';
import { loadStateDict, readWeightsFile } from '../model/weights.js';
import { runOnnxLogits } from '../infer/onnx-logits.js';
import { initBackend } from '../util/backend.js';

export const spec: CommandSpec = {
  usage: [
    '(-c RECIPE.yaml | --model NAME) -w WEIGHTS --input X.npy --out Y.npy',
    '--onnx M.onnx --input X.npy --out Y.npy',
  ],
  description:
    'Writes the raw logits [N, classes] (float32 .npy) of a preprocessed [N, 3, T, 25, 2] float32 batch, in eval mode (T free). ' +
    `The architecture is the recipe's (default: --model ${primaryBackbone().variant}).`,
  flags: [
    ...RECIPE_FLAGS,
    { name: 'weights', short: 'w', help: 'weights (.pdparams or .safetensors; format told by content)' },
    { name: 'onnx', help: 'run this exported ONNX model instead of the tfjs model' },
    { name: 'input', short: 'i', help: 'input .npy, float32 [N, 3, T, 25, 2]' },
    { name: 'out', short: 'o', help: 'output .npy for the logits' },
    { name: 'batch-size', type: 'int', default: 16, min: 1, help: 'samples per forward pass' },
  ],
};

interface Batch {
  shape: number[];
  data: Float32Array;
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!flags.input || !flags.out) throw new UsageError('--input and --out are required');
  const x = readNpyFloat32(flags.input as string, [null, 3, null, 25, 2]);
  let out: Batch;
  if (flags.onnx) {
    if (flags.config || flags.model || flags.weights)
      throw new UsageError('--onnx runs the exported model as it is: drop -c/--model/-w');
    out = await runOnnxLogits(flags.onnx as string, x);
  } else {
    if (!flags.weights) throw new UsageError('-w/--weights is required (or --onnx)');
    const { tree } = recipeFromFlags(flags, primaryBackbone().variant);
    const bs = flags['batch-size'] as number;
    const { tf } = await initBackend();
    const model = createModel(tree);
    try {
      loadStateDict(model, readWeightsFile(flags.weights as string), { strict: true, source: flags.weights as string });
      const [n, ...rest] = x.shape;
      const per = rest.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n * tree.numClass);
      for (let i = 0; i < n; i += bs) {
        const m = Math.min(bs, n - i);
        const xt = tf.tensor(x.data.subarray(i * per, (i + m) * per), [m, ...rest], 'float32');
        const y = model.forward(xt, { training: false });
        data.set(y.dataSync(), i * tree.numClass);
        tf.dispose([xt, y]);
      }
      out = { shape: [n, tree.numClass], data };
    } finally {
      model.dispose();
    }
  }
  writeNpy(flags.out as string, '<f4', out.shape, out.data);
  process.stdout.write(`wrote logits [${out.shape.join(', ')}] to ${flags.out}\n`);
  return 0;
}
