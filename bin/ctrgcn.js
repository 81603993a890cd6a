#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

process.env.TF_CPP_MIN_LOG_LEVEL ??= '3';
const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('ctrgcn: dist/ is missing; run `npm run build` first\n');
  process.exit(2);
}
const { main } = await import(entry);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`ctrgcn: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
