// The run record and its writers: report.json/html, the terminal table, JUnit, the CI summary.
export * from './html.js';
export * from './headline.js';
export * from './html-charts.js';
export * from './report.js';
export * from './terminal.js';
export * from './writers.js';
