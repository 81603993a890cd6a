// `ctrgcn tipc compare`: run every variant's lite chain and print the contest's comparison table.
import path from 'node:path';
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { LIVE_FLAG, useLiveView } from './live-flag.js';
import { renderCompareHtml } from '../tipc/compare/index.js';
import {
  compareVariants,
  renderMarkdown,
  renderTerminal,
  writeCompareJson,
  type VariantCatalog,
} from '../tipc/compare/index.js';
import { backbones, baselineBackbone } from '../model/registry.js';

/** The registry's variants with a TIPC config: their dirs, the baseline's, their published figures. */
export function registryCatalog(): VariantCatalog {
  const withConfig = backbones().filter((b) => b.tipc);
  const base = baselineBackbone()?.tipc?.config;
  if (!base) throw new UsageError('no registered backbone is the comparison baseline with a TIPC config');
  return {
    known: withConfig.map((b) => b.tipc!.config),
    base,
    published: Object.fromEntries(
      withConfig.flatMap((b) => (b.tipc!.published ? [[b.tipc!.config, b.tipc!.published]] : [])),
    ),
  };
}

export const spec: CommandSpec = {
  usage:
    '[--variants A,B,…] [--configs DIR] [--mode MODE] [--reuse] [--no-prepare] [--published] [--json OUT] [--md OUT] [--html OUT] [--width N]',
  description:
    "Runs each variant's TIPC chain (train-lite → export fp32/fp16/int8 → ONNX accuracy → latency benchmark beside the CTRGCN reference) " +
    'and prints the contest table measured on this machine: parameters, GMACs, inference-model size (fp32/fp16/int8, per-file split), top-1 ' +
    'of the exported model, CPU (and GPU where present) latency p50/p90, each with its ratio to CTRGCN. With real NTU data at the paths the ' +
    'params files name (`ctrgcn data ntu --raw … --out test_tipc/data/ntu-lite`), --no-prepare measures on it. ' +
    "Exit 1 if a variant's chain failed.",
  flags: [
    {
      name: 'variants',
      default: registryCatalog().known.join(','),
      help: 'comma-separated TIPC config dir names (default: every registered backbone with one)',
    },
    { name: 'configs', default: 'test_tipc/configs', help: 'folder holding the config dirs' },
    { name: 'mode', default: 'lite_train_lite_infer', help: 'TIPC mode of every chain' },
    {
      name: 'reuse',
      type: 'switch',
      help: 'use an existing reports/<model>/<mode>/report.json instead of running that chain',
    },
    {
      name: 'no-prepare',
      type: 'switch',
      help: 'do not build the synthetic lite data first (the params files point at real NTU arrays)',
    },
    {
      name: 'published',
      type: 'switch',
      help: 'add the published figures (spec inference.md §7–8) in their own columns (and, with --html, as hollow markers on the trade-off charts)',
    },
    { name: 'json', help: 'write the table as JSON (schema reports/schema/compare.schema.json)' },
    { name: 'md', help: 'write the table as Markdown' },
    {
      name: 'html',
      help: 'write a self-contained HTML page: top-1 against size and against latency (Pareto front), the table, one chart per figure',
    },
    { name: 'width', type: 'int', default: 100, help: 'terminal table width in columns' },
    { name: 'timeout', type: 'int', help: 'per-step timeout in seconds of every chain' },
    LIVE_FLAG,
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const variants = String(flags.variants)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!variants.length) throw new UsageError('--variants names no variant');
  const width = flags.width as number;
  if (width < 60) throw new UsageError('--width must be ≥ 60');
  useLiveView(flags);
  const t = await compareVariants({
    configs: String(flags.configs),
    variants,
    catalog: registryCatalog(),
    mode: String(flags.mode),
    root: process.cwd(),
    reuse: !!flags.reuse,
    prepare: !flags['no-prepare'],
    chain: typeof flags.timeout === 'number' ? { timeoutSec: flags.timeout } : {},
  });
  const published = !!flags.published;
  process.stdout.write('\n' + renderTerminal(t, { published, width }));
  if (typeof flags.json === 'string') {
    writeCompareJson(flags.json, t);
    process.stdout.write(`json: ${flags.json}\n`);
  }
  if (typeof flags.md === 'string') {
    writeFileAtomic(flags.md, renderMarkdown(t, { published }));
    process.stdout.write(`markdown: ${flags.md}\n`);
  }
  if (typeof flags.html === 'string') {
    writeFileAtomic(flags.html, renderCompareHtml(t, { published, pageDir: path.dirname(flags.html) }));
    process.stdout.write(`html: ${flags.html}\n`);
  }
  return t.rows.every((r) => r.status === 'pass') ? 0 : 1;
}
