// README as a landing page: short, its two setup commands, and every page of docs/ reachable from it
// through links that resolve.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '..');
const README = readFileSync(path.join(REPO, 'README.md'), 'utf8');
const links = [...README.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));

describe('README', () => {
  it('is at most 120 lines', () => {
    expect(README.trimEnd().split('\n').length).toBeLessThanOrEqual(120);
  });

  it('keeps exactly the two setup commands', () => {
    const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    expect(blocks).toEqual(['npm install && npm start', 'npm test']);
  });

  it('links only to files that exist', () => {
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !existsSync(path.join(REPO, l)))).toEqual([]);
  });

  it('reaches every page of docs/', () => {
    const pages = readdirSync(path.join(REPO, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`);
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.filter((p) => !links.includes(p))).toEqual([]);
  });
});
