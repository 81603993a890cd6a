// A plan as a sequence of steps to execute, one at a time: `steps()` yields each step that should run
// (the driver's commands, then our extra steps built from their results, then the consistency re-run)
// and records the others (GPU cells without CUDA, dependants of a failed step, steps reused by a
// resume) itself; the caller runs each yielded command however it likes (execTo in chain.ts's runChain,
// zx's `$` in test_tipc/test_train_inference.mjs) and hands the outcome to `finish()`. So the order, the skips,
// the results lines and the step results are decided in one place whoever executes the commands.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plan, PlannedStep, StepKind } from '../plan/index.js';
import { gpuAvailability } from '../evidence/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { colorFor, forTerminal } from '../../util/color.js';
import {
  childEnv,
  DEFAULT_TIMEOUTS,
  freshRecords,
  onInterrupt,
  recordsPathOf,
  shardOf,
  skipLine,
  statusLine,
  stepName,
  type Exec,
  type RunOptions,
  type StepResult,
  type StepStatus,
} from './runner.js';

/** A command to run now: argv in `cwd` with exactly `env`, stdout+stderr into `stdout` (absolute). */
export interface RunnableStep {
  readonly id: number;
  readonly name: string;
  readonly kind: StepKind;
  readonly command: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdout: string;
  readonly timeoutSec: number;
  /** @internal the result skeleton `finish` completes. */
  readonly base: StepResult;
  /** @internal */
  readonly origin: 'driver' | 'runner' | 'consistency';
}

export interface Interruption {
  signal: NodeJS.Signals;
  /** The step that was running (marked failed, `interrupted`), if one was. */
  step?: string;
}

function describeDependency(dr: StepResult): string {
  return dr.status === 'skipped' ? 'was skipped' : dr.status === 'timeout' ? 'timed out' : 'failed';
}

export class PlanRun {
  private readonly results = new Map<number, StepResult>();
  private readonly previous = new Map<string, StepResult>();
  private readonly out: (line: string) => void;
  /** Whether the terminal copies keep their colour codes. */
  private readonly color: boolean;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly statusLog: string;
  private running: RunnableStep | null = null;
  private nextId: number;
  private interruption: Interruption | null = null;
  private unsubscribe: (() => void) | null = null;
  reusedCount = 0;

  constructor(
    readonly plan: Plan,
    private readonly opts: RunOptions,
  ) {
    this.nextId = plan.steps.length;
    this.out = opts.out ?? ((l: string) => process.stdout.write(l + '\n'));
    this.color = opts.color ?? colorFor(process.stdout);
    this.baseEnv = opts.env ?? process.env;
    this.statusLog = this.abs(`${plan.logPath}/results_python.log`);
    mkdirSync(path.dirname(this.statusLog), { recursive: true });
    for (const s of opts.resumeFrom ?? []) if (s.status === 'pass') this.previous.set(`${s.name}\0${s.command}`, s);
  }

  private abs(p: string): string {
    return path.resolve(this.opts.cwd, p);
  }

  /** Per kind: the CLI's value, else the CLI's global one, else gates.yaml's, else the default. */
  timeoutFor(k: StepKind): number {
    return this.opts.timeouts?.[k] ?? this.opts.timeoutSec ?? this.opts.configTimeouts?.[k] ?? DEFAULT_TIMEOUTS[k];
  }

  /** How the run was interrupted (SIGINT/SIGTERM/SIGHUP while it ran), if it was. */
  get interrupted(): Interruption | null {
    return this.interruption;
  }

  /** Stops the run after the step in progress (which is marked interrupted). */
  interrupt(signal: NodeJS.Signals): void {
    if (!this.interruption) this.interruption = { signal, ...(this.running ? { step: this.running.name } : {}) };
  }

  private record(r: StepResult, line: string | null): void {
    this.results.set(r.id, r);
    if (line !== null && r.origin === 'driver') {
      // The file gets upstream's bytes; the terminal copy (upstream's `tee`) follows the colour policy.
      appendFileSync(this.statusLog, line + '\n');
      this.out(forTerminal(line, this.color));
    }
  }

