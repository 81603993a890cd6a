// Nothing half-written: every output goes to a temp file in the target's directory and is renamed
// over the target (atomic on one filesystem) only when complete; on failure the temp file is
// removed. `writeFileAtomic` writes a whole buffer; `AtomicFileWriter` streams a large output
// (a multi-GB .npy) chunk by chunk under the same temp-then-rename rule. Temp files still open
// when the process exits (process.exit from a signal handler, an uncaught error) are removed.
import fs from 'node:fs';
import path from 'node:path';

const live = new Set<string>();
let hooked = false;
let counter = 0;

function track(tmp: string): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const f of live) fs.rmSync(f, { force: true });
    });
  }
  live.add(tmp);
}

/** `<dir>/.<name>.<pid>.<n>.tmp`: hidden, unique per process and call, in the target's directory. */
export function tempPathFor(file: string): string {
  const dir = path.dirname(file);
  return path.join(dir, `.${path.basename(file)}.${process.pid}.${(counter++).toString(36)}.tmp`);
}

export interface AtomicWriteOptions {
  /** Flush to disk before the rename (default true; off for many small scratch files). */
  fsync?: boolean;
}

/** Writes `data` to `file` atomically (the parent folder is created if needed). */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const w = new AtomicFileWriter(file, opts);
  try {
    w.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
}

/**
 * A file written in pieces: `write` appends (or writes at a position), `commit` flushes to disk and
 * renames the temp file over the target, `abort` removes it. Until `commit` the target is untouched.
 */
export class AtomicFileWriter {
  readonly tmp: string;
  private fd: number;
  private pos = 0;

  constructor(
    readonly file: string,
    private readonly opts: AtomicWriteOptions = {},
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.tmp = tempPathFor(file);
    this.fd = fs.openSync(this.tmp, 'wx');
    track(this.tmp);
  }

  /** Bytes written so far (the append position). */
  get bytesWritten(): number {
    return this.pos;
  }

  write(chunk: Uint8Array): void {
    if (this.fd < 0) throw new Error(`${this.file}: write after commit/abort`);
    let off = 0;
    while (off < chunk.byteLength) off += fs.writeSync(this.fd, chunk, off, chunk.byteLength - off, this.pos + off);
    this.pos += chunk.byteLength;
  }

  commit(): void {
    if (this.fd < 0) throw new Error(`${this.file}: commit after commit/abort`);
    if (this.opts.fsync !== false) fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = -1;
    fs.renameSync(this.tmp, this.file);
    live.delete(this.tmp);
  }

  /** Removes the temp file; safe to call more than once and after a failed commit. */
  abort(): void {
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
    }
    this.fd = -1;
    fs.rmSync(this.tmp, { force: true });
    live.delete(this.tmp);
  }
}
