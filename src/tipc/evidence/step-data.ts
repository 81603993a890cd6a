// What each step left behind, for the gates: its chain records (TIPC_RECORDS file, parsed and
// validated by src/contracts) and, only for a step that wrote no records file (a PaddleVideo tool),
// its log text for the PaddleVideo parsers. Nothing here guesses: a records file with a bad line is a
// problem the `records` gate reports.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readRecordsFile, recordsOf, type ChainRecord, type RecordKind, type RecordOf } from '../../contracts/index.js';
import { parseLogForKeys } from './gt-results.js';
import { parseEvalLog, parseLatencyLog, parsePredictLog } from './paddlevideo-logs.js';
import type { StepResult } from '../plan/index.js';

export interface StepData {
  step: StepResult;
  /** null: the command wrote no records file. */
  records: ChainRecord[] | null;
  problems: string[];
  /** Log text, read only when there are no records. */
  text: string | null;
}

export class ChainData {
  readonly byId = new Map<number, StepData>();

  constructor(
    readonly results: readonly StepResult[],
    readonly cwd: string,
    readonly recordsRequired: boolean,
  ) {
    for (const r of results) {
      if (r.status !== 'pass') {
        this.byId.set(r.id, { step: r, records: null, problems: [], text: null });
        continue;
      }
      const parsed = readRecordsFile(path.resolve(cwd, r.records));
      let text: string | null = null;
      // The logits step's output is its .npy, not records.
      const required = recordsRequired && r.role !== 'golden-logits';
      if (!parsed && !required)
        try {
          text = readFileSync(path.resolve(cwd, r.stdout), 'utf8');
        } catch {
          text = null;
        }
      this.byId.set(r.id, {
        step: r,
        records: parsed ? parsed.records : null,
        problems: parsed
          ? parsed.problems
          : required
            ? [`${r.name} wrote no records file ${r.records} (chain.records: required)`]
            : [],
        text,
      });
    }
  }

  get(id: number): StepData | undefined {
    return this.byId.get(id);
  }

  records<K extends RecordKind>(id: number, kind: K): RecordOf<K>[] {
    const d = this.byId.get(id);
    return d?.records ? recordsOf(d.records, kind) : [];
  }

  last<K extends RecordKind>(id: number, kind: K): RecordOf<K> | undefined {
    return this.records(id, kind).at(-1);
  }

  problems(): string[] {
    return [...this.byId.values()].flatMap((d) => d.problems);
  }

  /** Top-1 of the last input a predict step printed: its `predict` record, else PaddleVideo's text. */
  top1(id: number): { class: number; score: number; source: 'records' | 'paddlevideo-log' } | undefined {
    const d = this.byId.get(id);
    if (!d) return undefined;
    if (d.records) {
      const r = this.last(id, 'predict')?.results.at(-1);
      return r ? { class: r.classes[0], score: r.scores[0], source: 'records' } : undefined;
    }
    if (d.text === null) return undefined;
    const b = parsePredictLog(d.text).at(-1);
    return b && b.classes[0] !== undefined && b.scores[0] !== undefined
      ? { class: b.classes[0], score: b.scores[0], source: 'paddlevideo-log' }
      : undefined;
  }

  /**
   * `top-<j> class|score` → value for compare_results: from the `predict` record (last input), else
   * PaddleVideo's text with compare_results.py's own rule (last matching line wins).
   */
  predictKeys(id: number, keys: Iterable<string>): Map<string, number> {
    const out = new Map<string, number>();
    const d = this.byId.get(id);
    if (d?.records) {
      const r = this.last(id, 'predict')?.results.at(-1);
      r?.classes.forEach((c, j) => {
        out.set(`top-${j + 1} class`, c);
        out.set(`top-${j + 1} score`, r.scores[j]);
      });
      return out;
    }
    return d?.text ? parseLogForKeys(d.text, keys) : out;
  }

  /** Eval accuracy: the `eval` record, else PaddleVideo's `[TEST] finished` line. */
  evalOf(
    id: number,
  ): { top1: number; top5: number; record?: RecordOf<'eval'>; source: 'records' | 'paddlevideo-log' } | undefined {
    const d = this.byId.get(id);
    if (!d) return undefined;
    if (d.records) {
      const r = this.last(id, 'eval');
      return r ? { top1: r.top1, top5: r.top5, record: r, source: 'records' } : undefined;
    }
    const e = d.text === null ? null : parseEvalLog(d.text);
    return e ? { ...e, source: 'paddlevideo-log' } : undefined;
  }

  /** Mean inference ms per batch (auto_log's figure): the `latency` record, else PaddleVideo's auto_log text. */
  latencyOf(
    id: number,
  ): { record?: RecordOf<'latency'>; inferenceMs?: number; source: 'records' | 'paddlevideo-log' } | undefined {
    const d = this.byId.get(id);
    if (!d) return undefined;
    if (d.records) {
      const r = this.last(id, 'latency');
      return r ? { record: r, inferenceMs: r.inference_ms.mean, source: 'records' } : undefined;
    }
    const a = d.text === null ? null : parseLatencyLog(d.text);
    return a ? { inferenceMs: a.inferenceMs, source: 'paddlevideo-log' } : undefined;
  }
}
