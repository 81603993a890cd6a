// Accuracy of an exported ONNX model on a labelled `[N, 3, T, 25, 2]` .npy, run by onnxruntime with
// the inference preprocessing (test crop + resize): what ships, measured the way it is deployed.
// Streams the data file one batch at a time (memory = one batch, whatever N is).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { preprocessForInference } from '../data/crop-resize.js';
import { NpySampleReader } from '../data/npy.js';
import { readLabelFile } from '../data/skeleton-dataset.js';
import { EvalAccumulator } from '../train/metrics.js';
import { CodedError } from '../util/errors.js';
import { createSession, runBatch, type Provider } from './session.js';

export interface OnnxEvalOptions {
  model: string;
  dataFile: string;
  labelFile: string;
  window: number;
  /** Centre-crop ratio of the inference preprocessing. */
  p: number;
  batchSize: number;
  provider?: Provider;
  threads?: number;
  /** Called after every batch (progress). */
  onBatch?: (done: number, total: number) => void;
}

export interface OnnxEvalResult {
  samples: number;
  batches: number;
  top1: number;
  top5: number;
  top1_batch_mean: number;
  top5_batch_mean: number;
  /** Mean softmax cross-entropy. */
  loss: number;
  predictions: number[];
  modelSha256: string;
  wallSec: number;
}

function crossEntropy(logits: Float32Array, classes: number, labels: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = logits.subarray(i * classes, (i + 1) * classes);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let z = 0;
    for (const v of row) z += Math.exp(v - max);
    sum += Math.log(z) + max - row[labels[i]];
  }
  return sum / labels.length;
}

export async function evaluateOnnx(o: OnnxEvalOptions): Promise<OnnxEvalResult> {
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1)
    throw new CodedError('E_BATCH_SIZE', `batch size must be ≥ 1 (got ${o.batchSize})`);
  const t0 = performance.now();
  const modelSha256 = fs.existsSync(o.model)
    ? crypto.createHash('sha256').update(fs.readFileSync(o.model)).digest('hex')
    : '';
  const { session } = await createSession(o.model, { provider: o.provider ?? 'cpu', threads: o.threads });
  const reader = new NpySampleReader(o.dataFile);
  try {
    const s = reader.sampleShape;
    if (s.length !== 4 || s[0] !== 3 || s[2] !== 25 || s[3] !== 2)
      throw new CodedError(
        'E_DATA_FORMAT',
        `${o.dataFile}: expected [N, 3, T, 25, 2], got [${reader.header.shape.join(', ')}]`,
      );
    const { labels } = readLabelFile(o.labelFile);
    if (labels.length !== reader.count)
      throw new CodedError(
        'E_DATA_FORMAT',
        `${o.labelFile}: ${labels.length} labels for the ${reader.count} samples of ${o.dataFile}`,
      );
    if (reader.count < 1) throw new CodedError('E_DATA_FORMAT', `${o.dataFile}: no samples`);
    const per = 3 * o.window * 25 * 2;
    const buf = new Float32Array(o.batchSize * per);
    const sample = new Float32Array(reader.sampleElems);
    const total = Math.ceil(reader.count / o.batchSize);
    let acc: EvalAccumulator | undefined;
    let lossSum = 0;
    for (let start = 0, k = 0; start < reader.count; start += o.batchSize, k++) {
      const b = Math.min(o.batchSize, reader.count - start);
      for (let j = 0; j < b; j++)
        buf.set(preprocessForInference(reader.read(start + j, sample), { window: o.window, p: o.p }), j * per);
      const input = b === o.batchSize ? buf : buf.slice(0, b * per);
      let out: { data: Float32Array; dims: number[] };
      try {
        out = await runBatch(session, input, [b, 3, o.window, 25, 2]);
      } catch (e) {
        throw new CodedError(
          'E_INFERENCE',
          `${o.model}: inference failed on samples ${start}…${start + b - 1} of ${o.dataFile}: ${(e as Error).message.split('\n')[0]}`,
        );
      }
      const classes = out.dims[out.dims.length - 1];
      acc ??= new EvalAccumulator(classes);
      const y = labels.subarray(start, start + b);
      for (const l of y)
        if (l < 0 || l >= classes)
          throw new CodedError('E_DATA_FORMAT', `${o.labelFile}: label ${l} outside the model's ${classes} classes`);
      const loss = crossEntropy(out.data, classes, y);
      lossSum += loss * b;
      acc.add(out.data, y, loss);
      o.onBatch?.(k + 1, total);
    }
    const sm = acc!.summary();
    return {
      samples: sm.samples,
      batches: sm.batches,
      top1: sm.top1,
      top5: sm.top5,
      top1_batch_mean: sm.top1_batch_mean,
      top5_batch_mean: sm.top5_batch_mean,
      loss: lossSum / sm.samples,
      predictions: acc!.predictions,
      modelSha256,
      wallSec: (performance.now() - t0) / 1000,
    };
  } finally {
    reader.close();
    await session.release();
  }
}
