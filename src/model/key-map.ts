// Checkpoint key map: the structured names a checkpoint may use for the tree's tensors. A
// RecognizerGCN checkpoint uses them as they are (`backbone.…`, `head.fc.…`). A
// RecognizerDistillation checkpoint (a DML distillation recipe) stores the student as
// `Student.0.…` (backbone) and `Student.1.…` (head) next to the teacher's `Teacher.0/1.…`: the
// student is the model, the teacher is dropped.
import type { TensorMap } from './safetensors.js';

export const DISTILLATION_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['Student.0.', 'backbone.'],
  ['Student.1.', 'head.'],
];
const TEACHER = /^Teacher\.\d+\./;

export interface MappedKeys {
  tensors: TensorMap;
  /** What was renamed or dropped, for a log line. */
  notes: string[];
}

export function mapCheckpointKeys(map: TensorMap): MappedKeys {
  const keys = [...map.keys()];
  const isDistillation =
    !keys.some((k) => k.startsWith('backbone.')) && keys.some((k) => k.startsWith(DISTILLATION_PREFIXES[0][0]));
  if (!isDistillation) return { tensors: map, notes: [] };
  const out: TensorMap = new Map();
  let dropped = 0;
  for (const [k, t] of map) {
    const rule = DISTILLATION_PREFIXES.find(([from]) => k.startsWith(from));
    if (rule) out.set(rule[1] + k.slice(rule[0].length), t);
    else if (TEACHER.test(k)) dropped++;
    else out.set(k, t);
  }
  return {
    tensors: out,
    notes: [`distillation checkpoint: Student.0/Student.1 read as backbone/head, ${dropped} Teacher tensors dropped`],
  };
}
