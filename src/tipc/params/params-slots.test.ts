import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  FIXED_KEYS,
  HEADERS,
  POSITIONAL_LINES,
  RAW_SLOTS,
  SEPARATORS,
  SLOT_INDEX,
  SLOTS,
  USUAL_KEYS,
} from './params-slots.js';
import { errorsOf, readParamsFile, slot } from './params-file.js';
import { toTyped } from './params-typed.js';

const CONFIGS = path.resolve(import.meta.dirname, '../../../test_tipc/configs');
const ours = readdirSync(CONFIGS).map((d) => path.join(CONFIGS, d, 'train_infer_python.txt'));

describe('params-file slot table', () => {
  it('names 51 distinct positional lines; the lint rules are derived from it', () => {
    expect(POSITIONAL_LINES).toBe(51);
    expect(new Set(SLOTS).size).toBe(51);
    expect(SLOTS.every((n, i) => SLOT_INDEX[n] === i)).toBe(true);
    expect(FIXED_KEYS[SLOT_INDEX.model_name]).toBe('model_name');
    expect(FIXED_KEYS[SLOT_INDEX.inference]).toBe('inference');
    expect(USUAL_KEYS[SLOT_INDEX.pact_train]).toBe('pact_train');
    expect(Object.values(HEADERS)).toEqual(['train_params', 'eval_params', 'infer_params']);
    expect(SEPARATORS).toEqual([SLOT_INDEX.sep_train, SLOT_INDEX.sep_trainers, SLOT_INDEX.sep_eval]);
    expect([...RAW_SLOTS].sort()).toEqual(
      ['header_eval', 'header_infer', 'header_train', 'sep_eval', 'sep_train', 'sep_trainers'].sort(),
    );
  });

  it.each(ours)('%s: every fixed slot holds its key, and the typed form is keyed by the table', (file) => {
    const p = readParamsFile(file);
    expect(errorsOf(p)).toEqual([]);
    for (const [i, key] of Object.entries(FIXED_KEYS)) expect(slot(p, SLOTS[Number(i)]).key).toBe(key);
    expect(Object.keys(toTyped(p).lines)).toEqual([...SLOTS]);
  });
});
