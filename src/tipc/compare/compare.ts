// `ctrgcn tipc compare`: the contest's comparison table, measured on this machine. Every variant (a
// TIPC config dir) runs its chain (train-lite → export → infer, with our extra steps: fp16/int8
// exports, ONNX accuracy, latency benchmark beside the CTRGCN reference) or reuses the report of one
// that already ran; parameters and MACs come from the variant's own summary command. Ratios are to
// CTRGCN. Latency: always to the CTRGCN reference the variant's own chain timed in the same run (the
// baseline row was timed in another run, minutes apart, on a machine whose speed drifts); params,
// GMACs, sizes and top-1: to the baseline row when it is in the table, else the size to the
// same-run reference export. Published figures (spec inference.md §7–8) are shown in their own
// columns, never mixed with measured ones.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { table } from 'table';
import type { Precision, Published } from '../../contracts/index.js';
import { CodedError } from '../../util/errors.js';
import { checkSchema, loadSchemaFile } from '../../util/schema.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { runChain, type ChainOptions } from '../run/index.js';
import { loadGates } from '../params/index.js';
import { loadParams } from '../params/index.js';
import { slot } from '../params/index.js';
import { prepare } from '../run/index.js';
import { readReport, reportDir, type Report } from '../report/index.js';
import { shellSplit } from '../params/index.js';
import { toMiB } from './size-units.js';

export const COMPARE_SCHEMA_URL = new URL('../../../reports/schema/compare.schema.json', import.meta.url);

/**
 * What the package says about its variants (the model registry's, handed over by the command layer:
 * the driver imports no model code): the config dirs it knows, the baseline every ratio is taken
 * against, and the published figures of each.
 */
export interface VariantCatalog {
  known: string[];
  base: string;
  published: Record<string, Published>;
}

export interface Measured {
  value: number;
  /** value / CTRGCN's, or null when there is nothing to divide by. */
  ratio: number | null;
}

export interface SizeCell extends Measured {
  bytes: number;
  files: Record<string, number>;
}

export interface LatencyCell {
  p50: Measured;
  p90: Measured;
  p50Ci: [number, number];
  p90Ci: [number, number];
  threads: number | null;
  batches: number;
}

export interface CompareRow {
  variant: string;
  model: string;
  status: 'pass' | 'fail';
  report: string;
  reused: boolean;
  params: Measured | null;
  gmacs: Measured | null;
  size: Partial<Record<Precision, SizeCell>>;
  /** Top-1 of the exported fp32 model (onnxruntime) on the run's validation set. */
  top1: Measured | null;
  top1Samples: number | null;
  cpu: LatencyCell | null;
  gpu: LatencyCell | null;
  published: Published | null;
}

export interface CompareTable {
  format: 'tipc-compare/1';
  mode: string;
  createdAt: string;
  machine: { cpu: string; cpus: number; gpu: boolean };
  base: string;
  ratioNote: string;
  rows: CompareRow[];
}

export interface CompareOptions {
  /** Folder holding the config dirs (default test_tipc/configs). */
  configs: string;
  variants: string[];
  catalog: VariantCatalog;
  mode: string;
  root: string;
  /** Use an existing report of a variant instead of running its chain. */
  reuse?: boolean;
  /** Passed to every chain run. */
  chain?: Partial<ChainOptions>;
  /** Prepare the lite data before a lite chain (default true). */
  prepare?: boolean;
  out?: (line: string) => void;
  /** Runs a command and returns its stdout (tests replace it). */
  exec?: (argv: string[], cwd: string) => Promise<string>;
}

async function defaultExec(argv: string[], cwd: string): Promise<string> {
  const r = await execa(argv[0], argv.slice(1), { cwd, reject: false });
  if (r.exitCode !== 0)
    throw new CodedError(
      'E_COMPARE_FAILED',
      `${argv.join(' ')} failed (exit ${r.exitCode}): ${String(r.stderr).trim().split('\n').slice(-3).join(' ')}`,
    );
  return String(r.stdout);
}

