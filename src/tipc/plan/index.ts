// The commands a params file and mode expand to (PaddleVideo's driver, exactly) and our extra steps.
export * from './extra-steps.js';
export * from './planner.js';
export * from './steps.js';
