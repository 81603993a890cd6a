// The predict loop: batches of files → preprocess → (copy in, run, copy out) → softmax/top-k/print,
// timing each stage per batch (performance.now) and sampling peak RSS.
import { performance } from 'node:perf_hooks';
import type * as ort from 'onnxruntime-node';
import { CodedError } from '../util/errors.js';
import { loadAndPreprocess, type InputSpec } from './inputs.js';
import { PeakRssSampler, type StageTimes } from './latency.js';
import { formatResult, softmaxTopK, type TopK } from './postprocess.js';
import { ortMessage, runBatch } from './session.js';

export interface PredictLoopOptions {
  session: ort.InferenceSession;
  files: readonly string[];
  batchSize: number;
  spec: InputSpec;
  topK: number;
  print: (lines: string[]) => void;
}

export interface PredictLoopResult {
  results: Array<{ file: string; top: TopK }>;
  times: StageTimes[];
  peakRssMb: number;
}

export async function predictFiles(o: PredictLoopOptions): Promise<PredictLoopResult> {
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1)
    throw new CodedError('E_BATCH_SIZE', `batch_size must be ≥ 1 (got ${o.batchSize})`);
  const per = o.spec.channels * o.spec.window * o.spec.vertices * o.spec.persons;
  const rss = new PeakRssSampler().start(200);
  const results: PredictLoopResult['results'] = [];
  const times: StageTimes[] = [];
  let peakRssMb: number;
  try {
    for (let i = 0; i < o.files.length; i += o.batchSize) {
      const batch = o.files.slice(i, i + o.batchSize);
      const t0 = performance.now();
      const input = new Float32Array(batch.length * per);
      batch.forEach((f, j) => input.set(loadAndPreprocess(f, o.spec), j * per));
      const t1 = performance.now();
      let logits: { data: Float32Array; dims: number[] };
      try {
        logits = await runBatch(o.session, input, [
          batch.length,
          o.spec.channels,
          o.spec.window,
          o.spec.vertices,
          o.spec.persons,
        ]);
      } catch (e) {
        throw new CodedError(
          'E_INFERENCE',
          `inference failed on ${batch[0]}${batch.length > 1 ? ' …' : ''}: ${ortMessage(e)}`,
        );
      }
      const t2 = performance.now();
      const classes = logits.dims[logits.dims.length - 1];
      batch.forEach((file, j) => {
        const top = softmaxTopK(logits.data.subarray(j * classes, (j + 1) * classes), o.topK);
        results.push({ file, top });
        o.print(formatResult(file, top));
      });
      const t3 = performance.now();
      times.push({ preprocessMs: t1 - t0, inferenceMs: t2 - t1, postprocessMs: t3 - t2 });
      rss.sample();
    }
  } finally {
    peakRssMb = rss.stop();
  }
  return { results, times, peakRssMb };
}
