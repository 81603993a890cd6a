// Executes a plan without a shell: argv is run directly (execa), stdout+stderr go to the step's log file
// the way `> log 2>&1` would send them, and every results line carries the command's TRUE exit status
// (upstream takes the train status from a trailing `cat`, and whole_infer's export status from `echo`).
// A failed step skips its dependants (recorded as skipped with the reason, never dropped); GPU cells
// on a machine without CUDA are skipped too, never passed, never failed.
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { execa, type Options } from 'execa';
import type { Plan, PlannedStep, StepKind } from './planner.js';
import { gpuAvailability } from './fs-util.js';
import { RECORDS_ENV, type Precision } from '../contracts/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { liveView } from './live-view.js';

export type StepStatus = 'pass' | 'fail' | 'skipped' | 'timeout';

export interface StepResult {
  id: number;
  kind: StepKind;
  name: string;
  command: string;
  argv: string[];
  /** Results-line log path (as in the plan, relative to the run directory). */
  log: string;
  stdout: string;
  env: Record<string, string>;
  status: StepStatus;
  exitCode: number | null;
  durationMs: number;
  reason?: string;
  cell?: PlannedStep['cell'];
  dir: string;
  /** `driver`: a command of the plan; `runner`: an extra step of ours (not in results_python.log). */
  origin: 'driver' | 'runner';
  shard?: number;
  /** The chain-records file the command was given (TIPC_RECORDS), relative to the run directory. */
  records: string;
  /** Extra steps: what the step is for, and what it measured. */
  role?: ExtraRole;
  precision?: Precision;
  target?: 'trained' | 'reference';
  /** Extra steps: the driver's save/model dir (trainer) the step belongs to. */
  unit?: string;
}

export type ExtraRole = 'artifact-export' | 'artifact-eval' | 'reference-export' | 'latency' | 'consistency';

/** A step of ours, run after the driver's plan (see extra-steps.ts). */
export interface ExtraStep {
  kind: StepKind;
  name: string;
  role: ExtraRole;
  argv: string[];
  log: string;
  /** Model dir the step reads or writes. */
  dir: string;
  /** Ids of driver steps or earlier extra steps (index = plan length + position). */
  dependsOn: number[];
  env: PlannedStep['env'];
  precision?: Precision;
  target?: 'trained' | 'reference';
  unit?: string;
  cell?: PlannedStep['cell'];
  /** Files written before the command runs (e.g. a benchmark list file). */
  writeFiles?: Array<{ path: string; text: string }>;
  /** Why it exists (shown in the report). */
  reason: string;
}

/** `<log>.records.jsonl` beside a step's log. */
export function recordsPathOf(log: string): string {
  return log.replace(/\.log$/, '') + '.records.jsonl';
}

export interface Shard {
  index: number;
  count: number;
}

export interface RunOptions {
  /** Directory the commands run in (the driver's repo root). */
  cwd: string;
  timeoutSec?: number;
  timeouts?: Partial<Record<StepKind, number>>;
  shard?: Shard;
  /** 'skip' (default): a failed step skips its dependants; 'run': run them anyway (driver behaviour). */
  dependents?: 'skip' | 'run';
  /** Overrides GPU detection (tests). */
  gpuAvailable?: boolean;
  /** Re-run one benchmark-mode predict cell with --enable_benchmark=False (perf vs accuracy mode). */
  consistencyRerun?: boolean;
  /** Where status lines (and optionally logs) are echoed. */
  out?: (line: string) => void;
  echoLogs?: boolean;
  /** Base environment of the children (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Extra steps of ours, built from the driver steps' results (run in shard 1 only, before the consistency re-run). */
  extras?: (results: readonly StepResult[], firstId: number) => ExtraStep[];
}

export const DEFAULT_TIMEOUTS: Record<StepKind, number> = { train: 4 * 3600, eval: 3600, export: 1800, infer: 1800 };

export const ESC = '\x1b';

/** The results_python.log line (spec §6): one leading and one trailing space inside the colour codes. */
export function statusLine(ok: boolean, model: string, command: string, log: string): string {
  return `${ESC}[33m Run ${ok ? 'successfully' : 'failed'} with command - ${model} - ${command} - ${log} ${ESC}[0m`;
}

