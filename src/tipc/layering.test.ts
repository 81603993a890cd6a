import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '..');

function imports(dir: string): Array<{ file: string; spec: string }> {
  return readdirSync(path.join(SRC, dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.test-util.ts'))
    .flatMap((f) =>
      [...readFileSync(path.join(SRC, dir, f), 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*from\s+'([^']+)'/gm)].map(
        (m) => ({ file: `${dir}/${f}`, spec: m[1] }),
      ),
    );
}

describe('dependency direction', () => {
  it('the TIPC driver runs commands: it never imports the model, trainer, exporter or inference code', () => {
    const bad = [...imports('tipc'), ...imports('tipc/gates')].filter((i) =>
      /^(\.\.\/)+(model|train|export|infer|cli)\//.test(i.spec),
    );
    expect(bad).toEqual([]);
  });
  it('the chain records sit at the ground: src/contracts imports only src/util', () => {
    const bad = imports('contracts').filter((i) => i.spec.startsWith('..') && !i.spec.startsWith('../util/'));
    expect(bad).toEqual([]);
  });
});
