#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` / `npm run build`).
//
// Commands that load the native TensorFlow library run in a child process whose stderr passes
// through a filter: libtensorflow prints absl/oneDNN start-up banners on every load, whatever
// TF_CPP_MIN_LOG_LEVEL says, and they are noise in user-facing output. Everything else on stderr
// (errors, warnings, progress bars) passes unchanged. CTRGCN_RAW_STDERR=1 turns the filter off.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

process.env.TF_CPP_MIN_LOG_LEVEL ??= '3';
const self = fileURLToPath(import.meta.url);
const entry = path.join(path.dirname(self), '..', 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('ctrgcn: dist/ is missing; run `npm run build` first\n');
  process.exit(2);
}
const args = process.argv.slice(2);
// The command table says which commands load libtensorflow; it imports nothing, so this is cheap.
const { loadsNative } = await import(path.join(path.dirname(entry), 'commands.js'));
const native = loadsNative(args);

// A reader that stops early (`ctrgcn tipc plan … | head -1`) closes the pipe: stop quietly with
// status 0 (the reader has what it wanted) instead of an unhandled EPIPE stack trace.
const onBrokenPipe = (stop) => (err) => {
  if (err && err.code === 'EPIPE') stop();
  else throw err;
};

if (native && !process.env.CTRGCN_STDERR_FILTERED && process.env.CTRGCN_RAW_STDERR !== '1') {
  runFiltered();
} else {
  for (const s of [process.stdout, process.stderr])
    s.on(
      'error',
      onBrokenPipe(() => process.exit(0)),
    );
  const { main } = await import(entry);
  main(args).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`ctrgcn: ${err && err.stack ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

function runFiltered() {
  const WARN = 'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR';
  const INFO = /^I\d{4} [\d:.]+\s+\d+ \S+\.cc:\d+\] /;
  // The second line of cpu_feature_guard's message.
  const CPU_FEATURES =
    /^To enable the following instructions: .*rebuild TensorFlow with the appropriate compiler flags\.$/;
  const isBanner = (line) => line === WARN || INFO.test(line) || CPU_FEATURES.test(line);
  // A partial line that may still turn out to be a banner is held until its newline.
  const mayBeBanner = (p) =>
    WARN.startsWith(p) ||
    /^I\d{0,4}$|^I\d{4} /.test(p) ||
    'To enable the following instructions: '.startsWith(p) ||
    p.startsWith('To enable the following instructions: ');

  const child = spawn(process.execPath, [self, ...args], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, CTRGCN_STDERR_FILTERED: '1', ...(process.stderr.isTTY ? { CTRGCN_STDERR_TTY: '1' } : {}) },
  });
  // stdout is the child's own (it stops itself on EPIPE); when our stderr's reader has gone, the
  // child, the real writer, is stopped and the run ends with status 0.
  let brokenPipe = false;
  process.stderr.on(
    'error',
    onBrokenPipe(() => {
      if (brokenPipe) return;
      brokenPipe = true;
      child.kill('SIGTERM');
    }),
  );
  let held = '';
  let passing = false; // inside a line already judged not to be a banner
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    let s = chunk;
    let out = '';
    while (s.length) {
      const nl = s.indexOf('\n');
      if (passing) {
        out += nl < 0 ? s : s.slice(0, nl + 1);
        s = nl < 0 ? '' : s.slice(nl + 1);
        passing = nl < 0;
        continue;
      }
      if (nl < 0) {
        held += s;
        s = '';
        if (!mayBeBanner(held)) {
          out += held;
          held = '';
          passing = true;
        }
        continue;
      }
      const line = held + s.slice(0, nl);
      held = '';
      s = s.slice(nl + 1);
      if (!isBanner(line)) out += line + '\n';
    }
    if (out && !brokenPipe) process.stderr.write(out);
  });
  child.stderr.on('end', () => {
    if (held && !brokenPipe) process.stderr.write(held);
  });
  // The terminal delivers Ctrl-C to the whole process group; stay alive to report the child's status.
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('close', (code, signal) => {
    process.exitCode = brokenPipe ? 0 : (code ?? 128 + (constants.signals[signal] ?? 1));
  });
  child.on('error', (err) => {
    process.stderr.write(`ctrgcn: ${err.message}\n`);
    process.exitCode = 1;
  });
}
