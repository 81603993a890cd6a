// What `tipc run` shows while a step runs. The commands write into their step logs (never to the
// terminal); this view reads only the step's chain records (TIPC_RECORDS) to say how far it is:
// - on a terminal (and not CI): one redrawn status line with a spinner, elapsed time and, for
//   training, a progress bar over all its steps (log-update, which also restores the cursor);
// - otherwise (pipes, CI=true): a plain timestamped line when a step starts and then every
//   `intervalMs` while it runs, so CI logs show life without a flood of redraws.
// Redraws follow util/color.ts's policy: a stream that is not a terminal never gets them, even when
// the redrawn line is asked for.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createLogUpdate } from 'log-update';
import { canRedraw } from '../../util/color.js';

export interface LiveStep {
  /** Stops the status line of this step (the caller prints the step's result line next). */
  stop(): void;
}

export interface LiveView {
  start(label: string, recordsFile: string | undefined): LiveStep;
}

export type LiveMode = 'tty' | 'plain' | 'off';

/** How far a step is, from the last progress-carrying record of its records file. */
export interface StepProgress {
  epoch?: number;
  epochs?: number;
  /** Steps done in the current epoch, and the epoch's step count. */
  step?: number;
  steps?: number;
  loss?: number;
  /** The last record's kind (e.g. `val`, `checkpoint`, `export`). */
  last?: string;
}

/** The records file's last 8 KiB (bounded whatever the file's size). */
function tail(file: string, bytes = 8192): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const n = Math.min(size, bytes);
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, size - n);
    return buf.toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads progress from the tail of a records file; unreadable or partial lines are ignored. */
export function readProgress(file: string | undefined): StepProgress {
  if (!file) return {};
  const p: StepProgress = {};
  for (const line of tail(file).split('\n')) {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof r !== 'object' || r === null || typeof r.kind !== 'string') continue;
    p.last = r.kind;
    const n = (k: string) => (typeof r[k] === 'number' ? r[k] : undefined);
    if (r.kind === 'train_step') {
      p.epoch = n('epoch');
      p.epochs = n('epochs') ?? p.epochs;
      p.step = (n('iter') ?? 0) + 1;
      p.steps = n('steps') ?? p.steps;
      p.loss = n('loss');
    } else if (r.kind === 'train_epoch') {
      p.epoch = n('epoch');
      p.epochs = n('epochs');
      p.steps = n('steps');
      p.step = p.steps;
    }
  }
  return p;
}

function clock(d = new Date()): string {
  return d.toISOString().slice(11, 19);
}

function seconds(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** `epoch 1/2 step 10/15 loss 2.13`, or the last record's kind, or ''. */
export function progressText(p: StepProgress): string {
  const parts: string[] = [];
  if (p.epoch !== undefined) parts.push(`epoch ${p.epoch}${p.epochs ? `/${p.epochs}` : ''}`);
  if (p.step !== undefined) parts.push(`step ${p.step}${p.steps ? `/${p.steps}` : ''}`);
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toFixed(3)}`);
  if (!parts.length && p.last) parts.push(`last record: ${p.last}`);
  return parts.join(' ');
}

/** A `[#####.....]` bar over the whole training run, when the records say how long it is. */
export function progressBar(p: StepProgress, width = 20): string {
  if (!p.epoch || !p.epochs || !p.steps || p.step === undefined) return '';
  const done = Math.min(1, ((p.epoch - 1) * p.steps + p.step) / (p.epochs * p.steps));
  const filled = Math.round(done * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(done * 100)}%`;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Mode from the environment: a terminal that is not CI gets the redrawn line. */
export function liveModeFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): LiveMode {
  if (env.CI === 'true' || env.CI === '1') return 'plain';
  return canRedraw(stream, env) ? 'tty' : 'plain';
}

export interface LiveViewOptions {
  mode: LiveMode;
  stream?: NodeJS.WriteStream;
  /** Plain mode: a line every this many ms while a step runs (default 30 s). */
  intervalMs?: number;
  /** Plain mode writer (default: the stream). */
  write?: (line: string) => void;
  now?: () => number;
  /** Environment of the redraw policy (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export function createLiveView(o: LiveViewOptions): LiveView {
  const stream = o.stream ?? process.stdout;
  const now = o.now ?? (() => performance.now());
  // A redrawn line on a stream that is not a terminal would be escape codes in a log: plain lines instead.
  const mode: LiveMode = o.mode === 'tty' && !canRedraw(stream, o.env) ? 'plain' : o.mode;
  if (mode === 'off') return { start: () => ({ stop() {} }) };
  if (mode === 'plain') {
    const write = o.write ?? ((l: string) => stream.write(l + '\n'));
    const every = o.intervalMs ?? 30_000;
    return {
      start(label, records) {
        const t0 = now();
        write(`[${clock()}] ${label}: started`);
        const timer = setInterval(() => {
          const p = progressText(readProgress(records));
          write(`[${clock()}] ${label}: running ${seconds(now() - t0)}${p ? `, ${p}` : ''}`);
        }, every);
        timer.unref();
        return { stop: () => clearInterval(timer) };
      },
    };
  }
  const update = createLogUpdate(stream, { showCursor: false });
  return {
    start(label, records) {
      const t0 = now();
      let frame = 0;
      const draw = () => {
        const p = readProgress(records);
        const columns = stream.columns || 100;
        const line = [SPINNER[frame++ % SPINNER.length], label, seconds(now() - t0), progressBar(p), progressText(p)]
          .filter(Boolean)
          .join('  ');
        update([...line].length > columns ? [...line].slice(0, columns - 1).join('') + '…' : line);
      };
      draw();
      const timer = setInterval(draw, 250);
      timer.unref();
      return {
        stop() {
          clearInterval(timer);
          update.clear();
          update.done();
        },
      };
    },
  };
}

/** The view `execTo` reports to (set by the command that drives a chain; none by default). */
let active: LiveView | undefined;

export function setLiveView(view: LiveView | undefined): void {
  active = view;
}

export function liveView(): LiveView | undefined {
  return active;
}
