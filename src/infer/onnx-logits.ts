// Raw logits of a preprocessed batch through an exported ONNX file (`ctrgcn logits --onnx`).
import { readNpyFloat32, writeNpy } from '../data/npy.js';
import { createSession, ortMessage, runBatch } from './session.js';
import { CodedError } from '../util/errors.js';

export interface LogitsBatch {
  shape: number[];
  data: Float32Array;
}

/**
 * Logits of a preprocessed float32 batch `[N, 3, T, 25, 2]`. Two call forms: (data, shape) →
 * data, as used here; and ({shape, data}) → {shape, data}, the hook `ctrgcn logits --onnx` calls.
 */
export async function runOnnxLogits(
  onnxPath: string,
  input: Float32Array,
  shape: number[],
  threads?: number,
): Promise<Float32Array>;
export async function runOnnxLogits(onnxPath: string, input: LogitsBatch): Promise<LogitsBatch>;
export async function runOnnxLogits(
  onnxPath: string,
  input: Float32Array | LogitsBatch,
  shape?: number[],
  threads?: number,
): Promise<Float32Array | LogitsBatch> {
  if (!(input instanceof Float32Array)) {
    const data = await logitsOf(onnxPath, input.data, input.shape);
    return { shape: [input.shape[0], data.length / Math.max(1, input.shape[0])], data };
  }
  if (!shape) throw new CodedError('E_INPUT_SHAPE', 'runOnnxLogits: the input shape is required');
  return logitsOf(onnxPath, input, shape, threads);
}

async function logitsOf(
  onnxPath: string,
  input: Float32Array,
  shape: number[],
  threads?: number,
): Promise<Float32Array> {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== input.length)
    throw new CodedError('E_INPUT_SHAPE', `input has ${input.length} values, shape [${shape.join(', ')}] needs ${n}`);
  const { session } = await createSession(onnxPath, { provider: 'cpu', threads });
  try {
    return (await runBatch(session, input, shape)).data;
  } catch (e) {
    if (e instanceof CodedError) throw e;
    throw new CodedError('E_INFERENCE', `${onnxPath}: ${ortMessage(e)}`);
  } finally {
    await session.release();
  }
}

/** `ctrgcn logits --onnx M.onnx --input X.npy --out Y.npy`: X is a preprocessed [N, 3, T, 25, 2] batch. */
export async function writeOnnxLogits(
  onnxPath: string,
  inputFile: string,
  outFile: string,
  threads?: number,
): Promise<{ shape: number[] }> {
  let x;
  try {
    x = readNpyFloat32(inputFile);
  } catch (e) {
    throw new CodedError('E_INPUT_INVALID', (e as Error).message);
  }
  if (x.shape.length !== 5)
    throw new CodedError('E_INPUT_SHAPE', `${inputFile}: expected [N, 3, T, 25, 2], got [${x.shape.join(', ')}]`);
  const logits = await runOnnxLogits(onnxPath, x.data, x.shape, threads);
  const shape = [x.shape[0], logits.length / x.shape[0]];
  writeNpy(outFile, '<f4', shape, logits);
  return { shape };
}
