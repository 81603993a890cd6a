// Running a plan: one command at a time, the chain session, data preparation, the live view and the GT writer.
export * from './chain.js';
export * from './golden-gt.js';
export * from './live-view.js';
export * from './plan-run.js';
export * from './prepare.js';
export * from './runner.js';
