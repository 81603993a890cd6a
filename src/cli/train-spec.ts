// The flags of `ctrgcn train` (PaddleVideo main.py's), apart from the trainer: `ctrgcn eval` shares
// them, and `eval --onnx` must not load the training runtime to parse them.
import { ALLOW_UNKNOWN_FLAG, type CommandSpec } from './args.js';

export const spec: CommandSpec = {
  usage: '-c <config.yaml> [-o key=value]… [--validate] [--seed N] [--max_iters N] [-w weights] [--test]',
  description:
    'Train a recipe (PaddleVideo main.py flags). With --test, evaluate -w weights on the test split. ' +
    'Bare `key=value` arguments are treated like -o overrides. Resume with -o resume_epoch=N, or --resume ' +
    '(-o resume_epoch=auto) for the newest complete epoch checkpoint in output_dir.',
  flags: [
    { name: 'config', short: 'c', default: 'configs/example.yaml', help: 'recipe file (YAML)' },
    { name: 'override', short: 'o', repeat: true, help: 'override a recipe key: a.b.c=value' },
    ALLOW_UNKNOWN_FLAG,
    { name: 'test', type: 'switch', help: 'evaluate -w weights on the test set' },
    { name: 'weights', short: 'w', help: 'weights for --test, or initial weights for training' },
    { name: 'validate', type: 'switch', help: 'validate every epoch and keep the best model' },
    {
      name: 'resume',
      type: 'switch',
      help: 'continue from the newest complete epoch checkpoint in output_dir (-o resume_epoch=auto); a fresh run if none',
    },
    { name: 'seed', type: 'int', default: 1234, help: 'seeds every random number generator' },
    {
      name: 'max_iters',
      type: 'int',
      min: 1,
      help: 'cap iterations per epoch (and validation batches); the LR schedule is unchanged',
    },
    { name: 'amp', type: 'switch', compat: true, help: 'mixed precision' },
    { name: 'amp_level', compat: true, help: 'O1|O2' },
    { name: 'profiler_options', short: 'p', compat: true, help: 'profiler spec key=value;…' },
  ],
};
