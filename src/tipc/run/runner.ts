// Running one command of a plan without a shell: argv is run directly (execa), stdout+stderr go to the
// step's log file the way `> log 2>&1` would send them, in its own process group (a timeout or an
// interruption stops everything it started). The results-line formats and child environment live here
// too (the step types are plan/steps.ts's); plan-run.ts decides which steps run, in which order, and
// records them.
import { appendFileSync, closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { execa, type Options } from 'execa';
import type { ExtraStep, Plan, PlannedStep, Shard, StepKind, StepResult } from '../plan/index.js';

export type { ExtraRole, ExtraStep, Shard, StepResult, StepStatus } from '../plan/index.js';
import { RECORDS_ENV } from '../../contracts/index.js';
import { liveView } from './live-view.js';
import { sgr } from '../../util/color.js';

/** `<log>.records.jsonl` beside a step's log. */
export function recordsPathOf(log: string): string {
  return log.replace(/\.log$/, '') + '.records.jsonl';
}

export interface RunOptions {
  /** Directory the commands run in (the driver's repo root). */
  cwd: string;
  timeoutSec?: number;
  timeouts?: Partial<Record<StepKind, number>>;
  /** gates.yaml `chain.timeouts` (below the CLI's --timeout flags, above the defaults). */
  configTimeouts?: Partial<Record<StepKind, number>>;
  /** Steps of the report a `--resume` continues: passed ones with the same name and command are reused. */
  resumeFrom?: readonly StepResult[];
  shard?: Shard;
  /** 'skip' (default): a failed step skips its dependants; 'run': run them anyway (driver behaviour). */
  dependents?: 'skip' | 'run';
  /** Overrides GPU detection (tests). */
  gpuAvailable?: boolean;
  /** Re-run one benchmark-mode predict cell with --enable_benchmark=False (perf vs accuracy mode). */
  consistencyRerun?: boolean;
  /** Where status lines (and optionally logs) are echoed. */
  out?: (line: string) => void;
  /**
   * Whether what goes to `out` keeps its colour codes (default: the colour policy for stdout,
   * util/color.ts). results_python.log itself always has upstream's codes.
   */
  color?: boolean;
  echoLogs?: boolean;
  /** Base environment of the children (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Extra steps of ours, built from the driver steps' results (run in shard 1 only, before the consistency re-run). */
  extras?: (results: readonly StepResult[], firstId: number) => ExtraStep[];
}

export const DEFAULT_TIMEOUTS: Record<StepKind, number> = { train: 4 * 3600, eval: 3600, export: 1800, infer: 1800 };

/**
 * The results_python.log line (spec §6), byte for byte what upstream's `status_check` writes with
 * `echo -e "\033[33m … \033[0m"`: the colour codes belong to the file's format, one space inside each.
 * The terminal copy follows the colour policy (PlanRun strips the codes where colour is off).
 */
export function statusLine(ok: boolean, model: string, command: string, log: string): string {
  return `${sgr(33)} Run ${ok ? 'successfully' : 'failed'} with command - ${model} - ${command} - ${log} ${sgr(0)}`;
}

/** Our record of a skipped command, same shape; upstream tools match neither `successfully` nor `failed`. */
export function skipLine(model: string, command: string, log: string, reason: string): string {
  return `${sgr(33)} Run skipped (${reason}) with command - ${model} - ${command} - ${log} ${sgr(0)}`;
}

export function stepName(s: PlannedStep): string {
  const base = path.basename(s.log).replace(/\.log$/, '');
  return `${s.kind}:${base}`;
}

/** Deterministic shard of inference cells: the k-th cell of the plan (0-based) goes to shard k mod n + 1.
 * Train, eval and export steps belong to shard 1; later shards need shard 1's export on disk. */
export function shardOf(plan: Plan, s: PlannedStep, n: number): number {
  if (s.kind !== 'infer') return 1;
  const k = plan.steps.filter((x) => x.kind === 'infer' && x.id < s.id).length;
  return (k % n) + 1;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard expects i/n (e.g. 1/3), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new Error(`--shard ${text}: need 1 ≤ i ≤ n`);
  return { index, count };
}

/**
 * Variables a command does not inherit: the driver sets CUDA_VISIBLE_DEVICES, Count and the records
 * path itself; and a command writes into its log file, never to the terminal, so the terminal's
 * FORCE_COLOR and the launcher's CTRGCN_STDERR_TTY would only put colour codes and redraws into logs.
 */
const NOT_INHERITED = new Set(['CUDA_VISIBLE_DEVICES', 'Count', RECORDS_ENV, 'FORCE_COLOR', 'CTRGCN_STDERR_TTY']);

export function childEnv(
  base: NodeJS.ProcessEnv,
  stepEnv: PlannedStep['env'],
  records: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !NOT_INHERITED.has(k)) env[k] = v;
  if (stepEnv.CUDA_VISIBLE_DEVICES !== undefined) env.CUDA_VISIBLE_DEVICES = stepEnv.CUDA_VISIBLE_DEVICES;
  if (stepEnv.Count !== undefined) env.Count = stepEnv.Count;
  env[RECORDS_ENV] = records;
  return env;
}

