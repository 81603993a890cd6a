// Test data outside the repository (`../shared`: spec, golden outputs, PaddleVideo fixtures).
// A test that needs it asks here; a missing path fails the test with a message that names it
// (CI or not), never a skip: a checkout without shared data must not look green.
import fs from 'node:fs';
import path from 'node:path';

export const SHARED_ROOT = path.resolve(import.meta.dirname, '../../../shared');

export class MissingSharedDataError extends Error {
  constructor(readonly missing: string) {
    super(
      `missing test data: ${missing} does not exist. This test needs the shared data folder ` +
        `(../shared beside the repository: golden/, fixtures/, spec/); put it there — the test fails rather than skip.`,
    );
    this.name = 'MissingSharedDataError';
  }
}

/** Absolute path of `rel` under ../shared; throws MissingSharedDataError when it is not there. */
export function sharedPath(rel: string, root: string = SHARED_ROOT): string {
  const p = path.join(root, rel);
  if (!fs.existsSync(p)) throw new MissingSharedDataError(p);
  return p;
}
