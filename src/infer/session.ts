// onnxruntime-node sessions: provider selection (CPU; CUDA, which fails when the runtime lacks it;
// or auto: CUDA when the runtime has it, else the CPU with a note — never a silent fallback),
// thread count, and named errors carrying onnxruntime's whole message.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS, readFileBounded } from '../util/file-limits.js';

export type Provider = 'cpu' | 'cuda';

export interface SessionOptions {
  /** 'auto': CUDA when this runtime has the provider and it starts, else the CPU (with `note` set). */
  provider?: Provider | 'auto';
  /** intra-op threads; undefined = runtime default. */
  threads?: number;
  /** Graph optimisation (ir_optim): 'all' when true (default), 'disabled' when false. */
  optimize?: boolean;
  /**
   * Whether onnxruntime's intra-op worker threads spin (busy-wait) between ops; undefined =
   * `defaultSpinning()`.
   */
  spinning?: boolean;
}

/**
 * The intra-op spinning this package chooses, for every thread count: off. With more than one thread
 * (undefined = the runtime's default, one per core), onnxruntime's workers busy-wait between ops
 * and compete with the thread doing the work whenever anything else runs on the cores; measured
 * with the light model at batch 1, 2 threads (`npm run bench -- infer`, spinning_off_over_on,
 * paired in one rotation on a 2-core machine under load): off 0.66–0.67× the latency of on and
 * 0.80–0.93× its CPU time. At 1 thread there is no worker to spin: off and on measure alike
 * (CPU time 1.00×), so one rule serves every count.
 */
export function defaultSpinning(): boolean {
  return false;
}

export interface LoadedSession {
  session: ort.InferenceSession;
  /** The provider the session runs on. */
  provider: Provider;
  threads: number | undefined;
  /** One line saying why 'auto' chose the CPU. */
  note?: string;
}

/** onnxruntime's whole message (several lines for shape and graph errors), trimmed. */
export function ortMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).trim();
}

/**
 * Whether this onnxruntime-node install can run the CUDA provider: bundled, or its provider
 * library installed next to the binding (what the package's skipped postinstall would download).
 */
export function cudaAvailable(): boolean {
  try {
    const cuda = ort.listSupportedBackends().find((b) => b.name === 'cuda');
    if (!cuda) return false;
    if (cuda.bundled) return true;
    const req = createRequire(import.meta.url);
    const binDir = path.join(
      path.dirname(req.resolve('onnxruntime-node')),
      '..',
      'bin',
      'napi-v6',
      process.platform,
      process.arch,
    );
    return fs.existsSync(path.join(binDir, 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

/** The onnxruntime session options every session of this package runs with. */
export function ortSessionOptions(provider: Provider, opts: SessionOptions = {}): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: opts.optimize === false ? 'disabled' : 'all',
    logSeverityLevel: 3,
    // Weight-only int8 graphs (DequantizeLinear on initializers, fp32 activations): with its QDQ
    // transformers on, onnxruntime keeps each DequantizeLinear as a node run on every call, and its
    // rewrites move the logits away from the graph's own semantics (0.48 on the real light weights,
    // against the same graph unoptimised; src/export/int8-parity.test.ts). With them off, constant
    // folding turns the int8 weights into fp32 initializers at load and the graph runs the fp32
    // kernels. No effect on graphs without Q/DQ nodes.
    extra: {
      session: {
        disable_quant_qdq: '1',
        'intra_op.allow_spinning': (opts.spinning ?? defaultSpinning()) ? '1' : '0',
      },
    },
    ...(opts.threads !== undefined ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
  };
}

export async function createSession(modelFile: string | Uint8Array, opts: SessionOptions = {}): Promise<LoadedSession> {
  if (opts.provider === 'auto') {
    if (!cudaAvailable())
      return {
        ...(await createSession(modelFile, { ...opts, provider: 'cpu' })),
        note: 'no CUDA execution provider in this onnxruntime build; running on the CPU',
      };
    try {
      return await createSession(modelFile, { ...opts, provider: 'cuda' });
    } catch (e) {
      if (!(e instanceof CodedError) || e.code !== 'E_GPU_SESSION') throw e;
      return {
        ...(await createSession(modelFile, { ...opts, provider: 'cpu' })),
        note: `the CUDA execution provider did not start (${e.message.replace(/\s+/g, ' ')}); running on the CPU`,
      };
    }
  }
  const provider = opts.provider ?? 'cpu';
  const label = typeof modelFile === 'string' ? modelFile : '<in-memory model>';
  // Size, type and readability are checked before anything else; the bytes are read once, here.
  const bytes =
    typeof modelFile === 'string'
      ? new Uint8Array(
          readFileBounded(modelFile, {
            what: 'model file',
            maxBytes: FILE_LIMITS.onnx,
            code: 'E_MODEL_LOAD',
            missingCode: 'E_MODEL_MISSING',
          }),
        )
      : modelFile;
  if (provider === 'cuda' && !cudaAvailable()) {
    throw new CodedError(
      'E_GPU_UNAVAILABLE',
      'use_gpu=True but this onnxruntime build has no CUDA execution provider; run with --use_gpu=False (or auto) for the CPU',
    );
  }
  if (opts.threads !== undefined && (!Number.isInteger(opts.threads) || opts.threads < 1)) {
    throw new CodedError('E_THREADS', `cpu_threads must be a positive integer (got ${opts.threads})`);
  }
  const options = ortSessionOptions(provider, opts);
  try {
    const session = await ort.InferenceSession.create(bytes, options);
    return { session, provider, threads: opts.threads };
  } catch (e) {
    const why = ortMessage(e);
    if (provider === 'cuda')
      throw new CodedError('E_GPU_SESSION', `cannot start ${label} on the CUDA execution provider: ${why}`);
    throw new CodedError('E_MODEL_LOAD', `cannot load ONNX model ${label}: ${why}`);
  }
}

/** Runs one float32 batch through a single-input, single-output session. */
export async function runBatch(
  s: ort.InferenceSession,
  input: Float32Array,
  shape: number[],
): Promise<{ data: Float32Array; dims: number[] }> {
  const inName = s.inputNames[0];
  const outName = s.outputNames[0];
  const feeds = { [inName]: new ort.Tensor('float32', input, shape) };
  const res = await s.run(feeds);
  const t = res[outName];
  const data = t.data as Float32Array;
  const out = { data: new Float32Array(data), dims: [...t.dims] };
  t.dispose();
  return out;
}
