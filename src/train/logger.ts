// PaddleVideo-format training logs (training.md §7): `[MM/DD HH:MM:SS] ` prefix, batch lines,
// `END epoch` lines, ANSI colours and a progress bar (stderr) as util/color.ts's policy allows,
// plus the typed chain records (src/contracts) in metrics.jsonl and the driver's TIPC_RECORDS file.
import fs from 'node:fs';
import { RecordWriter, type RecordBody, type RecordKind, type RecordOf } from '../contracts/index.js';
import { canRedraw, CLEAR_LINE, colorFor, paint, SGR } from '../util/color.js';

export const COLOURS = {
  HEADER: SGR.magenta,
  PURPLE: SGR.brightMagenta,
  OKGREEN: SGR.brightGreen,
  RED: SGR.red,
} as const;

const pad2 = (n: number) => String(n).padStart(2, '0');

export function timePrefix(d = new Date()): string {
  return `[${pad2(d.getMonth() + 1)}/${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}] `;
}

/** Python `str(datetime.timedelta(seconds=s))` for whole seconds: `H:MM:SS`, `1 day, H:MM:SS`. */
export function formatTimedelta(seconds: number): string {
  let s = Math.max(0, Math.round(seconds));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const hms = `${h}:${pad2(m)}:${pad2(s % 60)}`;
  return days > 0 ? `${days} day${days > 1 ? 's' : ''}, ${hms}` : hms;
}

/** Python's repr of a float (shortest round-trip digits, `1.0`, `1e-05`). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const ax = Math.abs(x);
  if (ax >= 1e-4 && ax < 1e16) {
    const s = String(x);
    if (!s.includes('e')) return s.includes('.') ? s : `${s}.0`;
  }
  // Exponent form: JS "1.5e-7" → Python "1.5e-07".
  const [mant, exp] = x.toExponential().split('e');
  const e = Number(exp);
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Python `'%f'`-style fixed formatting with a minimum width (`{:7.5f}`). */
export const fmt = (x: number, digits: number, width = 0) => x.toFixed(digits).padStart(width);

export interface LoggerOptions {
  /** Where lines go (default process.stdout). */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Force colours on/off (default: the colour policy for `out`: a terminal, NO_COLOR, FORCE_COLOR). */
  colour?: boolean;
  /** Progress bar on stderr (default: iff stderr is a terminal). */
  progress?: boolean;
  /** JSONL metrics file (chain records). */
  metricsFile?: string;
  /** Start the metrics file empty (a new run) instead of appending (a resumed one). */
  freshMetrics?: boolean;
  /** Environment holding TIPC_RECORDS and the colour variables (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export class TrainLogger {
  readonly colour: boolean;
  private readonly out: NodeJS.WritableStream;
  private readonly progressOn: boolean;
  private barShown = false;
  private readonly records: RecordWriter;

  constructor(opts: LoggerOptions = {}) {
    const out = opts.out ?? process.stdout;
    this.out = out;
    const env = opts.env ?? process.env;
    this.colour = opts.colour ?? colorFor(out, env);
    this.progressOn = opts.progress ?? canRedraw(process.stderr, env);
    this.records = new RecordWriter(opts.metricsFile ? [opts.metricsFile] : [], opts.env, {
      truncate: opts.freshMetrics,
    });
  }

  paint(text: string, colour: keyof typeof COLOURS): string {
    return paint(text, COLOURS[colour], this.colour);
  }

  info(message: string): void {
    this.clearBar();
    this.out.write(`${timePrefix()}${message}\n`);
  }

  warn(message: string): void {
    this.info(`WARNING: ${message}`);
  }

  /** One chain record (validated) per line in the metrics file and the driver's records file. */
  record<K extends RecordKind>(kind: K, body: RecordBody<K>): RecordOf<K> {
    return this.records.write(kind, body);
  }

