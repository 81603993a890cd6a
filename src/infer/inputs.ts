// Predict inputs: one .npy `(3, T, 25, 2)`, a list file of .npy paths (--time_test_file), or a
// folder of .npy files; each loaded and preprocessed (test crop + resize) as spec §2.
//
// Memory stays bounded whatever the input count: a list file is read in chunks and never held
// whole, and samples are preprocessed in chunks of at most `runChunkSize(window)` into one reused
// buffer (`inputChunks` for files, `npySampleChunks` for the samples of a big [N, 3, T, 25, 2] array),
// which is also the most the model is run on at once: onnxruntime's activations grow by ~15 MB
// per sample at window 64 (a one-shot batch of 256 peaks at ~4 GB).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NpyError, readNpyFloat32, type NpySampleReader } from '../data/npy.js';
import { EmptySequenceError, preprocessForInference } from '../data/crop-resize.js';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS } from '../util/file-limits.js';

export interface InputSpec {
  channels: number;
  window: number;
  vertices: number;
  persons: number;
  p: number;
}

/** Values of one preprocessed sample `[C, window, V, M]`. */
export const sampleSize = (s: InputSpec): number => s.channels * s.window * s.vertices * s.persons;

/** Most samples preprocessed and run at once: 16 at window 64, fewer for longer windows. */
export function runChunkSize(window: number): number {
  return Math.max(1, Math.floor((16 * 64) / Math.max(1, window)));
}

/** Longest line of a list file (a path). */
const MAX_LIST_LINE = 16 * 1024;
/** A streamed list file may be large (it is never held whole); this only stops a runaway device file. */
const MAX_STREAMED_LIST = 1 << 30;

/** Lines of a text file, read 64 KiB at a time (strict UTF-8; CRLF accepted; a UTF-8 BOM dropped). */
export function* readLines(file: string, what: string): Generator<{ line: string; no: number }> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) {
      fs.closeSync(fd);
      throw new CodedError('E_FILE_UNREADABLE', `${what} ${file} is a directory; give a text file`);
    }
    if (st.size > MAX_STREAMED_LIST) {
      fs.closeSync(fd);
      throw new CodedError('E_FILE_TOO_LARGE', `${what} ${file} has ${st.size} bytes (at most ${MAX_STREAMED_LIST})`);
    }
  } catch (e) {
    if (e instanceof CodedError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CodedError('E_INPUT_MISSING', `${what} ${file} does not exist`);
    throw new CodedError('E_FILE_UNREADABLE', `${what} ${file} cannot be read (${code ?? (e as Error).message})`);
  }
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const buf = Buffer.alloc(64 * 1024);
  let pos = 0;
  let rest = '';
  let no = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (pos === 0 && n >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)))
        throw new CodedError('E_TEXT_ENCODING', `${what} ${file} is UTF-16 encoded; save it as UTF-8`);
      const nul = buf.subarray(0, n).indexOf(0);
      if (nul >= 0)
        throw new CodedError(
          'E_TEXT_ENCODING',
          `${what} ${file} has a NUL byte at offset ${pos + nul}: not UTF-8 text`,
        );
      let text: string;
      try {
        text = dec.decode(buf.subarray(0, n), { stream: n > 0 });
      } catch {
        throw new CodedError('E_TEXT_ENCODING', `${what} ${file} is not valid UTF-8 (near byte ${pos})`);
      }
      pos += n;
      rest += text;
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        yield { line: rest.slice(0, nl).replace(/\r$/, ''), no: ++no };
        rest = rest.slice(nl + 1);
      }
      if (rest.length > MAX_LIST_LINE)
        throw new CodedError(
          'E_INPUT_INVALID',
          `${what} ${file}:${no + 1}: line longer than ${MAX_LIST_LINE} characters (not a list of paths?)`,
        );
      if (n === 0) break;
    }
    if (rest.length) yield { line: rest.replace(/\r$/, ''), no: ++no };
  } finally {
    fs.closeSync(fd);
  }
}

