// Reports for the history tests: small valid run records carrying only the headline gates (size,
// exported top-1, latency ratio), and a way to give a real run record other figures and another time.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Gate } from '../gates/index.js';
import type { Report } from '../report/report.js';

export interface Figures {
  startedAt: string;
  /** null: the run has the gate but measured nothing; undefined: no gate at all. */
  size?: number | null;
  top1?: number | null;
  latency?: number | null;
}

const GATE = {
  size: { name: 'size', unit: 'B', threshold: 10_485_760 },
  top1: { name: 'accuracy', unit: 'top1', threshold: 0.8 },
  latency: { name: 'latency', unit: '× reference p50 (CI bound ratio)', threshold: 1.15 },
} as const;

function headlineGates(f: Figures): Gate[] {
  return (['size', 'top1', 'latency'] as const).flatMap((k) => {
    const v = f[k];
    if (v === undefined) return [];
    const g = GATE[k];
    return [{ ...g, value: v, status: v === null ? ('not-set' as const) : ('pass' as const) }];
  });
}

/** A valid report of `model` with the given figures (and any extra gates). */
export function historyReport(
  f: Figures & { model?: string; mode?: string; status?: Report['status']; gatesSource?: string; gates?: Gate[] },
): Report {
  const gates = [...headlineGates(f), ...(f.gates ?? [])];
  return {
    schemaVersion: 2,
    model: f.model ?? 'M',
    mode: 'lite_train_lite_infer',
    status: f.status ?? 'pass',
    params: 'test_tipc/configs/M/train_infer_python.txt',
    driver: 'head',
    startedAt: f.startedAt,
    durationMs: 1000,
    ...(f.gatesSource ? { gatesSource: f.gatesSource } : {}),
    strict: true,
    steps: [],
    gates,
    artifacts: [],
    measurements: { sizes: [], accuracy: [], latency: [], training: [], certified: [] },
    environment: {
      node: 'v20',
      platform: 'linux-x64',
      backends: [],
      cpu: 'cpu',
      cpus: 2,
      threads: 1,
      gpu: { available: false, reason: 'none' },
    },
    summary: {
      pass: 0,
      fail: 0,
      skipped: 0,
      timeout: 0,
      gatesPassed: gates.filter((g) => g.status === 'pass').length,
      gatesFailed: 0,
      gatesNotSet: gates.filter((g) => g.status === 'not-set').length,
    },
  };
}

/** A real run record moved to another time, its headline gates given other values. */
export function withFigures(r: Report, f: Figures): Report {
  const byName: Record<string, number | null | undefined> = { size: f.size, accuracy: f.top1, latency: f.latency };
  return {
    ...r,
    startedAt: f.startedAt,
    gates: r.gates.map((g) => (byName[g.name] !== undefined ? { ...g, value: byName[g.name]! } : g)),
  };
}

/** Writes `r` as `dir/rel` (folders made); returns the path. */
export function writeReportAt(dir: string, rel: string, r: Report): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}