  /** `\r`-redrawn bar on stderr (TTY only). */
  progress(label: string, done: number, total: number): void {
    if (!this.progressOn || total <= 0) return;
    const width = 30;
    const filled = Math.round((width * Math.min(done, total)) / total);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    this.barShown = true;
  }

  clearBar(): void {
    if (this.barShown) {
      process.stderr.write(CLEAR_LINE);
      this.barShown = false;
    }
  }

  /** Train/val batch line (training.md §7). `lr` and `eta` only for train. */
  batchLine(f: {
    epoch: number;
    epochs: number;
    mode: 'train' | 'val';
    step: number;
    loss: number;
    lr?: number;
    top1: number;
    top5: number;
    batchCost: number;
    readerCost: number;
    batchSize: number;
    etaSec?: number;
  }): string {
    const epochStr = `epoch:[${String(f.epoch).padStart(3)}/${String(f.epochs).padEnd(3)}]`;
    const stepStr = `${f.mode} step:${String(f.step).padEnd(4)}`;
    const metrics = [
      `loss: ${fmt(f.loss, 5, 7)}`,
      ...(f.lr !== undefined ? [`lr: ${fmt(f.lr, 6)}`] : []),
      `top1: ${fmt(f.top1, 5)}`,
      `top5: ${fmt(f.top5, 5)}`,
    ].join(' ');
    const ips = `ips: ${fmt(f.batchSize / Math.max(f.batchCost, 1e-9), 5)} instance/sec${f.mode === 'train' ? ',' : '.'}`;
    const eta = f.etaSec !== undefined ? `eta: ${formatTimedelta(f.etaSec)}` : '';
    return [
      f.step === 0 ? this.paint(epochStr, 'HEADER') : epochStr,
      this.paint(stepStr, 'PURPLE'),
      this.paint(metrics, 'OKGREEN'),
      this.paint(`batch_cost: ${fmt(f.batchCost, 5)} sec,`, 'OKGREEN'),
      this.paint(`reader_cost: ${fmt(f.readerCost, 5)} sec,`, 'OKGREEN'),
      ips,
      eta,
    ]
      .join(' ')
      .trimEnd();
  }

  /** `END epoch` line with real means (upstream printed the last batch's costs). */
  epochLine(f: {
    epoch: number;
    mode: 'train' | 'val';
    lossAvg: number;
    top1Avg: number;
    top5Avg: number;
    avgBatchCost: number;
    avgReaderCost: number;
    batchCostSum: number;
    avgIps: number;
  }): string {
    // The empty slot after loss_avg is the LR meter, which has no average (upstream double space).
    const metrics = `loss_avg: ${fmt(f.lossAvg, 5, 7)}  top1_avg: ${fmt(f.top1Avg, 5)} top5_avg: ${fmt(f.top5Avg, 5)}`;
    return [
      this.paint(`END epoch:${String(f.epoch).padEnd(3)}`, 'RED'),
      this.paint(f.mode, 'PURPLE'),
      this.paint(metrics, 'OKGREEN'),
      this.paint(`avg_batch_cost: ${fmt(f.avgBatchCost, 5)} sec,`, 'OKGREEN'),
      this.paint(`avg_reader_cost: ${fmt(f.avgReaderCost, 5)} sec,`, 'OKGREEN'),
      this.paint(`batch_cost_sum: ${fmt(f.batchCostSum, 5)} sec,`, 'OKGREEN'),
      `avg_ips: ${fmt(f.avgIps, 5)} instance/sec.`,
    ].join(' ');
  }

  close(): void {
    this.clearBar();
    this.records.close();
  }
}

/** Current and peak resident set size in MB (peak from /proc on Linux, else the sampled max). */
let sampledPeak = 0;
export function memoryMb(): { rss: number; peak: number } {
  const rss = process.memoryUsage().rss / 2 ** 20;
  sampledPeak = Math.max(sampledPeak, rss);
  let peak = sampledPeak;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) peak = Math.max(peak, Number(m[1]) / 1024);
  } catch {
    // not Linux
  }
  return { rss, peak };
}