  /** A passed step of the resumed report with the same name and command, whose dependencies were reused too. */
  private reusable(name: string, command: string, dependsOn: readonly number[], log: string): StepResult | null {
    const prev = this.previous.get(`${name}\0${command}`);
    if (!prev || !existsSync(this.abs(log))) return null;
    if (!dependsOn.every((d) => this.results.get(d)?.resumed)) return null;
    return prev;
  }

  private reuse(id: number, prev: StepResult, dir: string): void {
    this.reusedCount++;
    this.results.set(id, { ...prev, id, dir, resumed: true });
    this.out(`[tipc] ${prev.name} passed in the resumed run: not run again`);
  }

  private runnable(
    base: StepResult,
    origin: RunnableStep['origin'],
    stdout: string,
    env: PlannedStep['env'],
  ): RunnableStep {
    const rec = freshRecords(this.abs(base.records));
    return {
      id: base.id,
      name: base.name,
      kind: base.kind,
      command: base.command,
      argv: base.argv,
      cwd: this.opts.cwd,
      env: childEnv(this.baseEnv, env, rec),
      stdout: this.abs(stdout),
      timeoutSec: this.timeoutFor(base.kind),
      base,
      origin,
    };
  }

  /** The steps to run, in order; stops early once the run is interrupted. */
  *steps(): Generator<RunnableStep, void, void> {
    if (!this.unsubscribe) this.unsubscribe = onInterrupt((sig) => this.interrupt(sig));
    try {
      yield* this.driverSteps();
      if (this.interruption) return;
      yield* this.extraSteps();
      if (this.interruption) return;
      yield* this.consistencyStep();
    } finally {
      this.unsubscribe?.();
      this.unsubscribe = null;
    }
  }

