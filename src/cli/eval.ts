// `ctrgcn eval`: alias of `ctrgcn train --test`.
import { runTrain, spec as trainSpec } from './train.js';
import type { CommandSpec } from './args.js';

export const spec: CommandSpec = {
  ...trainSpec,
  usage: '-c <config.yaml> -w <weights> [-o key=value]…',
  description:
    'Evaluate weights on the test split (same as `ctrgcn train --test`); writes eval_metrics.json next to the weights (or to -o output_dir=…).',
};

export function run(argv: string[]): Promise<number> {
  return runTrain(argv, true);
}
