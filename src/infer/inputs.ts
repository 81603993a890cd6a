// Predict inputs: one .npy `(3, T, 25, 2)`, a list file of .npy paths (--time_test_file), or a
// folder of .npy files; each loaded and preprocessed (test crop + resize) as spec §2.
import fs from 'node:fs';
import path from 'node:path';
import { readNpyFloat32 } from '../data/npy.js';
import { EmptySequenceError, preprocessForInference } from '../data/crop-resize.js';
import { CodedError } from '../util/errors.js';

export function resolveInputFiles(inputFile: string, timeTestFile: boolean): string[] {
  if (!fs.existsSync(inputFile)) throw new CodedError('E_INPUT_MISSING', `input file ${inputFile} does not exist`);
  let files: string[];
  if (timeTestFile) {
    const dir = path.dirname(inputFile);
    files = fs
      .readFileSync(inputFile, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0 && !l.startsWith('#'))
      .map((l) => (path.isAbsolute(l) || fs.existsSync(l) ? l : path.join(dir, l)));
  } else if (fs.statSync(inputFile).isDirectory()) {
    files = fs
      .readdirSync(inputFile)
      .filter((f) => f.endsWith('.npy'))
      .sort()
      .map((f) => path.join(inputFile, f));
  } else {
    files = [inputFile];
  }
  if (files.length === 0) throw new CodedError('E_INPUT_EMPTY', `${inputFile}: no input files`);
  for (const f of files)
    if (!fs.existsSync(f))
      throw new CodedError('E_INPUT_MISSING', `input file ${f} (listed in ${inputFile}) does not exist`);
  return files;
}

export interface InputSpec {
  channels: number;
  window: number;
  vertices: number;
  persons: number;
  p: number;
}

/** Loads one .npy and returns the preprocessed [C, window, V, M] sample. */
export function loadAndPreprocess(file: string, spec: InputSpec): Float32Array {
  let arr;
  try {
    arr = readNpyFloat32(file);
  } catch (e) {
    throw new CodedError('E_INPUT_INVALID', (e as Error).message);
  }
  // A single sample saved with its batch axis, (1, C, T, V, M), is accepted too.
  const s = arr.shape.length === 5 && arr.shape[0] === 1 ? arr.shape.slice(1) : arr.shape;
  if (s.length !== 4 || s[0] !== spec.channels || s[2] !== spec.vertices || s[3] !== spec.persons || s[1] < 1) {
    throw new CodedError(
      'E_INPUT_SHAPE',
      `${file}: expected shape (${spec.channels}, T, ${spec.vertices}, ${spec.persons}), got (${arr.shape.join(', ')})`,
    );
  }
  try {
    return preprocessForInference(
      arr.data,
      { window: spec.window, p: spec.p },
      { C: spec.channels, V: spec.vertices, M: spec.persons },
    );
  } catch (e) {
    if (e instanceof EmptySequenceError) throw new CodedError('E_INPUT_NO_FRAMES', `${file}: ${e.message}`);
    throw e;
  }
}