/** Where the inputs come from; `files()` can be iterated more than once (a list file is re-read). */
export interface InputSource {
  input: string;
  /** Number of input files (every one checked to exist). */
  count: number;
  files(): Iterable<string>;
}

function listEntries(listFile: string): Iterable<string> {
  const dir = path.dirname(listFile);
  return {
    *[Symbol.iterator]() {
      for (const { line } of readLines(listFile, 'input list')) {
        const l = line.trim();
        if (l.length === 0 || l.startsWith('#')) continue;
        yield path.isAbsolute(l) || fs.existsSync(l) ? l : path.join(dir, l);
      }
    },
  };
}

/** True when `f` is absent (a link loop or a permission problem is left for the reader to name). */
function absent(f: string): boolean {
  try {
    return fs.statSync(f, { throwIfNoEntry: false }) === undefined;
  } catch {
    return false;
  }
}

/**
 * Opens the input of `predict -i`: a list file (with --time_test_file), a folder of `.npy` (sorted
 * names) or one file. Checks that every named file exists, streaming over a list file.
 */
export function openInputSource(inputFile: string, timeTestFile: boolean): InputSource {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(inputFile, { throwIfNoEntry: false });
  } catch (e) {
    throw new CodedError(
      'E_FILE_UNREADABLE',
      `input ${inputFile} cannot be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  if (!st) throw new CodedError('E_INPUT_MISSING', `input file ${inputFile} does not exist`);
  let files: () => Iterable<string>;
  if (timeTestFile) {
    if (st.isDirectory())
      throw new CodedError('E_FILE_UNREADABLE', `input list ${inputFile} is a directory; give a text file of paths`);
    files = () => listEntries(inputFile);
  } else if (st.isDirectory()) {
    let names: string[];
    try {
      names = fs.readdirSync(inputFile);
    } catch (e) {
      throw new CodedError(
        'E_FILE_UNREADABLE',
        `input folder ${inputFile} cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    const list = names
      .filter((f) => f.endsWith('.npy'))
      .sort()
      .map((f) => path.join(inputFile, f));
    files = () => list;
  } else {
    files = () => [inputFile];
  }
  let count = 0;
  for (const f of files()) {
    if (absent(f)) throw new CodedError('E_INPUT_MISSING', `input file ${f} (listed in ${inputFile}) does not exist`);
    count++;
  }
  if (count === 0) throw new CodedError('E_INPUT_EMPTY', `${inputFile}: no input files`);
  return { input: inputFile, count, files };
}

/** Every input path in memory (small inputs only; predict itself iterates `openInputSource`). */
export function resolveInputFiles(inputFile: string, timeTestFile: boolean): string[] {
  return [...openInputSource(inputFile, timeTestFile).files()];
}

/** The first index of a non-finite value, or -1. */
function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/** Loads one .npy and returns the preprocessed [C, window, V, M] sample (into `out` when given). */
export function loadAndPreprocess(file: string, spec: InputSpec, out?: Float32Array): Float32Array {
  let arr;
  try {
    arr = readNpyFloat32(file, undefined, FILE_LIMITS.npySample);
  } catch (e) {
    // Every .npy problem of an input is E_INPUT_INVALID; size/encoding codes pass through.
    if (e instanceof NpyError || !(e instanceof CodedError) || e.code === 'E_NPY')
      throw new CodedError('E_INPUT_INVALID', (e as Error).message);
    throw e;
  }
  // A single sample saved with its batch axis, (1, C, T, V, M), is accepted too.
  const s = arr.shape.length === 5 && arr.shape[0] === 1 ? arr.shape.slice(1) : arr.shape;
  if (s.length !== 4 || s[0] !== spec.channels || s[2] !== spec.vertices || s[3] !== spec.persons || s[1] < 1) {
    throw new CodedError(
      'E_INPUT_SHAPE',
      `${file}: expected shape (${spec.channels}, T, ${spec.vertices}, ${spec.persons}), got (${arr.shape.join(', ')})`,
    );
  }
  const bad = firstNonFinite(arr.data);
  if (bad >= 0)
    throw new CodedError('E_INPUT_INVALID', `${file}: value ${arr.data[bad]} at flat index ${bad} is not finite`);
  let x: Float32Array;
  try {
    x = preprocessForInference(
      arr.data,
      { window: spec.window, p: spec.p },
      { C: spec.channels, V: spec.vertices, M: spec.persons },
    );
  } catch (e) {
    if (e instanceof EmptySequenceError) throw new CodedError('E_INPUT_NO_FRAMES', `${file}: ${e.message}`);
    throw e;
  }
  if (!out) return x;
  out.set(x);
  return out;
}

