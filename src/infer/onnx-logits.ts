// Raw logits of a preprocessed batch through an exported ONNX file (`ctrgcn logits --onnx`).
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
