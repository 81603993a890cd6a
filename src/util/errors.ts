// Errors that reach the user: a registered code, a message naming the file/line/flag/value, and an
// exit code. Every code the package can raise is listed here once, with its meaning; `ctrgcn errors`
// prints this table, and the type system rejects a code that is not in it.

interface ErrorInfo {
  /** One line: what went wrong, in the user's terms. */
  meaning: string;
  /** Process exit code (1 unless the error is a usage error, 2, or a numerical failure, 3). */
  exit?: number;
}

export const ERROR_CODES = {
  E_USAGE: { meaning: 'a command line that cannot be parsed: unknown flag, missing or malformed value', exit: 2 },
  E_BACKEND_INIT: { meaning: 'the tfjs backend could not be initialised' },
  E_NATIVE_BACKEND: { meaning: 'the native training backend (tfjs-node / tfjs-node-gpu) cannot be loaded' },
  E_CONFIG_MISSING: { meaning: 'the recipe (-c) file does not exist', exit: 2 },
  E_CONFIG_INVALID: { meaning: 'the recipe YAML does not match the recipe schema', exit: 2 },
  E_OVERRIDE: { meaning: 'an -o key=value override is malformed or names no recipe key', exit: 2 },
  E_ARCH_INVALID: {
    meaning: 'the recipe MODEL section does not describe a buildable network (block, width or option named)',
    exit: 2,
  },
  E_CONFIG_MISMATCH: {
    meaning: 'the recipe given disagrees with the architecture or preprocessing recorded in the exported model',
    exit: 2,
  },
  E_MODEL_METADATA: { meaning: 'an ONNX file lacks (or has malformed) ctrgcn metadata: pass the recipe with --config' },
  E_NOT_REPARAM: {
    meaning: 'weights cannot be converted: the two architectures do not compute the same function',
  },
  E_RAW_MISSING: { meaning: 'the raw NTU skeleton folder does not exist' },
  E_RAW_EMPTY: { meaning: 'the raw NTU skeleton folder holds no .skeleton file' },
  E_SKELETON_NAME: { meaning: 'a .skeleton file name is not of the NTU form SsssCcccPpppRrrrAaaa' },
  E_SKELETON_FORMAT: { meaning: 'a .skeleton file is truncated or malformed (file and line named)' },
  E_SKELETON_EMPTY: { meaning: 'a .skeleton file has no body in any frame' },
  E_DENOISE_EMPTY: { meaning: 'denoising left no body in a sequence' },
  E_SEQUENCE_EMPTY: { meaning: 'a sequence has no usable frame for centring' },
  E_SEQUENCE_TOO_LONG: { meaning: 'a sequence has more frames than the output array holds' },
  E_SPLIT_MISMATCH: { meaning: 'sample names and labels of a split disagree' },
  E_SCRATCH: { meaning: 'the conversion scratch file is short or unreadable' },
  E_SYNTH_ARGS: { meaning: 'synthetic-data options out of range' },
  E_OUTPUT_UNWRITABLE: { meaning: 'an output file or folder cannot be written' },
  E_FILE_TOO_LARGE: { meaning: 'an input file is larger than the limit for its kind (checked before reading)' },
  E_FILE_UNREADABLE: { meaning: 'an input path is not a readable regular file (directory, permissions, link loop)' },
  E_TEXT_ENCODING: { meaning: 'a text file is not UTF-8 (UTF-16 byte-order mark, NUL bytes, invalid bytes)' },
  E_NPY: { meaning: 'a .npy file is malformed, truncated or of an unsupported dtype/order' },
  E_PICKLE_FORMAT: { meaning: 'a pickle (.pkl / .pdparams) is malformed or truncated' },
  E_PICKLE_UNSAFE: { meaning: 'a pickle references a global outside the NumPy allow-list (never executed)' },
  E_LABELS: { meaning: 'a label file is malformed' },
  E_LABELS_MISSING: { meaning: 'a label file does not exist' },
  E_DATA_MISSING: { meaning: 'a data .npy file does not exist' },
  E_DATA_FORMAT: {
    meaning: 'a data file does not have the [N, 3, T, 25, 2] float32 layout or disagrees with its labels',
  },
  E_WEIGHTS_MISSING: { meaning: 'a weights file does not exist' },
  E_WEIGHTS_READ: { meaning: 'a weights file cannot be read' },
  E_WEIGHTS_FORMAT: { meaning: 'a weights file is neither a valid .pdparams nor a valid .safetensors' },
  E_WEIGHTS_MISMATCH: { meaning: 'weights do not fit the model: missing, unexpected or mis-shaped tensors' },
  E_CHECKPOINT_MISSING: { meaning: 'a training checkpoint to resume from does not exist' },
  E_CHECKPOINT_INVALID: { meaning: 'a training checkpoint lacks its optimiser or loop state' },
  E_CHECKPOINT_INCOMPLETE: {
    meaning: 'a training checkpoint was cut off while being written: a file is missing or differs from its manifest',
  },
  E_NAN_LOSS: { meaning: 'training produced a non-finite loss or weight', exit: 3 },
  E_GPU_BACKEND: { meaning: 'GPU training was requested but @tensorflow/tfjs-node-gpu cannot be loaded' },
  E_EXPORT_INVALID: { meaning: 'an exported model disagrees with its sidecar (sizes, hashes)' },
  E_MODEL_MISSING: { meaning: 'the model file given to predict does not exist' },
  E_MODEL_LOAD: { meaning: 'onnxruntime cannot load the model file' },
  E_GPU_UNAVAILABLE: { meaning: 'use_gpu=True, but the runtime has no CUDA execution provider' },
  E_GPU_SESSION: { meaning: 'the CUDA execution provider failed to start' },
  E_THREADS: { meaning: 'cpu_threads is not a positive integer' },
  E_BATCH_SIZE: { meaning: 'batch_size is not a positive integer' },
  E_INPUT_MISSING: { meaning: 'an input file does not exist' },
  E_INPUT_EMPTY: { meaning: 'an input list or folder names no file' },
  E_INPUT_INVALID: { meaning: 'an input array is malformed' },
  E_INPUT_SHAPE: { meaning: 'an input array has the wrong shape for the model' },
  E_INPUT_NO_FRAMES: { meaning: 'an input sequence has no non-zero frame' },
  E_TOO_FEW_BATCHES: { meaning: 'a latency benchmark needs more batches than the 3 warm-up ones' },
  E_INFERENCE: { meaning: 'onnxruntime failed while running the model' },
  E_LATENCY_REPORT_INVALID: { meaning: 'a latency report does not match its schema' },
  E_PARAMS_READ: { meaning: 'a TIPC params file cannot be read' },
  E_PARAMS_INVALID: { meaning: 'a TIPC params file breaks the positional layout (lines named)' },
  E_PARAMS_SHELL: { meaning: 'a command in a TIPC params file cannot be split into words' },
  E_MODE: { meaning: 'an unknown TIPC mode', exit: 2 },
  E_GATES_INVALID: { meaning: 'a gates file does not match the gates schema' },
  E_PREPARE_PARAMS: { meaning: 'a params file does not name the data a TIPC mode needs' },
  E_PREPARE_FAILED: { meaning: 'preparing the data of a TIPC mode failed' },
  E_PREPARE_MISSING: { meaning: 'data a TIPC mode needs is missing and cannot be prepared here' },
  E_REPORT_READ: { meaning: 'a report file cannot be read' },
  E_REPORT_INVALID: { meaning: 'a report does not match the report schema' },
  E_REPORT_MERGE: { meaning: 'shard reports cannot be merged' },
  E_REPORT_HISTORY: {
    meaning: '`tipc report --history` found no report.json under a folder, or more reports than it reads',
  },
  E_RECORD_INVALID: { meaning: 'a chain record (JSON line) does not match its schema or record-format version' },
  E_COMPARE_CONFIG: { meaning: 'a TIPC config dir listed for `tipc compare` is missing or incomplete' },
  E_COMPARE_FAILED: { meaning: '`tipc compare` could not measure a variant (its chain or model summary failed)' },
  E_GOLDEN_FAILED: { meaning: '`tipc golden` could not produce the reference outputs (export or predict failed)' },
  E_RESUME: { meaning: '`tipc run --resume` found no earlier report of this params file and mode to continue' },
} as const satisfies Record<string, ErrorInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a registered code; the CLI prints `error [CODE]: message` and exits with its code. */
export class CodedError extends Error {
  readonly exitCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    exitCode?: number,
  ) {
    super(message);
    this.name = 'CodedError';
    const info: ErrorInfo = ERROR_CODES[code];
    this.exitCode = exitCode ?? info.exit ?? 1;
  }
}

/** The registry as rows (code, exit, meaning), in registry order. */
export function errorTable(): Array<{ code: ErrorCode; exit: number; meaning: string }> {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => {
    const info: ErrorInfo = ERROR_CODES[code];
    return { code, exit: info.exit ?? 1, meaning: info.meaning };
  });
}
