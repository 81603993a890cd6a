// Size accounting from the files on disk, and atomic writes (temp file, then rename).
import fs from 'node:fs';
import path from 'node:path';

/** Bytes of each file as stored on disk, keyed by base name. */
export function fileSizes(files: readonly string[]): Record<string, number> {
  return Object.fromEntries(files.map((f) => [path.basename(f), fs.statSync(f).size]));
}

/**
 * Serialises a JSON sidecar that reports its own size: `fill(selfBytes)` builds the object for a
 * given size of the sidecar; iterate until the printed size equals the real one.
 */
export function selfSizedJson(fill: (selfBytes: number) => unknown): string {
  let guess = 0;
  for (let i = 0; i < 8; i++) {
    const text = JSON.stringify(fill(guess), null, 2) + '\n';
    const n = Buffer.byteLength(text);
    if (n === guess) return text;
    guess = n;
  }
  throw new Error('sidecar size did not converge');
}
