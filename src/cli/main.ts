// `ctrgcn` entry point: a table of commands, each one thin file under src/cli exporting
// `spec` (flags, for --help) and `run(argv)` (returns the exit code).
import { UsageError, formatHelp, type CommandSpec } from './args.js';
import { CodedError } from '../util/errors.js';

export interface CommandModule {
  spec: CommandSpec;
  run(argv: string[]): Promise<number>;
}

/** Command words → module path (relative to this file). Loaded lazily so `--help` is fast. */
const COMMANDS: Record<string, string> = {
  'data ntu': './data-ntu.js',
  'data synth': './data-synth.js',
  'model summary': './model-summary.js',
  'model info': './model-info.js',
  'weights convert': './weights-convert.js',
  logits: './logits.js',
  train: './train.js',
  eval: './eval.js',
  export: './export.js',
  predict: './predict.js',
  'tipc plan': './tipc-plan.js',
  'tipc run': './tipc-run.js',
  'tipc prepare': './tipc-prepare.js',
  'tipc report': './tipc-report.js',
  'tipc convert': './tipc-convert.js',
  errors: './errors.js',
  main: './main-job.js',
};

const SUMMARIES: Record<string, string> = {
  'data ntu': 'NTU RGB+D .skeleton files → xsub/xview train/val .npy + _label.pkl',
  'data synth': 'write synthetic NTU-format .skeleton files',
  'model summary': "parameter counts, per-block table and MACs of a recipe's architecture",
  'model info': 'the variant, recipe digest, labels and preprocessing an exported ONNX carries',
  'weights convert': '.pdparams/.safetensors → .safetensors, or into another form of the same function',
  logits: 'raw logits of a preprocessed batch (tfjs weights or an ONNX file)',
  train: 'train a recipe (main.py -c cfg -o k=v --validate); --test evaluates',
  eval: 'evaluate weights on the test set (alias of train --test)',
  export: 'export an inference model (ONNX) with size accounting',
  predict: 'run an exported model on .npy inputs (predict.py flags)',
  'tipc plan': 'print the commands a TIPC params file and mode expand to',
  'tipc run': 'run a TIPC chain, gate it and write the report',
  'tipc prepare': 'prepare data for a TIPC mode',
  'tipc report': 'render or merge TIPC reports',
  'tipc convert': 'convert a params file between the positional .txt and typed YAML/JSON forms',
  errors: 'list the error codes, their exit status and meaning',
  main: 'the main job: prepare + lite TIPC chain on built-in synthetic data, print the report',
};

function topHelp(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'Usage: ctrgcn <command> [options]   (ctrgcn <command> --help for its options)',
    '',
    'Commands:',
    ...Object.keys(COMMANDS).map((k) => `  ${k.padEnd(w)}  ${SUMMARIES[k] ?? ''}`),
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(topHelp());
    return argv.length === 0 ? 2 : 0;
  }
  const two = argv.slice(0, 2).join(' ');
  const key = COMMANDS[two] ? two : COMMANDS[argv[0]] ? argv[0] : undefined;
  if (!key) {
    process.stderr.write(`ctrgcn: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${topHelp()}`);
    return 2;
  }
  const rest = argv.slice(key.split(' ').length);
  const mod = (await import(COMMANDS[key])) as CommandModule;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(formatHelp(mod.spec));
    return 0;
  }
  try {
    return await mod.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ctrgcn ${key}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CodedError) {
      process.stderr.write(`ctrgcn ${key}: error [${e.code}]: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
