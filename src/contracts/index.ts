// Chain records shared by the package's commands and the TIPC driver (see records.ts).
export * from './records.js';
export * from './codec.js';