interface SummaryJson {
  trainable: number;
  macsPerSample: number;
}

function parseSummary(text: string, where: string): SummaryJson {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new CodedError(
      'E_COMPARE_FAILED',
      `${where}: the summary command did not print JSON (${(e as Error).message})`,
    );
  }
  const s = o as Partial<SummaryJson>;
  if (typeof s.trainable !== 'number' || typeof s.macsPerSample !== 'number')
    throw new CodedError(
      'E_COMPARE_FAILED',
      `${where}: the summary JSON has no numeric "trainable" and "macsPerSample"`,
    );
  return { trainable: s.trainable, macsPerSample: s.macsPerSample };
}

const ratioOf = (v: number, base: number | null | undefined) => (base ? Number((v / base).toFixed(4)) : null);

/** The config dirs of the variants, all checked before anything runs. */
export function variantParams(
  configs: string,
  variants: readonly string[],
  root: string,
  known: readonly string[] = [],
): Map<string, string> {
  const out = new Map<string, string>();
  const missing: string[] = [];
  for (const v of variants) {
    const p = path.join(configs, v, 'train_infer_python.txt');
    if (existsSync(path.resolve(root, p))) out.set(v, p);
    else missing.push(`${v} (${p})`);
  }
  if (missing.length)
    throw new CodedError(
      'E_COMPARE_CONFIG',
      `listed variant config(s) missing: ${missing.join(', ')}; add them or choose variants with --variants${known.length ? ` (known: ${known.join(', ')})` : ''}`,
    );
  return out;
}

