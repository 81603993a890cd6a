// What scripts drive the chain with (test_tipc/*.mjs import it as `ctrgcn-tipc/tipc`): the params
// loader, the prepare stages, the chain session (steps to run, then gates and report) and the writers.
export { openChain, runChain, type ChainOptions, type ChainResult, type ChainSession } from './chain.js';
export type { RunnableStep } from './plan-run.js';
export type { Exec } from './runner.js';
export { loadParams } from './params-typed.js';
export { prepareStages, type PrepareStage } from './prepare.js';
export { summaryTable } from './report-table.js';
export { writeOutputs } from './outputs.js';
export type { Report } from './report.js';
