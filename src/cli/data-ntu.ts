// `ctrgcn data ntu`: NTU RGB+D .skeleton files → xsub/xview train/val .npy + _label.pkl.
import { parseArgs, UsageError, type CommandSpec } from './args.js';
import { prepareNtu, type NtuProgress, type NtuSummary } from '../data/ntu-pipeline.js';
import type { Benchmark } from '../data/splits.js';
import { canRedraw } from '../util/color.js';

export const spec: CommandSpec = {
  usage: '--raw DIR --out DIR [--benchmark xsub|xview|both] [--missing FILE]',
  description:
    'Parses NTU RGB+D .skeleton files, denoises and selects actors, centres and pads to 300 frames, and writes ' +
    '{xview,xsub}/{train,val}_data.npy (float32 N×3×300×25×2) and _label.pkl ([names |S20, labels int64]). ' +
    'Files with no body in any frame are skipped, as upstream statistics do, and listed with the --missing names in ' +
    'OUT/statistics/samples_with_missing_skeletons.txt (the converted names in OUT/statistics/skes_available_name.txt). ' +
    'Logs go to OUT/raw_data and OUT/denoised_data, a summary to OUT/summary.json. Nothing is left behind on error.',
  flags: [
    { name: 'raw', help: 'directory of <name>.skeleton files' },
    { name: 'out', help: 'output directory' },
    { name: 'benchmark', default: 'both', choices: ['xsub', 'xview', 'both'], help: 'xsub, xview or both' },
    {
      name: 'missing',
      help: 'file of more sample names to exclude (samples_with_missing_skeletons.txt); empty files are skipped without it',
    },
    { name: 'statistics', help: 'directory with skes_available_name.txt (sample order); default: sorted file names' },
    {
      name: 'actors-info',
      type: 'switch',
      help: 'also write denoised_data/actors_info/<name>.txt for multi-body samples',
    },
    { name: 'quiet', type: 'switch', help: 'no progress output' },
  ],
};

function progressPrinter(quiet: boolean): (p: NtuProgress) => void {
  if (quiet) return () => {};
  const tty = canRedraw(process.stderr);
  let lastLine = 0;
  let lastPhase = '';
  let lastPct = -1;
  return (p) => {
    const label = p.phase === 'denoise' ? 'parse+denoise' : `write ${p.detail ?? ''}`;
    const pct = Math.floor((100 * p.done) / p.total);
    if (tty) {
      const now = Date.now();
      if (p.done !== p.total && now - lastLine < 100 && p.phase === lastPhase) return;
      lastLine = now;
      const width = 30;
      const fill = Math.round((width * p.done) / p.total);
      process.stderr.write(
        `\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(pct).padStart(3)}% ${p.done}/${p.total} ${label}`.padEnd(
          100,
        ) + (p.done === p.total && p.phase === 'write' ? '\n' : ''),
      );
      lastPhase = p.phase;
      return;
    }
    // Plain lines every 10 % per phase.
    if (p.phase !== lastPhase) lastPct = -1;
    lastPhase = p.phase;
    const step = Math.floor(pct / 10) * 10;
    if (step > lastPct || p.done === p.total) {
      if (step === lastPct && p.done !== p.total) return;
      lastPct = step;
      process.stderr.write(`${p.phase === 'denoise' ? 'parse+denoise' : 'write'}: ${p.done}/${p.total} (${pct}%)\n`);
    }
  };
}

export function formatSummary(s: NtuSummary): string {
  const lines = [
    `NTU data: ${s.samples} samples from ${s.files} .skeleton files in ${s.raw} (${s.excludedByList} excluded by --missing, ${s.skippedEmpty} skipped: no body in any frame), ${s.seconds.toFixed(1)}s`,
    `  one body (case A): ${s.caseA}; several bodies (case B): ${s.caseB}; kept two actors: ${s.twoActorSamples}`,
    `  bodies removed: ${s.bodiesRemovedByLength} by length (≤ 11 frames), ${s.bodiesRemovedBySpread} by spread, ${s.bodiesRemovedByMotion} by motion (disabled)`,
    `  samples with dropped frames: ${s.framesDropSamples}; with removed missing frames: ${s.missingFrameSamples}`,
    `  denoising failures: ${s.denoisedFailed1} one-person actions with 2 actors, ${s.denoisedFailed2} two-person actions with 1 actor`,
    `  longest sequence: ${s.maxFrames} frames`,
  ];
  for (const [b, c] of Object.entries(s.splits))
    lines.push(`  ${b}: train ${c.train}, val ${c.val}${c.none ? `, in neither ${c.none}` : ''}`);
  lines.push(`  wrote ${s.outputs.map((o) => `${s.out}/${o}`).join(', ')}`);
  lines.push(`  logs: ${s.out}/raw_data, ${s.out}/denoised_data; summary: ${s.out}/summary.json`);
  lines.push(
    `  sample lists: ${s.out}/statistics/skes_available_name.txt, ${s.out}/statistics/samples_with_missing_skeletons.txt (${s.skippedEmpty + s.excludedByList} left out)`,
  );
  return lines.join('\n') + '\n';
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const raw = flags.raw as string | undefined;
  const out = flags.out as string | undefined;
  if (!raw) throw new UsageError('--raw DIR is required');
  if (!out) throw new UsageError('--out DIR is required');
  const b = String(flags.benchmark);
  const benchmarks: Benchmark[] = b === 'both' ? ['xview', 'xsub'] : [b as Benchmark];
  const summary = await prepareNtu({
    raw,
    out,
    benchmarks,
    missingFile: flags.missing as string | undefined,
    statisticsDir: flags.statistics as string | undefined,
    actorsInfo: flags['actors-info'] === true,
    onProgress: progressPrinter(flags.quiet === true),
  });
  process.stdout.write(formatSummary(summary));
  return 0;
}