export async function compareVariants(o: CompareOptions): Promise<CompareTable> {
  const out = o.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const exec = o.exec ?? defaultExec;
  const params = variantParams(o.configs, o.variants, o.root, o.catalog.known);
  const raw: Array<{
    variant: string;
    report: Report;
    reportPath: string;
    reused: boolean;
    summary: SummaryJson | null;
  }> = [];
  for (const [variant, file] of params) {
    const loaded = loadParams(path.resolve(o.root, file));
    const model = slot(loaded.params, 'model_name').value || variant;
    const existing = path.join(reportDir(o.root, model, o.mode), 'report.json');
    let report: Report;
    let reused = false;
    if (o.reuse && existsSync(existing)) {
      report = readReport(existing);
      reused = true;
      out(`[compare] ${variant}: reusing ${path.relative(o.root, existing)} (${report.status})`);
    } else {
      out(`[compare] ${variant}: running ${o.mode} of ${file}`);
      if (o.prepare !== false && o.mode.startsWith('lite_train'))
        await prepare(loaded.params, o.mode, { root: o.root, out });
      const r = await runChain({
        ...o.chain,
        params: path.isAbsolute(o.root) && o.root !== process.cwd() ? path.resolve(o.root, file) : file,
        mode: o.mode,
        root: o.root,
        out: o.chain?.out ?? out,
      });
      report = r.report;
      out(`[compare] ${variant}: ${r.report.status} (${path.relative(o.root, r.jsonPath)})`);
    }
    const { chain } = loadGates(path.resolve(o.root, file), { gates: loaded.gates, chain: loaded.chain });
    let summary: SummaryJson | null = null;
    if (chain.summary) {
      const argv = [slot(loaded.params, 'python').value || 'node', ...shellSplit(chain.summary).argv];
      summary = parseSummary(await exec(argv, o.root), `${variant}: ${argv.join(' ')}`);
    }
    raw.push({ variant, report, reportPath: path.relative(o.root, existing), reused, summary });
  }

  const pick = (r: Report) => {
    const M = r.measurements;
    const sizes = M.sizes.filter((s) => s.role !== 'reference');
    const unit = sizes.find((s) => s.role === 'driver')?.unit ?? M.accuracy[0]?.unit;
    const acc = M.accuracy.find((a) => a.unit === unit && a.model === 'fp32');
    const lat = (device: 'cpu' | 'gpu', target: 'trained' | 'reference') =>
      M.latency.find((l) => l.device === device && l.target === target && (target === 'reference' || l.unit === unit));
    return {
      sizes: Object.fromEntries(sizes.filter((s) => s.unit === unit).map((s) => [s.precision, s])) as Partial<
        Record<Precision, (typeof sizes)[number]>
      >,
      refSize: M.sizes.find((s) => s.role === 'reference'),
      acc,
      cpu: lat('cpu', 'trained'),
      gpu: lat('gpu', 'trained'),
      refCpu: lat('cpu', 'reference'),
      refGpu: lat('gpu', 'reference'),
    };
  };
  const BASE_VARIANT = o.catalog.base;
  const baseRaw = raw.find((x) => x.variant === BASE_VARIANT);
  const basePick = baseRaw ? pick(baseRaw.report) : undefined;
  const rows: CompareRow[] = raw.map((x) => {
    const p = pick(x.report);
    // Latency ratios only within one run: this chain's model over the reference it timed beside it.
    const lat = (l: typeof p.cpu, ref: typeof p.refCpu): LatencyCell | null =>
      l
        ? {
            p50: { value: l.p50, ratio: ratioOf(l.p50, ref?.p50) },
            p90: { value: l.p90, ratio: ratioOf(l.p90, ref?.p90) },
            p50Ci: l.p50Ci,
            p90Ci: l.p90Ci,
            threads: l.threads,
            batches: l.batches,
          }
        : null;
    const size: CompareRow['size'] = {};
    for (const prec of ['fp32', 'fp16', 'int8'] as const) {
      const s = p.sizes[prec];
      if (!s) continue;
      const base = basePick?.sizes[prec]?.totalBytes ?? (prec === 'fp32' ? p.refSize?.totalBytes : undefined);
      size[prec] = {
        value: Number(toMiB(s.totalBytes).toFixed(3)),
        bytes: s.totalBytes,
        files: s.files,
        ratio: ratioOf(s.totalBytes, base),
      };
    }
    return {
      variant: x.variant,
      model: x.report.model,
      status: x.report.status,
      report: x.reportPath,
      reused: x.reused,
      params: x.summary
        ? { value: x.summary.trainable, ratio: ratioOf(x.summary.trainable, baseRaw?.summary?.trainable) }
        : null,
      gmacs: x.summary
        ? {
            value: Number((x.summary.macsPerSample / 1e9).toFixed(4)),
            ratio: ratioOf(x.summary.macsPerSample, baseRaw?.summary?.macsPerSample),
          }
        : null,
      size,
      top1: p.acc ? { value: p.acc.top1, ratio: ratioOf(p.acc.top1, basePick?.acc?.top1) } : null,
      top1Samples: p.acc?.samples ?? null,
      cpu: lat(p.cpu, p.refCpu),
      gpu: lat(p.gpu, p.refGpu),
      published: o.catalog.published[x.variant] ?? null,
    };
  });
  const env = raw[0]?.report.environment;
  return {
    format: 'tipc-compare/1',
    mode: o.mode,
    createdAt: new Date().toISOString(),
    machine: { cpu: env?.cpu ?? 'unknown', cpus: env?.cpus ?? 0, gpu: env?.gpu.available ?? false },
    base: BASE_VARIANT,
    ratioNote: baseRaw
      ? `latency ratios are to the CTRGCN reference each chain times in the same run; params, GMACs, sizes and top-1 ratios to the ${BASE_VARIANT} row`
      : `no ${BASE_VARIANT} row: latency and size ratios are to the CTRGCN reference each chain exports and times in the same run; params, GMACs and top-1 have no ratio`,
    rows,
  };
}

export function validateCompare(t: unknown): { valid: boolean; errors: string[] } {
  return checkSchema(loadSchemaFile(COMPARE_SCHEMA_URL), t);
}

