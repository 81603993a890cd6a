// The predict loop: batches of files → preprocess → (copy in, run, copy out) → softmax/top-k/print,
// timing each stage per batch (performance.now) and sampling peak RSS.
//
// Memory is bounded whatever the number of files and the batch size: inputs stream from
// `inputChunks`, and a batch larger than `runChunkSize(window)` is preprocessed and run chunk by
// chunk (each sample's logits do not depend on the others in eval mode: the chunked results are
// bit-identical to a one-shot run), its stage times summed over the chunks.
import { performance } from 'node:perf_hooks';
import type * as ort from 'onnxruntime-node';
import { CodedError } from '../util/errors.js';
import { inputChunks, runChunkSize, type InputChunk, type InputSpec } from './inputs.js';
import { PeakRssSampler, type StageTimes } from './latency.js';
import { formatResult, softmaxTopK, type TopK } from './postprocess.js';
import { ortMessage, runBatch } from './session.js';

export interface PredictLoopOptions {
  session: ort.InferenceSession;
  /** Input files, iterated once (a list file is streamed). */
  files: Iterable<string>;
  batchSize: number;
  spec: InputSpec;
  topK: number;
  print: (lines: string[]) => void;
  /** Called per file; without it no per-file results are kept (memory stays bounded). */
  onResult?: (file: string, top: TopK) => void;
  /** Samples per model run; default runChunkSize(spec.window). */
  chunkSize?: number;
}

export interface PredictLoopResult {
  files: number;
  times: StageTimes[];
  peakRssMb: number;
}

/** Runs one preprocessed chunk; onnxruntime errors become E_INFERENCE naming the first file. */
export async function runChunk<T>(
  session: ort.InferenceSession,
  c: InputChunk<T>,
  label: (item: T) => string = String,
): Promise<{ data: Float32Array; classes: number }> {
  try {
    const r = await runBatch(session, c.data, c.shape);
    return { data: r.data, classes: r.dims[r.dims.length - 1] };
  } catch (e) {
    throw new CodedError(
      'E_INFERENCE',
      `inference failed on ${label(c.items[0])}${c.items.length > 1 ? ' …' : ''}: ${ortMessage(e)}`,
    );
  }
}

/** Up to `n` items of `src` (a view that stops early; `src` keeps its position). */
function take<T>(src: Iterator<T>, n: number): { items: Iterable<T>; empty: boolean } {
  const first = src.next();
  if (first.done) return { items: [], empty: true };
  return {
    empty: false,
    items: {
      *[Symbol.iterator]() {
        yield first.value;
        for (let k = 1; k < n; k++) {
          const r = src.next();
          if (r.done) return;
          yield r.value;
        }
      },
    },
  };
}

export async function predictFiles(o: PredictLoopOptions): Promise<PredictLoopResult> {
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1)
    throw new CodedError('E_BATCH_SIZE', `batch_size must be ≥ 1 (got ${o.batchSize})`);
  const chunk = Math.min(o.batchSize, o.chunkSize ?? runChunkSize(o.spec.window));
  const rss = new PeakRssSampler().start(200);
  const times: StageTimes[] = [];
  let files = 0;
  let peakRssMb: number;
  const src = o.files[Symbol.iterator]();
  try {
    for (;;) {
      const batch = take(src, o.batchSize);
      if (batch.empty) break;
      const cur: StageTimes = { preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 };
      const it = inputChunks(batch.items, chunk, o.spec);
      for (;;) {
        const t0 = performance.now();
        const n = it.next();
        if (n.done) break;
        const c = n.value;
        const t1 = performance.now();
        const { data, classes } = await runChunk(o.session, c);
        const t2 = performance.now();
        c.items.forEach((file, j) => {
          const top = softmaxTopK(data.subarray(j * classes, (j + 1) * classes), o.topK);
          o.onResult?.(file, top);
          o.print(formatResult(file, top));
        });
        const t3 = performance.now();
        cur.preprocessMs += t1 - t0;
        cur.inferenceMs += t2 - t1;
        cur.postprocessMs += t3 - t2;
        files += c.items.length;
      }
      times.push(cur);
      rss.sample();
    }
  } finally {
    peakRssMb = rss.stop();
  }
  return { files, times, peakRssMb };
}
