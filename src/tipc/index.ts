// What scripts drive the chain with (test_tipc/*.mjs import it as `ctrgcn-tipc/tipc`): the params
// loader, the prepare stages, the chain session (steps to run, then gates and report), the writers and
// the terminal colour policy they follow.
export { openChain, runChain, type ChainOptions, type ChainResult, type ChainSession } from './run/index.js';
export type { RunnableStep } from './run/index.js';
export type { Exec } from './run/index.js';
export { loadParams } from './params/index.js';
export { prepareStages, type PrepareStage } from './run/index.js';
export { summaryTable } from './report/index.js';
export { writeOutputs } from './report/index.js';
export type { Report } from './report/index.js';
export { colorFor, paint, SGR } from '../util/color.js';
