// What a params file says: the 51 slots, the typed form, shell words, and gates.yaml (thresholds and the chain's own settings).
export * from './gates-config.js';
export * from './params-file.js';
export * from './params-slots.js';
export * from './params-typed.js';
export * from './shell-words.js';
