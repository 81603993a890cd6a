// Raw logits of a preprocessed batch through an exported ONNX file (`ctrgcn logits --onnx`).
import { readNpyFloat32, writeNpy } from '../data/npy.js';
import { createSession, runBatch } from './session.js';
import { CliError } from '../util/errors.js';

export async function runOnnxLogits(onnxPath: string, input: Float32Array, shape: number[], threads?: number): Promise<Float32Array> {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== input.length) throw new CliError('BAD_INPUT_SHAPE', `input has ${input.length} values, shape [${shape.join(', ')}] needs ${n}`);
  const { session } = await createSession(onnxPath, { provider: 'cpu', threads });
  try {
    return (await runBatch(session, input, shape)).data;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('INFERENCE_FAILED', `${onnxPath}: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await session.release();
  }
}

/** `ctrgcn logits --onnx M.onnx --input X.npy --out Y.npy`: X is a preprocessed [N, 3, T, 25, 2] batch. */
export async function writeOnnxLogits(onnxPath: string, inputFile: string, outFile: string, threads?: number): Promise<{ shape: number[] }> {
  let x;
  try {
    x = readNpyFloat32(inputFile);
  } catch (e) {
    throw new CliError('BAD_INPUT', (e as Error).message);
  }
  if (x.shape.length !== 5) throw new CliError('BAD_INPUT_SHAPE', `${inputFile}: expected [N, 3, T, 25, 2], got [${x.shape.join(', ')}]`);
  const logits = await runOnnxLogits(onnxPath, x.data, x.shape, threads);
  const shape = [x.shape[0], logits.length / x.shape[0]];
  writeNpy(outFile, '<f4', shape, logits);
  return { shape };
}
