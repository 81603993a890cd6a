// Trends across runs (`tipc report --history`): the reports found and read, their headline figures in
// time order with regressions beyond gates.regression marked, as a terminal/Markdown table and a page.
export * from './files.js';
export * from './html.js';
export * from './series.js';
export * from './table.js';
export * from './thresholds.js';
