// The verdicts: one small gate per module over the evidence, evaluated as a list, and the --baseline comparison.
export * from './baseline-compare.js';
export * from './evaluate.js';
export * from './types.js';
