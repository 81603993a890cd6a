// Small synthetic split files for tests and benchmarks: `[N, 3, T, 25, 2]` float32 skeletons whose
// motion depends on the class (so a model can learn them), plus a `_label.pkl`.
import path from 'node:path';
import { NpyStreamWriter } from '../data/npy.js';
import { writeLabelPickle } from '../data/labels.js';
import { Rng } from './rng.js';

export interface TinySplitOptions {
  count: number;
  frames: number;
  classes: number;
  seed: number;
  /** Valid-frame range (rest zero-padded); default: all frames. */
  minValid?: number;
}

/** One class-dependent sequence [3, T, 25, 2]: per-joint sinusoids with class-specific frequency/phase. */
export function synthSequence(label: number, T: number, valid: number, rng: Rng): Float32Array {
  const V = 25;
  const M = 2;
  const x = new Float32Array(3 * T * V * M);
  const freq = 0.05 + 0.04 * (label % 5);
  const axis = Math.floor(label / 5) % 3;
  const twoPersons = label % 2 === 1;
  for (let m = 0; m < (twoPersons ? 2 : 1); m++) {
    const phase = rng.range(0, Math.PI);
    for (let v = 0; v < V; v++) {
      const rest = [0.1 * Math.sin(v) + m * 0.5, 0.05 * v - 0.6, 3 + 0.02 * Math.cos(v)];
      const amp = 0.05 + 0.01 * (v % 7) + rng.range(0, 0.02);
      for (let t = 0; t < valid; t++) {
        for (let c = 0; c < 3; c++) {
          const moving = c === axis ? amp * Math.sin(2 * Math.PI * freq * t + phase + 0.1 * v) : 0;
          x[((c * T + t) * V + v) * M + m] = rest[c] + moving + rng.range(-0.005, 0.005);
        }
      }
    }
  }
  return x;
}

/** Writes `<dir>/<name>_data.npy` + `<dir>/<name>_label.pkl`; returns their paths. */
export function writeTinySplit(dir: string, name: string, o: TinySplitOptions): { data: string; labels: string } {
  const rng = new Rng(o.seed, 99);
  const data = path.join(dir, `${name}_data.npy`);
  const labelsFile = path.join(dir, `${name}_label.pkl`);
  const w = new NpyStreamWriter(data, o.count, [3, o.frames, 25, 2]);
  const labels: number[] = [];
  const names: string[] = [];
  for (let i = 0; i < o.count; i++) {
    const y = i % o.classes;
    const valid = o.minValid ? o.minValid + rng.int(o.frames - o.minValid + 1) : o.frames;
    w.write(synthSequence(y, o.frames, valid, rng));
    labels.push(y);
    names.push(`S001C001P001R001A${String(y + 1).padStart(3, '0')}`);
  }
  w.finish();
  writeLabelPickle(labelsFile, names, labels);
  return { data, labels: labelsFile };
}