/** A chunk of preprocessed samples; `data` is a view of a buffer reused by the next chunk. */
export interface InputChunk<T> {
  items: T[];
  /** `[items.length, C, window, V, M]` row-major. */
  data: Float32Array;
  shape: [number, number, number, number, number];
  /** Milliseconds spent loading + preprocessing this chunk. */
  loadMs: number;
}

/**
 * Groups `items` into chunks of at most `chunk` samples, each loaded by `load(item, out)` into one
 * reused buffer (memory: one chunk, whatever the number of items). A chunk's `data` is valid until
 * the next one is requested.
 */
export function* chunksOf<T>(
  items: Iterable<T>,
  chunk: number,
  spec: InputSpec,
  load: (item: T, out: Float32Array) => void,
): Generator<InputChunk<T>> {
  if (!Number.isInteger(chunk) || chunk < 1) throw new CodedError('E_BATCH_SIZE', `chunk size ${chunk} is not ≥ 1`);
  const per = sampleSize(spec);
  const buf = new Float32Array(chunk * per);
  let pending: T[] = [];
  let t0 = performance.now();
  const emit = (): InputChunk<T> => {
    const n = pending.length;
    const c: InputChunk<T> = {
      items: pending,
      data: buf.subarray(0, n * per),
      shape: [n, spec.channels, spec.window, spec.vertices, spec.persons],
      loadMs: performance.now() - t0,
    };
    pending = [];
    return c;
  };
  for (const it of items) {
    load(it, buf.subarray(pending.length * per, (pending.length + 1) * per));
    pending.push(it);
    if (pending.length === chunk) {
      yield emit();
      t0 = performance.now();
    }
  }
  if (pending.length) yield emit();
}

/** Input files → preprocessed chunks (predict). */
export function inputChunks(files: Iterable<string>, chunk: number, spec: InputSpec): Generator<InputChunk<string>> {
  return chunksOf(files, chunk, spec, (f, out) => void loadAndPreprocess(f, spec, out));
}

/**
 * Samples `0..limit−1` of a `[N, C, T, V, M]` float32 array → preprocessed chunks of sample
 * indices (evaluation over a validation set without holding it: one raw and one chunk of
 * preprocessed samples in memory).
 */
export function npySampleChunks(
  reader: NpySampleReader,
  chunk: number,
  spec: InputSpec,
  limit = reader.count,
): Generator<InputChunk<number>> {
  const [C, T, V, M] = reader.sampleShape;
  if (reader.sampleShape.length !== 4 || C !== spec.channels || V !== spec.vertices || M !== spec.persons)
    throw new CodedError(
      'E_INPUT_SHAPE',
      `${reader.file}: expected [N, ${spec.channels}, T, ${spec.vertices}, ${spec.persons}], got [${reader.header.shape.join(', ')}]`,
    );
  const raw = new Float32Array(reader.sampleElems);
  const indices = {
    *[Symbol.iterator]() {
      for (let i = 0; i < Math.min(limit, reader.count); i++) yield i;
    },
  };
  return chunksOf(indices, chunk, spec, (i, out) => {
    reader.read(i, raw);
    try {
      out.set(preprocessForInference(raw, { window: spec.window, p: spec.p }, { C, V, M }).subarray(0, out.length));
    } catch (e) {
      if (e instanceof EmptySequenceError)
        throw new CodedError('E_INPUT_NO_FRAMES', `${reader.file}: sample ${i} of T = ${T}: ${e.message}`);
      throw e;
    }
  });
}
