// The run record and its writers: report.json/html, the terminal table, JUnit, the CI summary; the
// history of several runs (--history) and its writers.
export * from './html.js';
export * from './headline.js';
export * from './html-charts.js';
export * from './report.js';
export * from './terminal.js';
export * from './writers.js';
export * from './history.js';
export * from './history-files.js';
export * from './history-html.js';
export * from './history-table.js';
export * from './history-thresholds.js';
