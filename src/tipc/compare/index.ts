// `tipc compare`: the variants' table and its page.
export * from './compare.js';
export * from './compare-html.js';