  private *driverSteps(): Generator<RunnableStep, void, void> {
    const { plan, opts } = this;
    const gpuOk = opts.gpuAvailable ?? gpuAvailability(this.baseEnv).available;
    const gpuReason = opts.gpuAvailable === false ? 'no CUDA device' : gpuAvailability(this.baseEnv).reason;
    const n = opts.shard?.count ?? 1;
    const mine = opts.shard?.index ?? 1;
    for (const s of plan.steps) {
      if (this.interruption) return;
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
        this.record({ ...base, reason: `gpu: ${gpuReason}` }, skipLine(plan.modelName, s.command, s.log, 'no GPU'));
        continue;
      }
      const prev = this.reusable(base.name, s.command, s.dependsOn, s.stdout);
      if (prev) {
        this.reuse(s.id, prev, s.dir);
        continue;
      }
      let blocked: string | null = null;
      if (opts.dependents !== 'run')
        for (const d of s.dependsOn) {
          const dr = this.results.get(d);
          if (dr) {
            if (dr.status !== 'pass') {
              blocked = `dependency ${dr.name} ${describeDependency(dr)}`;
              break;
            }
          } else if (!existsSync(this.abs(s.dir))) {
            blocked = `dependency ${stepName(plan.steps[d])} runs in shard 1 and its output ${s.dir} is missing`;
            break;
          }
        }
      if (blocked) {
        this.record({ ...base, reason: blocked }, skipLine(plan.modelName, s.command, s.log, blocked));
        continue;
      }
      yield* this.run(this.runnable(base, 'driver', s.stdout, s.env));
    }
  }

  private *extraSteps(): Generator<RunnableStep, void, void> {
    const { opts } = this;
    if (!opts.extras || (opts.shard?.index ?? 1) !== 1) return;
    for (const x of opts.extras(this.sortedResults(), this.nextId)) {
      if (this.interruption) return;
      const id = this.nextId++;
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
      const dep = x.dependsOn.map((d) => this.results.get(d)).find((d) => !d || d.status !== 'pass');
      if (x.dependsOn.some((d) => !this.results.has(d)) || dep) {
        const why = dep
          ? `dependency ${dep.name} ${dep.status === 'skipped' ? 'was skipped' : dep.status}`
          : 'dependency missing';
        this.results.set(id, { ...base, reason: `${x.reason}; ${why}` });
        this.out(`[tipc] ${x.name} skipped: ${why}`);
        continue;
      }
      const prev = this.reusable(x.name, base.command, x.dependsOn, x.log);
      if (prev) {
        this.reuse(id, prev, x.dir);
        continue;
      }
      for (const f of x.writeFiles ?? []) writeFileAtomic(this.abs(f.path), f.text);
      yield* this.run(this.runnable(base, 'runner', x.log, x.env));
    }
  }

  private *consistencyStep(): Generator<RunnableStep, void, void> {
    if (this.opts.consistencyRerun === false) return;
    const cand = this.sortedResults().find(
      (r) =>
        r.origin === 'driver' &&
        r.kind === 'infer' &&
        r.status === 'pass' &&
        r.argv.some((a) => /^--enable_benchmark=(true|t|1)$/i.test(a)),
    );
    if (!cand) return;
    const argv = cand.argv.map((a) => (a.startsWith('--enable_benchmark=') ? '--enable_benchmark=False' : a));
    const log = cand.log.replace(/\.log$/, '_accuracy_mode.log');
    const id = this.nextId + 1000 * ((this.opts.shard?.index ?? 1) - 1);
    const base: StepResult = {
      ...cand,
      id,
      name: `infer:accuracy_mode(${cand.name.slice(6)})`,
      argv,
      command: argv.join(' '),
      log,
      stdout: log,
      status: 'skipped',
      exitCode: null,
      durationMs: 0,
      origin: 'runner',
      records: recordsPathOf(log),
      role: 'consistency',
      reason: `re-run of ${cand.name} with --enable_benchmark=False`,
    };
    delete base.resumed;
    const prev = this.reusable(base.name, base.command, cand.resumed ? [cand.id] : [-1], log);
    if (prev) {
      this.reuse(id, prev, cand.dir);
      return;
    }
    yield* this.run(this.runnable(base, 'consistency', log, cand.env));
  }

  /** Yields one step; the caller must `finish` it before asking for the next. */
  private *run(step: RunnableStep): Generator<RunnableStep, void, void> {
    this.running = step;
    yield step;
    this.running = null;
    if (!this.results.has(step.id)) throw new Error(`step ${step.name} was handed out to run but never finished`);
  }

  /** Records the outcome of a yielded step (results line, train log append, status). */
  finish(step: RunnableStep, ex: Exec): StepResult {
    const { base } = step;
    const interrupted = this.interruption?.step === step.name;
    if (step.origin === 'driver' && base.kind === 'train') {
      // The driver's `cat train.log >> <save_log>.log`.
      try {
        appendFileSync(this.abs(base.log), readFileSync(this.abs(base.stdout)));
      } catch {
        /* nothing written */
      }
    }
    if (this.opts.echoLogs && step.origin === 'driver') {
      try {
        this.out(forTerminal(readFileSync(step.stdout, 'utf8').trimEnd(), this.color));
      } catch {
        /* no log */
      }
    }
    const status: StepStatus = interrupted ? 'fail' : ex.timedOut ? 'timeout' : ex.exitCode === 0 ? 'pass' : 'fail';
    const why = interrupted
      ? `interrupted by ${this.interruption!.signal}`
      : ex.timedOut
        ? `timed out after ${step.timeoutSec} s`
        : (ex.error ?? (status === 'fail' ? `exit code ${ex.exitCode}` : undefined));
    const durationMs = Math.round(ex.durationMs);
    if (step.origin === 'driver') {
      const r: StepResult = {
        ...base,
        status,
        exitCode: ex.exitCode,
        durationMs,
        ...(why ? { reason: why } : {}),
        ...(interrupted ? { interrupted: true } : {}),
      };
      // An interrupted command gets no results line: the driver would not have written one either.
      this.record(r, interrupted ? null : statusLine(status === 'pass', this.plan.modelName, base.command, base.log));
      return r;
    }
    const reason =
      step.origin === 'consistency'
        ? `${base.reason}${status === 'pass' ? '' : ` (${why})`}`
        : why
          ? `${base.reason}; ${why}`
          : base.reason;
    const r: StepResult = {
      ...base,
      status,
      exitCode: ex.exitCode,
      durationMs,
      ...(reason ? { reason } : {}),
      ...(interrupted ? { interrupted: true } : {}),
    };
    this.results.set(r.id, r);
    this.out(
      step.origin === 'consistency'
        ? `[tipc] consistency re-run ${status}: ${r.command} > ${r.log}`
        : `[tipc] ${r.name} (ours) ${status}: ${r.command} > ${r.log}`,
    );
    return r;
  }

  sortedResults(): StepResult[] {
    return [...this.results.values()].sort((a, b) => a.id - b.id);
  }
}