/** A fresh records file per run of a step (a stale one from an earlier run must not count). */
export function freshRecords(abs: string): string {
  mkdirSync(path.dirname(abs), { recursive: true });
  rmSync(abs, { force: true });
  return abs;
}

export interface Exec {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  error?: string;
}

/** Process groups of the commands running now, killed if the runner itself is interrupted. */
const liveGroups = new Set<number>();
let hooksInstalled = false;
const interruptListeners = new Set<(signal: NodeJS.Signals) => void>();
let signalsSeen = 0;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

// A signal stops the running commands' groups. With a listener (a chain that writes its report
// before it exits) the first one is handed to it; a second one, or one with nobody listening, ends
// the process the way the signal would have.
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => liveGroups.forEach((g) => killGroup(g, 'SIGKILL')));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      liveGroups.forEach((g) => killGroup(g, 'SIGTERM'));
      if (interruptListeners.size && signalsSeen++ === 0) {
        interruptListeners.forEach((f) => f(sig));
        return;
      }
      process.removeListener(sig, handler);
      process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

/** Calls `f` on the first SIGINT/SIGTERM/SIGHUP instead of dying (commands still stop); returns the unsubscribe. */
export function onInterrupt(f: (signal: NodeJS.Signals) => void): () => void {
  installHooks();
  interruptListeners.add(f);
  return () => {
    interruptListeners.delete(f);
    if (!interruptListeners.size) signalsSeen = 0;
  };
}

export async function execTo(
  argv: string[],
  logAbs: string,
  cwd: string,
  env: Record<string, string>,
  timeoutSec: number,
  /** Shown by the live view while the command runs (default: the command's first words). */
  label?: string,
): Promise<Exec> {
  mkdirSync(path.dirname(logAbs), { recursive: true });
  const fd = openSync(logAbs, 'w');
  const t0 = performance.now();
  // Each command runs in its own process group so that a timeout also stops what it started
  // (data-loader workers, launchers): SIGTERM to the group, SIGKILL 3 s later.
  const detached = process.platform !== 'win32';
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let killer: NodeJS.Timeout | undefined;
  const live = liveView()?.start(
    label ??
      argv
        .slice(0, 3)
        .map((a) => path.basename(a))
        .join(' '),
    env[RECORDS_ENV],
  );
  try {
    const options: Options = {
      cwd,
      env,
      extendEnv: false,
      // The child writes straight into the log (like `> log 2>&1`); execa accepts any fd at run time,
      // its types only list 1 and 2.
      stdio: ['ignore', fd as 1, fd as 1],
      detached,
      reject: false,
      ...(detached ? {} : { timeout: timeoutSec * 1000, forceKillAfterDelay: 3000 }),
    };
    const sub = execa(argv[0], argv.slice(1), options);
    const pid = sub.pid;
    if (detached && pid !== undefined) {
      installHooks();
      liveGroups.add(pid);
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(pid, 'SIGTERM');
        killer = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
      }, timeoutSec * 1000);
    }
    const r = await sub;
    if (pid !== undefined) {
      liveGroups.delete(pid);
      // Leftovers of a command that exited normally are stopped too (the shell would not wait for them either,
      // but they must not outlive the step they belong to).
      killGroup(pid, 'SIGKILL');
    }
    const durationMs = performance.now() - t0;
    if (timedOut || r.timedOut) return { exitCode: null, timedOut: true, durationMs };
    if (r.signal) {
      // Killed from outside: report it the way a shell's $? would (128 + signal number).
      const n = (osConstants.signals as Record<string, number>)[r.signal] ?? 0;
      return { exitCode: 128 + n, timedOut: false, durationMs, error: `killed by ${r.signal}` };
    }
    if (r.exitCode === undefined) {
      // Could not start (ENOENT…): write why into the log, as a shell would have, and use its 127.
      appendFileSync(logAbs, `${r.shortMessage}\n`);
      return { exitCode: 127, timedOut: false, durationMs, error: r.shortMessage };
    }
    return { exitCode: r.exitCode, timedOut: false, durationMs };
  } finally {
    clearTimeout(timer);
    clearTimeout(killer);
    live?.stop();
    closeSync(fd);
  }
}