export function writeCompareJson(file: string, t: CompareTable): void {
  const { valid, errors } = validateCompare(t);
  if (!valid)
    throw new CodedError(
      'E_COMPARE_FAILED',
      `compare table does not match ${COMPARE_SCHEMA_URL.pathname}: ${errors.join('; ')}`,
    );
  writeFileAtomic(file, JSON.stringify(t, null, 2) + '\n');
}

// ---- rendering -------------------------------------------------------------------------------

const f = (x: number, d: number) => x.toFixed(d);
const withRatio = (m: Measured | null | undefined, d: number, sep: string) =>
  m ? `${f(m.value, d)}${m.ratio === null ? '' : `${sep}×${f(m.ratio, 2)}`}` : '—';
const pctCell = (m: Measured | null, sep: string) =>
  m ? `${f(m.value * 100, 2)}${m.ratio === null ? '' : `${sep}×${f(m.ratio, 3)}`}` : '—';
const latCell = (l: LatencyCell | null, sep: string) =>
  l ? `${f(l.p50.value, 1)} / ${f(l.p90.value, 1)}${l.p50.ratio === null ? '' : `${sep}×${f(l.p50.ratio, 2)}`}` : '—';

/** Greedy word wrap to `width` columns. */
function wrap(text: string, width: number): string {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out.join('\n');
}

/** Terminal table: ratios under each value; ≤ `width` columns (default 100). */
export function renderTerminal(t: CompareTable, o: { published?: boolean; width?: number } = {}): string {
  const gpu = t.rows.some((r) => r.gpu);
  const head = [
    'variant',
    'params M',
    'GMACs',
    'size MiB',
    'top-1 %',
    gpu ? 'CPU | GPU ms\np50 / p90' : 'CPU ms\np50 / p90',
  ];
  const sizeCell = (r: CompareRow) =>
    (['fp32', 'fp16', 'int8'] as const)
      .filter((p) => r.size[p])
      .map((p) => `${p} ${f(r.size[p]!.value, 2)}${r.size[p]!.ratio === null ? '' : ` ×${f(r.size[p]!.ratio, 2)}`}`)
      .join('\n') || '—';
  const rows = t.rows.map((r) => [
    `${r.variant}${r.status === 'pass' ? '' : '\n(chain failed)'}`,
    r.params ? withRatio({ value: r.params.value / 1e6, ratio: r.params.ratio }, 3, '\n') : '—',
    withRatio(r.gmacs, 3, '\n'),
    sizeCell(r),
    pctCell(r.top1, '\n'),
    latCell(r.cpu, '\n') + (gpu ? `\nGPU ${latCell(r.gpu, '\n')}` : ''),
  ]);
  const width = o.width ?? 100;
  // content widths of the columns after the first; the first takes what is left (12–22)
  const fixed = [10, 10, 16, 10, 16];
  const first = Math.max(12, Math.min(22, width - (3 * head.length + 1) - fixed.reduce((a, b) => a + b, 0)));
  const widths = [first, ...fixed];
  const main = table([head, ...rows], {
    columns: Object.fromEntries(widths.map((w, i) => [i, { width: w, wrapWord: true }])),
  });
  const split = table(
    [
      ['variant', 'precision', 'files (bytes)', 'total'],
      ...t.rows.flatMap((r) =>
        (['fp32', 'fp16', 'int8'] as const)
          .filter((p) => r.size[p])
          .map((p) => [
            r.variant,
            p,
            Object.entries(r.size[p]!.files)
              .map(([k, v]) => `${k} ${v}`)
              .join(', '),
            String(r.size[p]!.bytes),
          ]),
      ),
    ],
    {
      columns: {
        0: { width: Math.min(22, first) },
        1: { width: 9 },
        2: { width: Math.max(20, width - Math.min(22, first) - 9 - 12 - 13) },
        3: { width: 12 },
      },
    },
  );
  let pub = '';
  if (o.published) {
    pub =
      'Published (Paddle Inference, V100 notebook machine; not measured here):\n' +
      table(
        [
          ['variant', 'top-1 %', 'size MiB', 'CPU ms', 'GPU ms', 'source'],
          ...t.rows.map((r) =>
            r.published
              ? [
                  r.variant,
                  f(r.published.top1, 3),
                  r.published.sizeMiB === null ? '—' : f(r.published.sizeMiB, 1),
                  f(r.published.cpuMs, 1),
                  f(r.published.gpuMs, 1),
                  r.published.source,
                ]
              : [r.variant, '—', '—', '—', '—', '—'],
          ),
        ],
        {
          columns: {
            0: { width: Math.min(22, first) },
            5: { width: Math.max(10, width - Math.min(22, first) - 4 * 11 - 19) },
          },
        },
      );
  }
  const notes = [
    `Measured on ${t.machine.cpu} × ${t.machine.cpus}, mode ${t.mode}; top-1 of the exported fp32 ONNX on the run's validation set; latency p50 / p90 of the benchmark (batch 1, ${t.rows.find((r) => r.cpu)?.cpu?.threads ?? '?'} thread(s)).`,
    `× = ratio to CTRGCN: ${t.ratioNote}.`,
  ];
  return `${main}Inference-model files:\n${split}${pub ? wrap(pub.split('\n')[0], width) + '\n' + pub.split('\n').slice(1).join('\n') : ''}${notes.map((n) => wrap(n, width)).join('\n')}\n`;
}

