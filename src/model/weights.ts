// State dicts of a tfjs model: read out in state-dict order, and strict loading with a mismatch
// report. The files themselves are weights-file.ts's (no runtime needed there).
import * as tf from '@tensorflow/tfjs';
import type { CtrGcnModel } from './ctrgcn.js';
import { mapCheckpointKeys } from './key-map.js';
import {
  checkTensors,
  sameShape,
  StateDictMismatchError,
  type StateDictReport,
  type TensorMap,
} from './weights-file.js';

export * from './weights-file.js';

/** Parameters then buffers merged back into state-dict order (spec model.md §9), copied to host. */
export function stateDict(model: CtrGcnModel): TensorMap {
  const out: TensorMap = new Map();
  for (const s of model.specs) {
    const v = model.params.get(s.name) ?? model.buffers.get(s.name);
    if (!v) continue;
    out.set(s.name, { shape: [...v.shape], data: v.dataSync() as Float32Array });
  }
  return out;
}

/** Compares a tensor map against the model's tensors. */
export function checkStateDict(model: CtrGcnModel, map: TensorMap): StateDictReport {
  return checkTensors(model.tree, map);
}

/**
 * Assigns `map` into the model. strict (default): any missing, unexpected or mis-shaped tensor
 * throws StateDictMismatchError listing them, and nothing is assigned. Non-strict: assigns the
 * tensors that fit and returns the report.
 */
export function loadStateDict(
  model: CtrGcnModel,
  input: TensorMap,
  opts: { strict?: boolean; source?: string } = {},
): StateDictReport {
  const map = mapCheckpointKeys(input).tensors;
  const report = checkStateDict(model, map);
  const bad = report.missing.length + report.unexpected.length + report.shapeMismatch.length;
  if (bad && opts.strict !== false) throw new StateDictMismatchError(report, opts.source ?? 'state dict');
  for (const s of model.specs) {
    const t = map.get(s.name);
    const v = model.params.get(s.name) ?? model.buffers.get(s.name);
    if (!t || !v || !sameShape(t.shape, s.shape)) continue;
    tf.tidy(() => v.assign(tf.tensor(t.data, s.shape, 'float32')));
    report.loaded++;
  }
  return report;
}