/** Our record of a skipped command, same shape; upstream tools match neither `successfully` nor `failed`. */
export function skipLine(model: string, command: string, log: string, reason: string): string {
  return `${ESC}[33m Run skipped (${reason}) with command - ${model} - ${command} - ${log} ${ESC}[0m`;
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

export function childEnv(
  base: NodeJS.ProcessEnv,
  stepEnv: PlannedStep['env'],
  records: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base))
    if (v !== undefined && k !== 'CUDA_VISIBLE_DEVICES' && k !== 'Count' && k !== RECORDS_ENV) env[k] = v;
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

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => liveGroups.forEach((g) => killGroup(g, 'SIGKILL')));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(sig, () => {
      liveGroups.forEach((g) => killGroup(g, 'SIGTERM'));
      process.kill(process.pid, sig);
    });
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

export async function runPlan(plan: Plan, opts: RunOptions): Promise<StepResult[]> {
  const out = opts.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const gpuOk = opts.gpuAvailable ?? gpuAvailability(opts.env ?? process.env).available;
  const gpuReason = opts.gpuAvailable === false ? 'no CUDA device' : gpuAvailability(opts.env ?? process.env).reason;
  const baseEnv = opts.env ?? process.env;
  const timeoutFor = (k: StepKind) => opts.timeouts?.[k] ?? opts.timeoutSec ?? DEFAULT_TIMEOUTS[k];
  const abs = (p: string) => path.resolve(opts.cwd, p);
  const statusLog = abs(`${plan.logPath}/results_python.log`);
  mkdirSync(path.dirname(statusLog), { recursive: true });
  const n = opts.shard?.count ?? 1;
  const mine = opts.shard?.index ?? 1;
  const results = new Map<number, StepResult>();

  const record = (r: StepResult, line: string | null) => {
    results.set(r.id, r);
    if (line !== null && r.origin === 'driver') {
      appendFileSync(statusLog, line + '\n');
      out(line);
    }
  };

  for (const s of plan.steps) {
    const shard = shardOf(plan, s, n);
    if (shard !== mine) continue;
    const base: StepResult = {
      id: s.id,
      kind: s.kind,
      name: stepName(s),
      command: s.command,
      argv: s.argv,
      log: s.log,
      stdout: s.stdout,
      env: { ...s.env },
      status: 'skipped',
      exitCode: null,
      durationMs: 0,
      dir: s.dir,
      origin: 'driver',
      records: recordsPathOf(s.log),
      ...(s.cell ? { cell: s.cell } : {}),
      ...(n > 1 ? { shard } : {}),
    };
    if (s.cell?.device === 'gpu' && !gpuOk) {
      record({ ...base, reason: `gpu: ${gpuReason}` }, skipLine(plan.modelName, s.command, s.log, 'no GPU'));
      continue;
    }
    let blocked: string | null = null;
    if (opts.dependents !== 'run')
      for (const d of s.dependsOn) {
        const dr = results.get(d);
        if (dr) {
          if (dr.status !== 'pass') {
            blocked = `dependency ${dr.name} ${dr.status === 'skipped' ? 'was skipped' : dr.status === 'timeout' ? 'timed out' : 'failed'}`;
            break;
          }
        } else if (!existsSync(abs(s.dir))) {
          blocked = `dependency ${stepName(plan.steps[d])} runs in shard 1 and its output ${s.dir} is missing`;
          break;
        }
      }
    if (blocked) {
      record({ ...base, reason: blocked }, skipLine(plan.modelName, s.command, s.log, blocked));
      continue;
    }
    const rec = freshRecords(abs(base.records));
    const ex = await execTo(
      s.argv,
      abs(s.stdout),
      opts.cwd,
      childEnv(baseEnv, s.env, rec),
      timeoutFor(s.kind),
      base.name,
    );
    if (s.kind === 'train') {
      // The driver's `cat train.log >> <save_log>.log`.
      try {
        appendFileSync(abs(s.log), readFileSync(abs(s.stdout)));
      } catch {
        /* nothing written */
      }
    }
    if (opts.echoLogs) {
      try {
        out(readFileSync(abs(s.stdout), 'utf8').trimEnd());
      } catch {
        /* no log */
      }
    }
    const status: StepStatus = ex.timedOut ? 'timeout' : ex.exitCode === 0 ? 'pass' : 'fail';
    const reason = ex.timedOut
      ? `timed out after ${timeoutFor(s.kind)} s`
      : ex.error
        ? ex.error
        : status === 'fail'
          ? `exit code ${ex.exitCode}`
          : undefined;
    record(
      { ...base, status, exitCode: ex.exitCode, durationMs: Math.round(ex.durationMs), ...(reason ? { reason } : {}) },
      statusLine(status === 'pass', plan.modelName, s.command, s.log),
    );
  }

  let nextId = plan.steps.length;
  if (opts.extras && mine === 1) {
    const extras = opts.extras(
      [...results.values()].sort((a, b) => a.id - b.id),
      nextId,
    );
    for (const x of extras) {
      const id = nextId++;
      const base: StepResult = {
        id,
        kind: x.kind,
        name: x.name,
        command: x.argv.join(' '),
        argv: x.argv,
        log: x.log,
        stdout: x.log,
        env: { ...x.env },
        status: 'skipped',
        exitCode: null,
        durationMs: 0,
        dir: x.dir,
        origin: 'runner',
        records: recordsPathOf(x.log),
        role: x.role,
        reason: x.reason,
        ...(x.precision ? { precision: x.precision } : {}),
        ...(x.target ? { target: x.target } : {}),
        ...(x.unit ? { unit: x.unit } : {}),
        ...(x.cell ? { cell: x.cell } : {}),
      };
      const dep = x.dependsOn.map((d) => results.get(d)).find((d) => !d || d.status !== 'pass');
      if (x.dependsOn.some((d) => !results.has(d)) || dep) {
        const why = dep
          ? `dependency ${dep.name} ${dep.status === 'skipped' ? 'was skipped' : dep.status}`
          : 'dependency missing';
        results.set(id, { ...base, reason: `${x.reason}; ${why}` });
        out(`[tipc] ${x.name} skipped: ${why}`);
        continue;
      }
      for (const f of x.writeFiles ?? []) writeFileAtomic(abs(f.path), f.text);
      const rec = freshRecords(abs(base.records));
      const ex = await execTo(x.argv, abs(x.log), opts.cwd, childEnv(baseEnv, x.env, rec), timeoutFor(x.kind), x.name);
      const status: StepStatus = ex.timedOut ? 'timeout' : ex.exitCode === 0 ? 'pass' : 'fail';
      const why = ex.timedOut
        ? `timed out after ${timeoutFor(x.kind)} s`
        : (ex.error ?? (status === 'fail' ? `exit code ${ex.exitCode}` : undefined));
      results.set(id, {
        ...base,
        status,
        exitCode: ex.exitCode,
        durationMs: Math.round(ex.durationMs),
        reason: why ? `${x.reason}; ${why}` : x.reason,
      });
      out(`[tipc] ${x.name} (ours) ${status}: ${base.command} > ${x.log}`);
    }
  }

  if (opts.consistencyRerun !== false) {
    const cand = [...results.values()].find(
      (r) =>
        r.origin === 'driver' &&
        r.kind === 'infer' &&
        r.status === 'pass' &&
        r.argv.some((a) => /^--enable_benchmark=(true|t|1)$/i.test(a)),
    );
    if (cand) {
      const argv = cand.argv.map((a) => (a.startsWith('--enable_benchmark=') ? '--enable_benchmark=False' : a));
      const log = cand.log.replace(/\.log$/, '_accuracy_mode.log');
      const records = recordsPathOf(log);
      const ex = await execTo(
        argv,
        abs(log),
        opts.cwd,
        childEnv(baseEnv, cand.env, freshRecords(abs(records))),
        timeoutFor('infer'),
        `infer:accuracy_mode`,
      );
      const status: StepStatus = ex.timedOut ? 'timeout' : ex.exitCode === 0 ? 'pass' : 'fail';
      const id = nextId + 1000 * (mine - 1);
      const r: StepResult = {
        ...cand,
        id,
        name: `infer:accuracy_mode(${cand.name.slice(6)})`,
        argv,
        command: argv.join(' '),
        log,
        stdout: log,
        status,
        exitCode: ex.exitCode,
        durationMs: Math.round(ex.durationMs),
        origin: 'runner',
        records,
        role: 'consistency',
        reason: `re-run of ${cand.name} with --enable_benchmark=False${status === 'pass' ? '' : ` (${ex.timedOut ? 'timed out' : `exit code ${ex.exitCode}`})`}`,
      };
      results.set(id, r);
      out(`[tipc] consistency re-run ${status}: ${r.command} > ${log}`);
    }
  }
  return [...results.values()].sort((a, b) => a.id - b.id);
}