export function renderMarkdown(t: CompareTable, o: { published?: boolean } = {}): string {
  const gpu = t.rows.some((r) => r.gpu);
  const cols = [
    'variant',
    'params (M)',
    'GMACs',
    'size fp32 (MiB)',
    'size fp16 (MiB)',
    'size int8 (MiB)',
    'files fp32 (B)',
    'top-1 (%)',
    'CPU p50 / p90 (ms)',
    ...(gpu ? ['GPU p50 / p90 (ms)'] : []),
    ...(o.published
      ? ['top-1 (%, published)', 'size (MiB, published)', 'CPU (ms, published)', 'GPU (ms, published)']
      : []),
  ];
  const cell = (r: CompareRow): string[] => [
    `${r.variant}${r.status === 'pass' ? '' : ' (chain failed)'}`,
    r.params ? withRatio({ value: r.params.value / 1e6, ratio: r.params.ratio }, 3, ' ') : '—',
    withRatio(r.gmacs, 3, ' '),
    withRatio(r.size.fp32, 2, ' '),
    withRatio(r.size.fp16, 2, ' '),
    withRatio(r.size.int8, 2, ' '),
    r.size.fp32
      ? Object.entries(r.size.fp32.files)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : '—',
    pctCell(r.top1, ' '),
    latCell(r.cpu, ' '),
    ...(gpu ? [latCell(r.gpu, ' ')] : []),
    ...(o.published
      ? r.published
        ? [
            f(r.published.top1, 3),
            r.published.sizeMiB === null ? '—' : f(r.published.sizeMiB, 1),
            f(r.published.cpuMs, 1),
            f(r.published.gpuMs, 1),
          ]
        : ['—', '—', '—', '—']
      : []),
  ];
  const lines = [
    `| ${cols.join(' | ')} |`,
    `| ${cols.map(() => '---').join(' | ')} |`,
    ...t.rows.map((r) => `| ${cell(r).join(' | ')} |`),
    '',
    `Measured on ${t.machine.cpu} × ${t.machine.cpus} (${t.mode}); × = ratio to CTRGCN (${t.ratioNote}).` +
      (o.published
        ? ' Published columns: Paddle Inference on a V100 notebook machine, as published; not measured here.'
        : ''),
  ];
  return lines.join('\n') + '\n';
}
