// Runs a node command as a child and measures its peak resident memory two ways: the exit hook
// (scripts/maxrss-hook.mjs, getrusage maxRSS of every node process in the tree) and polling
// /proc/<pid>/status VmHWM every 20 ms (catches a child killed before its exit hook runs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const hook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'maxrss-hook.mjs');

function vmHwmKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * runMeasured(args, { cwd, env, timeoutMs, uid, gid, input }) → { code, signal, stdout, stderr, ms,
 * peakRssMb, timedOut }. `args` are node arguments (script first).
 */
export function runMeasured(args, opts = {}) {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rss-')), 'maxrss.txt');
  fs.chmodSync(path.dirname(rssFile), 0o777);
  const env = {
    ...process.env,
    ...opts.env,
    CTRGCN_MAXRSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(hook).href}`.trim(),
  };
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, args, {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s) => (stdout = (stdout + s).slice(-1_000_000)));
    child.stderr.setEncoding('utf8').on('data', (s) => (stderr = (stderr + s).slice(-1_000_000)));
    let polled = 0;
    const poll = setInterval(() => (polled = Math.max(polled, vmHwmKb(child.pid))), 20);
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.on('close', (code, signal) => {
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      let hooked = 0;
      try {
        for (const l of fs.readFileSync(rssFile, 'utf8').split('\n'))
          if (l) hooked = Math.max(hooked, Number(l.split(' ')[1]));
      } catch {
        /* no node process reached its exit hook */
      }
      fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
      resolve({
        code,
        signal,
        stdout,
        stderr,
        ms: Date.now() - t0,
        peakRssMb: Math.round(Math.max(hooked, polled) / 1024),
        timedOut,
      });
    });
  });
}
