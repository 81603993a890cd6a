// `ctrgcn data synth`: write synthetic NTU-format .skeleton files.
import { parseArgs, type CommandSpec } from './args.js';
import { generateSynthNtu } from '../data/synth/generate.js';
import { UsageError } from './args.js';

export const spec: CommandSpec = {
  usage: '--out DIR --classes K --seed S [options]',
  description:
    'Writes synthetic NTU RGB+D .skeleton files (SsssCcccPpppRrrrAaaa names): K distinct actions (mutual ones as A050+) ' +
    'by several performers seen from several cameras, with sensor noise, dropped frames and noise bodies for the denoiser.',
  flags: [
    { name: 'out', help: 'output directory for the .skeleton files' },
    { name: 'classes', type: 'int', default: 10, help: 'number of action classes (1..60)' },
    { name: 'seed', type: 'int', default: 1234, help: 'random seed (same seed → identical files)' },
    {
      name: 'performers',
      type: 'int',
      default: 6,
      help: 'number of performers (IDs alternate between X-sub train and val)',
    },
    { name: 'cameras', type: 'int', default: 3, help: 'number of cameras (1..3)' },
    { name: 'replications', type: 'int', default: 2, help: 'replications per camera (1..2)' },
    { name: 'setups', type: 'int', default: 1, help: 'number of setups (1..17)' },
    { name: 'min-frames', type: 'int', default: 40, help: 'shortest clip in frames' },
    { name: 'max-frames', type: 'int', default: 150, help: 'longest clip in frames (≤ 300)' },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const out = flags.out as string | undefined;
  if (!out) throw new UsageError('--out DIR is required');
  const t0 = Date.now();
  const r = generateSynthNtu({
    out,
    classes: flags.classes as number,
    seed: flags.seed as number,
    performers: flags.performers as number,
    cameras: flags.cameras as number,
    replications: flags.replications as number,
    setups: flags.setups as number,
    minFrames: flags['min-frames'] as number,
    maxFrames: flags['max-frames'] as number,
  });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  const lines = [
    `wrote ${r.files} .skeleton files (${(r.bytes / 1e6).toFixed(1)} MB) to ${r.out} in ${s}s`,
    `  classes: ${r.actions.map((a, i) => `A${String(a).padStart(3, '0')} ${r.actionNames[i]}`).join(', ')}`,
    `  performers: ${r.performers.join(', ')}; cameras: ${r.cameras.join(', ')}; setups: ${r.setups.join(', ')}; replications: ${r.replications.join(', ')}`,
    `  noise: ${r.events.shortBodies} short bodies, ${r.events.spreadBodies} spread-noisy bodies, ${r.events.bystanders} bystanders, ` +
      `${r.events.idSwitches} body-ID switches, ${r.events.trackingGaps} tracking gaps, ${r.events.lateStarts} late starts, ${r.events.droppedFrames} dropped frames`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
