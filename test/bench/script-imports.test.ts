// The benchmark scripts are plain .mjs run from dist/, so the type checker never sees them: every
// `const { … } = await dist('…')` (or `imp('…')`) they hold must still name a module of src/ and
// names it exports, or `npm run bench` breaks only when it runs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const scripts = path.resolve(__dirname, '..', '..', 'scripts');
const IMPORT = /const \{([^}]*)\} = await (?:dist|imp)\('([^']+)\.js'\)/g;

const uses = fs
  .readdirSync(scripts)
  .filter((f) => f.endsWith('.mjs'))
  .flatMap((file) =>
    [...fs.readFileSync(path.join(scripts, file), 'utf8').matchAll(IMPORT)].map((m) => ({
      file,
      module: m[2],
      names: m[1]
        .split(',')
        .map((n) => n.trim().split(':')[0].trim())
        .filter(Boolean),
    })),
  );

describe('benchmark scripts import what src/ exports', () => {
  it('finds the imports', () => {
    expect(uses.length).toBeGreaterThanOrEqual(10);
  });
  it.each(uses.map((u) => [`${u.file} → ${u.module}`, u] as const))('%s', async (_label, u) => {
    const src = path.resolve(scripts, '..', 'src', `${u.module}.ts`);
    expect(fs.existsSync(src), `${u.file} imports dist/${u.module}.js, but src/${u.module}.ts does not exist`).toBe(
      true,
    );
    const mod = (await import(src)) as Record<string, unknown>;
    for (const name of u.names) expect(mod[name], `${u.file}: ${u.module} has no export ${name}`).toBeDefined();
  });
});
