// Checkpoint → name/tensor map for the exporter (`.safetensors` or Paddle `.pdparams`, sniffed by
// content in src/model/weights.ts), and the checkpoint's sha256 for the sidecar.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { TensorMap } from '../model/safetensors.js';
import { readWeightsFile } from '../model/weights-file.js';
import { CodedError } from '../util/errors.js';

export function loadCheckpoint(file: string): TensorMap {
  if (!fs.existsSync(file)) throw new CodedError('E_WEIGHTS_MISSING', `weights file ${file} does not exist`);
  try {
    return readWeightsFile(file);
  } catch (e) {
    if (e instanceof CodedError) throw e;
    throw new CodedError('E_WEIGHTS_FORMAT', `${file}: ${(e as Error).message}`);
  }
}

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
