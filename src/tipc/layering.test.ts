// The shape of the code, checked: which folder may import which, the TIPC driver's rooms and their
// faces, no import cycle anywhere, and rooms of a readable size.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '..');
const isSource = (f: string) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.test-util.ts');

/** Every source file under src (relative, posix), tests and test utilities left out. */
function sourceFiles(dir = ''): string[] {
  return readdirSync(path.join(SRC, dir)).flatMap((f) => {
    const rel = dir ? `${dir}/${f}` : f;
    if (statSync(path.join(SRC, rel)).isDirectory()) return f === '__fixtures__' ? [] : sourceFiles(rel);
    return isSource(f) ? [rel] : [];
  });
}

interface Edge {
  file: string;
  /** The imported file, relative to src (`.ts`). */
  target: string;
  typeOnly: boolean;
}

const FILES = sourceFiles();
const EDGES: Edge[] = FILES.flatMap((file) =>
  [...readFileSync(path.join(SRC, file), 'utf8').matchAll(/^\s*(import|export)\b([^'"]*)from\s+'(\.[^']+)'/gm)].map(
    (m) => ({
      file,
      target: path.posix.normalize(path.posix.join(path.posix.dirname(file), m[3])).replace(/\.js$/, '.ts'),
      typeOnly: /^\s*type\b/.test(m[2]),
    }),
  ),
);
const top = (f: string) => f.split('/')[0];
/** The TIPC room of a file (`tipc/run`), or undefined outside the rooms. */
const room = (f: string) =>
  f.startsWith('tipc/') && f.split('/').length > 2 ? f.split('/').slice(0, 2).join('/') : undefined;

/** The cycles of a directed graph (each as the list of its nodes), by depth-first search. */
function cycles(edges: Array<[string, string]>): string[][] {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (u: string) => {
    state.set(u, 'open');
    stack.push(u);
    for (const v of next.get(u) ?? []) {
      if (state.get(v) === 'open') found.push([...stack.slice(stack.indexOf(v)), v]);
      else if (!state.has(v)) visit(v);
    }
    stack.pop();
    state.set(u, 'done');
  };
  for (const u of next.keys()) if (!state.has(u)) visit(u);
  return found;
}

describe('dependency direction', () => {
  it('the files are found (the checks below see something)', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(EDGES.length).toBeGreaterThan(300);
  });

  it('the TIPC driver runs commands: it never imports the model, trainer, exporter, inference code or CLI', () => {
    const bad = EDGES.filter((e) => top(e.file) === 'tipc' && /^(model|train|export|infer|cli)$/.test(top(e.target)));
    expect(bad).toEqual([]);
  });

  it('the chain records sit at the ground: src/contracts imports only src/util', () => {
    const bad = EDGES.filter((e) => top(e.file) === 'contracts' && !['contracts', 'util'].includes(top(e.target)));
    expect(bad).toEqual([]);
  });

  it('library code never imports the CLI', () => {
    expect(EDGES.filter((e) => top(e.file) !== 'cli' && top(e.target) === 'cli')).toEqual([]);
  });

  it('no import cycle anywhere (type-only imports included)', () => {
    expect(cycles(EDGES.map((e) => [e.file, e.target]))).toEqual([]);
  });
});

describe('the TIPC driver as rooms', () => {
  const ROOMS = ['params', 'plan', 'run', 'evidence', 'gates', 'report', 'history', 'compare'].map((r) => `tipc/${r}`);

  it('holds its code in rooms, each with a face (index.ts); only the package face stays in the hall', () => {
    expect(FILES.filter((f) => top(f) === 'tipc' && !room(f))).toEqual(['tipc/index.ts']);
    expect([...new Set(FILES.map(room).filter(Boolean))].sort()).toEqual([...ROOMS].sort());
    for (const r of ROOMS) expect(FILES, r).toContain(`${r}/index.ts`);
  });

  it('a room is entered through its face', () => {
    const bad = EDGES.filter((e) => room(e.target) && room(e.file) !== room(e.target))
      .filter((e) => e.target !== `${room(e.target)}/index.ts`)
      .map((e) => `${e.file} → ${e.target}`);
    expect(bad).toEqual([]);
  });

  it('the rooms form no circle', () => {
    const roomEdges = EDGES.filter((e) => room(e.file) && room(e.target) && room(e.file) !== room(e.target)).map(
      (e): [string, string] => [room(e.file)!, room(e.target)!],
    );
    expect(cycles(roomEdges)).toEqual([]);
  });

  it('no source folder but src/cli holds more than 16 source files', () => {
    const perFolder = new Map<string, number>();
    for (const f of FILES) perFolder.set(path.posix.dirname(f), (perFolder.get(path.posix.dirname(f)) ?? 0) + 1);
    const big = [...perFolder].filter(([d, n]) => d !== 'cli' && n > 16);
    expect(big).toEqual([]);
  });
});
