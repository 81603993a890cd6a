// Chain records shared by the package's commands and the TIPC driver (see records.ts), and the
// published figures the model registry hands to `tipc compare` (published.ts).
export * from './records.js';
export * from './codec.js';
export * from './published.js';
