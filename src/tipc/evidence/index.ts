// What the steps left behind and what the machine is: records and logs parsed, measurements per unit, GT files.
export * from './environment.js';
export * from './gpu.js';
export * from './gt-results.js';
export * from './measure.js';
export * from './paddlevideo-logs.js';
export * from './step-data.js';
