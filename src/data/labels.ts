// `_label.pkl` files (pickle of [names, labels]) and label `.npy` files, read and written.
import fs from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS, readFileBounded } from '../util/file-limits.js';
import {
  isNdarray,
  isScalar,
  ndarrayNumbers,
  ndarrayStrings,
  pickleDump,
  unpickle,
  type PyNdarray,
} from '../util/pickle.js';
import { NpySampleReader, readNpy } from './npy.js';

export interface LabelSet {
  /** Sample names; for `.npy` label files (no names) the sample indices as text. */
  names: string[];
  labels: number[];
}

const bad = (file: string, detail: string) => new CodedError('E_LABELS', `${file}: ${detail}`);

function toLabel(v: unknown, file: string, i: number): number {
  const x = isScalar(v) ? v.value : v;
  const n = typeof x === 'bigint' ? Number(x) : x;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw bad(file, `label ${i} is not a non-negative integer (${String(x)})`);
  return n;
}

function toName(v: unknown, file: string, i: number): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('latin1').replace(/\0+$/, '');
  if (isScalar(v) && typeof v.value === 'string') return v.value;
  throw bad(file, `name ${i} is not a string`);
}

function labelsOf(v: unknown, file: string): number[] {
  if (isNdarray(v)) {
    if (v.shape.length !== 1 && !(v.shape.length === 2 && v.shape[1] === 1))
      throw bad(file, `labels array has shape (${v.shape.join(', ')}), expected (N,)`);
    if (v.dtype.startsWith('|S')) throw bad(file, `labels array has dtype ${v.dtype}, expected integers`);
    return ndarrayNumbers(v).map((x, i) => toLabel(x, file, i));
  }
  if (Array.isArray(v)) return v.map((x, i) => toLabel(x, file, i));
  throw bad(file, 'labels are neither an array nor a list');
}

function namesOf(v: unknown, file: string): string[] {
  if (isNdarray(v)) {
    if (!v.dtype.startsWith('|S')) throw bad(file, `names array has dtype ${v.dtype}, expected |S<n> byte strings`);
    return ndarrayStrings(v);
  }
  if (Array.isArray(v)) return v.map((x, i) => toName(x, file, i));
  throw bad(file, 'names are neither an array nor a list');
}

/**
 * Reads labels: a path ending in `npy` is an integer array; otherwise a pickle of
 * `[names, labels]` (list or tuple; names as |S<n> ndarray or list of str/bytes; labels as int64
 * ndarray, list of ints or list of NumPy int64 scalars).
 */
export function readLabels(file: string): LabelSet {
  if (!fs.existsSync(file)) throw new CodedError('E_LABELS_MISSING', `${file}: label file not found`);
  if (file.endsWith('npy')) {
    let a;
    try {
      a = readNpy(file);
    } catch (e) {
      throw bad(file, (e as Error).message.replace(`${file}: `, ''));
    }
    const nd: PyNdarray = { kind: 'ndarray', dtype: a.descr, shape: a.shape, data: a.data };
    const labels = labelsOf(nd, file);
    return { names: labels.map((_, i) => String(i)), labels };
  }
  const buf = readFileBounded(file, {
    what: 'label file',
    maxBytes: FILE_LIMITS.pickle,
    code: 'E_FILE_UNREADABLE',
    missingCode: 'E_LABELS_MISSING',
  });
  let v: unknown;
  try {
    v = unpickle(buf, file);
  } catch (e) {
    if (e instanceof CodedError) throw e;
    throw bad(file, (e as Error).message);
  }
  if (!Array.isArray(v) || v.length !== 2) throw bad(file, 'expected a pickled [names, labels] pair');
  const names = namesOf(v[0], file);
  const labels = labelsOf(v[1], file);
  if (names.length !== labels.length) throw bad(file, `${names.length} names but ${labels.length} labels`);
  return { names, labels };
}

/** Writes `[names ndarray |S20, labels ndarray <i8]` the way NumPy + pickle.dump do (atomic). */
export function writeLabelPickle(
  file: string,
  names: readonly string[],
  labels: readonly number[],
  protocol: 2 | 3 | 4 = 4,
): void {
  if (names.length !== labels.length)
    throw new Error(`writeLabelPickle ${file}: ${names.length} names, ${labels.length} labels`);
  const width = Math.max(1, ...names.map((n) => Buffer.byteLength(n, 'latin1')));
  const raw = Buffer.alloc(width * names.length);
  names.forEach((n, i) => raw.write(n, i * width, 'latin1'));
  const value = [
    { kind: 'ndarray', dtype: `|S${width}`, shape: [names.length], data: raw },
    { kind: 'ndarray', dtype: '<i8', shape: [labels.length], data: BigInt64Array.from(labels, (l) => BigInt(l)) },
  ];
  writeFileAtomic(file, pickleDump(value, { protocol }));
}

export interface OpenSplit {
  reader: NpySampleReader;
  names: string[];
  labels: number[];
}

/** Opens a data `.npy` for per-sample reads with its labels; the counts must agree. */
export function openSplit(dataPath: string, labelPath: string): OpenSplit {
  const { names, labels } = readLabels(labelPath);
  if (!fs.existsSync(dataPath)) throw new CodedError('E_DATA_MISSING', `${dataPath}: data file not found`);
  let reader: NpySampleReader;
  try {
    reader = new NpySampleReader(dataPath);
  } catch (e) {
    throw new CodedError('E_DATA_FORMAT', (e as Error).message);
  }
  if (reader.count !== labels.length) {
    reader.close();
    throw new CodedError(
      'E_SPLIT_MISMATCH',
      `${dataPath} holds ${reader.count} samples but ${labelPath} has ${labels.length} labels`,
    );
  }
  return { reader, names, labels };
}
