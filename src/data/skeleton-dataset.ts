// SkeletonDataset: random access to a streamed `[N, 3, T, 25, 2]` float32 .npy plus its labels
// (`_label.pkl` = [names, labels], or a labels .npy), the per-sample pipeline, and batch
// iteration with the next batch's file reads in flight while the current step computes.
import fs from 'node:fs';
import { CodedError } from '../util/errors.js';
import { NpySampleReader, NpyError } from './npy.js';
import { readLabels } from './labels.js';
import { transformSample, type SamplePipelineOptions, type UniformSource } from './augment.js';
import { NTU_DIMS } from './crop-resize.js';

/** Labels (and sample names) of a split as typed arrays (wraps readLabels). */
export function readLabelFile(file: string): { names: string[]; labels: Int32Array } {
  const l = readLabels(file);
  return { names: l.names, labels: Int32Array.from(l.labels) };
}

export interface Batch {
  /** [B, 3, window, 25, 2] row-major. */
  data: Float32Array;
  labels: Int32Array;
  /** Dataset indices of the samples. */
  indices: number[];
  /** Seconds spent reading + transforming (what was not hidden behind compute). */
  readerCost: number;
}

export interface DatasetOptions {
  pipeline: SamplePipelineOptions;
  /** Number of classes, to check the labels' range. */
  numClasses?: number;
}

export class SkeletonDataset {
  readonly reader: NpySampleReader;
  readonly labels: Int32Array;
  readonly names: string[];
  readonly count: number;
  readonly frames: number;
  private fh: fs.promises.FileHandle | undefined;

  constructor(
    readonly dataPath: string,
    readonly labelPath: string,
    readonly opts: DatasetOptions,
  ) {
    if (!fs.existsSync(dataPath)) throw new CodedError('E_DATA_MISSING', `data file not found: ${dataPath}`);
    if (!fs.existsSync(labelPath)) throw new CodedError('E_DATA_MISSING', `label file not found: ${labelPath}`);
    try {
      this.reader = new NpySampleReader(dataPath);
    } catch (e) {
      if (e instanceof NpyError) throw new CodedError('E_DATA_FORMAT', e.message);
      throw e;
    }
    const s = this.reader.sampleShape;
    const { C, V, M } = NTU_DIMS;
    if (s.length !== 4 || s[0] !== C || s[2] !== V || s[3] !== M || this.reader.header.descr !== '<f4') {
      this.reader.close();
      throw new CodedError(
        'E_DATA_FORMAT',
        `${dataPath}: expected float32 samples of shape [N, ${C}, T, ${V}, ${M}], got ${this.reader.header.descr} [${this.reader.header.shape.join(', ')}]`,
      );
    }
    this.frames = s[1];
    this.count = this.reader.count;
    const lab = readLabels(labelPath);
    if (lab.labels.length !== this.count) {
      this.reader.close();
      throw new CodedError(
        'E_DATA_FORMAT',
        `${labelPath}: ${lab.labels.length} labels, but ${dataPath} holds ${this.count} samples`,
      );
    }
    const K = opts.numClasses;
    const bad = K ? lab.labels.findIndex((y) => !(y >= 0 && y < K)) : -1;
    if (bad >= 0) {
      this.reader.close();
      throw new CodedError(
        'E_DATA_FORMAT',
        `${labelPath}: label ${lab.labels[bad]} of sample ${bad} is outside [0, ${K})`,
      );
    }
    this.labels = Int32Array.from(lab.labels);
    this.names = lab.names;
  }

  get sampleOutElems(): number {
    const { C, V, M } = NTU_DIMS;
    return C * this.opts.pipeline.window * V * M;
  }

  /** Raw sample i (synchronous). */
  readRaw(i: number): Float32Array {
    return this.reader.read(i);
  }

  /** Raw samples read asynchronously (libuv thread pool), so reads overlap the running step. */
  async readRawAsync(indices: readonly number[]): Promise<Float32Array[]> {
    this.fh ??= await fs.promises.open(this.dataPath, 'r');
    const fh = this.fh;
    const { sampleBytes, sampleElems } = this.reader;
    const off = this.reader.header.dataOffset;
    return Promise.all(
      indices.map(async (i) => {
        if (!Number.isInteger(i) || i < 0 || i >= this.count)
          throw new RangeError(`${this.dataPath}: sample ${i} out of range [0, ${this.count})`);
        const out = new Float32Array(sampleElems);
        const { bytesRead } = await fh.read(new Uint8Array(out.buffer), 0, sampleBytes, off + i * sampleBytes);
        if (bytesRead !== sampleBytes)
          throw new CodedError('E_DATA_FORMAT', `${this.dataPath}: short read of sample ${i}`);
        return out;
      }),
    );
  }

  /** Transformed sample (model input layout). */
  transform(raw: Float32Array, index: number, rng?: UniformSource): Float32Array {
    try {
      return transformSample(raw, this.opts.pipeline, rng);
    } catch (e) {
      throw new CodedError('E_DATA_FORMAT', `${this.dataPath}: sample ${index}: ${(e as Error).message}`);
    }
  }

  /** Reads and transforms a batch; `rngFor(slot)` gives the random source of each batch slot. */
  async loadBatch(indices: readonly number[], rngFor?: (slot: number) => UniformSource): Promise<Batch> {
    const t0 = performance.now();
    const raws = await this.readRawAsync(indices);
    const per = this.sampleOutElems;
    const data = new Float32Array(indices.length * per);
    raws.forEach((raw, slot) => data.set(this.transform(raw, indices[slot], rngFor?.(slot)), slot * per));
    return {
      data,
      labels: Int32Array.from(indices, (i) => this.labels[i]),
      indices: [...indices],
      readerCost: (performance.now() - t0) / 1000,
    };
  }

  async close(): Promise<void> {
    this.reader.close();
    const fh = this.fh;
    this.fh = undefined;
    if (fh) await fh.close();
  }
}

/** Batch index lists: the order (a permutation or identity), cut into batches. */
export function batchIndices(order: readonly number[], batchSize: number, dropLast: boolean): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + (dropLast ? batchSize : 1) <= order.length; i += batchSize)
    out.push(order.slice(i, i + batchSize));
  return out;
}

/**
 * Iterates batches keeping one prefetch in flight: the reads of batch k+1 start before batch k
 * is handed out, so they proceed in the thread pool while the caller computes.
 */
export async function* prefetchBatches(
  ds: SkeletonDataset,
  batches: readonly (readonly number[])[],
  rngFor?: (batch: number, slot: number) => UniformSource,
): AsyncGenerator<Batch & { batchIndex: number }> {
  const start = (k: number) => ds.loadBatch(batches[k], rngFor ? (slot) => rngFor(k, slot) : undefined);
  let next = batches.length > 0 ? start(0) : undefined;
  for (let k = 0; k < batches.length; k++) {
    const t0 = performance.now();
    const b = await next!;
    const waited = (performance.now() - t0) / 1000;
    next = k + 1 < batches.length ? start(k + 1) : undefined;
    // Keep an unobserved rejection from crashing the process if the consumer stops early.
    next?.catch(() => undefined);
    yield { ...b, readerCost: waited, batchIndex: k };
  }
}
