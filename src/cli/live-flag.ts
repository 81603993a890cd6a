// `--live`: what chain-driving commands show while a step runs (see src/tipc/live-view.ts).
import type { FlagSpec, ParsedFlags } from './args.js';
import { createLiveView, liveModeFor, setLiveView, type LiveMode } from '../tipc/run/index.js';

export const LIVE_FLAG: FlagSpec = {
  name: 'live',
  default: 'auto',
  choices: ['auto', 'tty', 'plain', 'off'],
  help: 'while a step runs: a redrawn status line with progress (tty; on a terminal only, plain lines elsewhere), timestamped lines every 30 s (plain), or nothing; auto = tty on a terminal unless CI is set, else plain',
};

/** Installs the live view the flag asks for (on stderr, so stdout stays the report). */
export function useLiveView(flags: ParsedFlags): void {
  const v = String(flags.live ?? 'auto');
  const mode: LiveMode = v === 'auto' ? liveModeFor(process.stderr) : (v as LiveMode);
  setLiveView(createLiveView({ mode, stream: process.stderr }));
}
