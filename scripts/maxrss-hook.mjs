// Preloaded with NODE_OPTIONS="--import=<this file>" by memory measurements: when the process
// exits, appends "<pid> <peak RSS in KiB>" to $CTRGCN_MAXRSS_FILE (children inherit NODE_OPTIONS,
// so a process tree reports every node process). process.resourceUsage().maxRSS is getrusage's.
import fs from 'node:fs';

const out = process.env.CTRGCN_MAXRSS_FILE;
if (out) {
  process.on('exit', () => {
    try {
      fs.appendFileSync(out, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      /* the measurement is best effort; the poller still has VmHWM */
    }
  });
}
