// Top-1 accuracy of an ONNX session on a labelled `[N, 3, T, 25, 2]` .npy, with the inference
// preprocessing (test crop + resize) applied to every sample.
import type * as ort from 'onnxruntime-node';
import { NpySampleReader } from '../data/npy.js';
import { preprocessForInference } from '../data/crop-resize.js';
import { readLabelFile } from '../data/skeleton-dataset.js';
import { CodedError } from '../util/errors.js';
import { runBatch } from './session.js';
import { argmaxRows } from '../util/argmax.js';

export interface EvalSet {
  dataFile: string;
  labelFile: string;
  /** Use only the first `limit` samples. */
  limit?: number;
}

export interface EvalResult {
  samples: number;
  correct: number;
  top1: number;
  /** Predicted class per sample. */
  predictions: Int32Array;
}

/** Loads and preprocesses the evaluation samples once (they are shared by all variants). */
export function loadEvalSet(
  set: EvalSet,
  window: number,
  p: number,
): { inputs: Float32Array; labels: Int32Array; count: number } {
  const reader = new NpySampleReader(set.dataFile);
  try {
    const s = reader.sampleShape;
    if (s.length !== 4 || s[0] !== 3 || s[2] !== 25 || s[3] !== 2)
      throw new CodedError(
        'E_INPUT_SHAPE',
        `${set.dataFile}: expected [N, 3, T, 25, 2], got [${reader.header.shape.join(', ')}]`,
      );
    const { labels } = readLabelFile(set.labelFile);
    const count = Math.min(reader.count, set.limit ?? Infinity);
    if (labels.length < count)
      throw new CodedError('E_DATA_FORMAT', `${set.labelFile}: ${labels.length} labels for ${count} samples`);
    if (count < 1) throw new CodedError('E_DATA_FORMAT', `${set.dataFile}: no samples`);
    const per = 3 * window * 25 * 2;
    const inputs = new Float32Array(count * per);
    for (let i = 0; i < count; i++) inputs.set(preprocessForInference(reader.read(i), { window, p }), i * per);
    return { inputs, labels: labels.slice(0, count), count };
  } finally {
    reader.close();
  }
}

export async function evaluateTop1(
  session: ort.InferenceSession,
  data: { inputs: Float32Array; labels: Int32Array; count: number },
  window: number,
  classes: number,
  batchSize = 16,
): Promise<EvalResult> {
  const per = 3 * window * 25 * 2;
  const predictions = new Int32Array(data.count);
  for (let i = 0; i < data.count; i += batchSize) {
    const b = Math.min(batchSize, data.count - i);
    const { data: logits } = await runBatch(session, data.inputs.slice(i * per, (i + b) * per), [b, 3, window, 25, 2]);
    predictions.set(argmaxRows(logits, classes), i);
  }
  let correct = 0;
  for (let i = 0; i < data.count; i++) if (predictions[i] === data.labels[i]) correct++;
  return { samples: data.count, correct, top1: correct / data.count, predictions };
}
