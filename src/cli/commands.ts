// The one command table: dispatch (src/cli/main.ts), the top-level help, each command's help header
// and the launcher's choice of running a command behind the libtensorflow banner filter
// (bin/ctrgcn.js) all read it. Modules load lazily, so `ctrgcn --help` imports no command.
// This file imports nothing: the launcher reads it before deciding how to start the CLI.

export interface CommandEntry {
  /** The words after `ctrgcn`, e.g. "tipc run". */
  name: string;
  /** The module (beside this file) exporting `spec` and `run(argv)`. */
  module: string;
  /** One line for `ctrgcn --help` and the command's own help header. */
  summary: string;
  group: 'Data' | 'Model' | 'Train and evaluate' | 'Export and inference' | 'TIPC' | 'Other';
  /** Loads libtensorflow (the launcher filters its start-up banners from stderr). */
  native?: boolean;
  /** Flags with which a native command runs without libtensorflow (e.g. `eval --onnx`). */
  pureWith?: readonly string[];
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'data ntu',
    module: './data-ntu.js',
    summary: 'NTU RGB+D .skeleton files → xsub/xview train/val .npy + _label.pkl',
    group: 'Data',
  },
  {
    name: 'data synth',
    module: './data-synth.js',
    summary: 'write synthetic NTU-format .skeleton files',
    group: 'Data',
  },
  {
    name: 'model summary',
    module: './model-summary.js',
    summary: "parameter counts, per-block table and MACs of a recipe's architecture",
    group: 'Model',
  },
  {
    name: 'model info',
    module: './model-info.js',
    summary: 'the variant, recipe digest, labels and preprocessing an exported ONNX carries',
    group: 'Model',
  },
  {
    name: 'weights convert',
    module: './weights-convert.js',
    summary: '.pdparams/.safetensors → .safetensors, or into another form of the same function',
    group: 'Model',
  },
  {
    name: 'logits',
    module: './logits.js',
    summary: 'raw logits of a preprocessed batch (tfjs weights or an ONNX file)',
    group: 'Model',
    native: true,
  },
  {
    name: 'train',
    module: './train.js',
    summary: 'train a recipe (main.py -c cfg -o k=v --validate); --test evaluates',
    group: 'Train and evaluate',
    native: true,
  },
  {
    name: 'eval',
    module: './eval.js',
    summary: 'evaluate weights on the test set (alias of train --test)',
    group: 'Train and evaluate',
    native: true,
    pureWith: ['--onnx'],
  },
  {
    name: 'export',
    module: './export.js',
    summary: 'export an inference model (ONNX) with size accounting',
    group: 'Export and inference',
  },
  {
    name: 'predict',
    module: './predict.js',
    summary: 'run an exported model on .npy inputs (predict.py flags)',
    group: 'Export and inference',
  },
  {
    name: 'tipc plan',
    module: './tipc-plan.js',
    summary: 'print the commands a TIPC params file and mode expand to',
    group: 'TIPC',
  },
  {
    name: 'tipc run',
    module: './tipc-run.js',
    summary: 'run a TIPC chain, gate it and write the report',
    group: 'TIPC',
  },
  { name: 'tipc prepare', module: './tipc-prepare.js', summary: 'prepare data for a TIPC mode', group: 'TIPC' },
  {
    name: 'tipc report',
    module: './tipc-report.js',
    summary: 'print, re-render, merge or convert (JUnit, Markdown) TIPC reports',
    group: 'TIPC',
  },
  {
    name: 'tipc golden',
    module: './tipc-golden.js',
    summary: "write the golden gate's GT file from the pinned reference model",
    group: 'TIPC',
  },
  {
    name: 'tipc compare',
    module: './tipc-compare.js',
    summary: "run every variant's lite chain and print the contest's comparison table",
    group: 'TIPC',
  },
  {
    name: 'tipc convert',
    module: './tipc-convert.js',
    summary: 'convert a params file between the positional .txt and typed YAML/JSON forms',
    group: 'TIPC',
  },
  {
    name: 'main',
    module: './main-job.js',
    summary: 'the main job (npm start): prepare + lite TIPC chain on synthetic data, print the report',
    group: 'TIPC',
  },
  {
    name: 'errors',
    module: './errors.js',
    summary: 'list the error codes, their exit status and meaning',
    group: 'Other',
  },
];

/** The entry whose words start argv (the longest match), and the arguments after them. */
export function findCommand(argv: readonly string[]): { entry: CommandEntry; rest: string[] } | undefined {
  let found: CommandEntry | undefined;
  for (const c of COMMANDS) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!found || words.length > found.name.split(' ').length)) found = c;
  }
  return found && { entry: found, rest: argv.slice(found.name.split(' ').length) };
}

/** Whether `argv` runs a command that loads libtensorflow (native, and none of its pure flags given). */
export function loadsNative(argv: readonly string[]): boolean {
  const f = findCommand(argv);
  if (!f?.entry.native) return false;
  const pure = f.entry.pureWith ?? [];
  return !f.rest.some((a) => pure.some((p) => a === p || a.startsWith(`${p}=`)));
}

/** Commands whose first word is `word` (e.g. every `tipc …`), for a bare group word. */
export function commandsUnder(word: string): CommandEntry[] {
  return COMMANDS.filter((c) => c.name.split(' ').length > 1 && c.name.split(' ')[0] === word);
}
