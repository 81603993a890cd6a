// Reading PaddleVideo's own logs, for when the driver runs PaddleVideo (whose tools write no chain
// records): eval's final `[TEST] finished, avg_acc1= …` line, predict's `Current video file:` /
// `top-k class|score` blocks and the auto_log latency report. This package's commands are read from
// their typed records (src/contracts) instead; the gates use these parsers only for a step that
// wrote no records file, and say so.
import { stripAnsi } from '../../util/color.js';

export interface EvalResult {
  top1: number;
  top5: number;
}

/** `[TEST] finished, avg_acc1= <float>, avg_acc5= <float>` (the last one in the log wins). */
export function parseEvalLog(text: string): EvalResult | null {
  const re = /\[TEST\] finished, avg_acc1=\s*([-+0-9.eE]+|nan|inf),\s*avg_acc5=\s*([-+0-9.eE]+|nan|inf)/g;
  let m: RegExpExecArray | null;
  let last: EvalResult | null = null;
  while ((m = re.exec(text))) last = { top1: Number(m[1]), top5: Number(m[2]) };
  return last;
}

export interface PredictBlock {
  file: string;
  /** rank (1-based) → class / score */
  classes: number[];
  scores: number[];
}

/** The stable predict print format (tipc.md §7). Array forms like `[58]` are accepted too. */
export function parsePredictLog(text: string): PredictBlock[] {
  const blocks: PredictBlock[] = [];
  let cur: PredictBlock | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = stripAnsi(raw);
    const f = /Current video file:\s*(.*)$/.exec(line);
    if (f) {
      cur = { file: f[1].trim(), classes: [], scores: [] };
      blocks.push(cur);
      continue;
    }
    const c = /top-(\d+) (class|score):\s*\[?\s*([-+0-9.eE]+)\s*\]?\s*$/.exec(line);
    if (c && cur) {
      const k = Number(c[1]) - 1;
      if (c[2] === 'class') cur.classes[k] = Number(c[3]);
      else cur.scores[k] = Number(c[3]);
    }
  }
  return blocks;
}

/** The figures auto_log prints (a subset of the package's latency record). */
export interface AutoLogFigures {
  preprocessMs?: number;
  inferenceMs?: number;
  postprocessMs?: number;
  totalS?: number;
  dataNum?: number;
  batchSize?: number;
  cpuRssMb?: number;
  precision?: string;
  device?: string;
}

/** auto_log lines: `[YYYY/MM/DD HH:MM:SS] root INFO:  key: value[, key: value…]`. */
export function parseLatencyLog(text: string): AutoLogFigures | null {
  const kv = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = stripAnsi(raw);
    const m = /\broot INFO:\s+(.*)$/.exec(line);
    if (!m) continue;
    for (const part of m[1].split(/,\s*/)) {
      const i = part.indexOf(': ');
      if (i > 0) kv.set(part.slice(0, i).trim(), part.slice(i + 2).trim());
    }
  }
  if (!kv.has('inference_time(ms)')) return null;
  const num = (k: string) => {
    const v = kv.get(k);
    if (v === undefined) return undefined;
    const n = Number.parseFloat(v);
    return Number.isFinite(n) ? n : undefined;
  };
  return {
    preprocessMs: num('preprocess_time(ms)'),
    inferenceMs: num('inference_time(ms)'),
    postprocessMs: num('postprocess_time(ms)'),
    totalS: num('total time spent(s)'),
    dataNum: num('data_num'),
    batchSize: num('batch_size'),
    cpuRssMb: num('cpu_rss(MB)'),
    precision: kv.get('precision'),
    device: kv.get('runtime_device'),
  };
}

export { stripAnsi };
