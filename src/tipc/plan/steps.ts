// The steps of a chain as the rooms above the plan see them: a step's result (the driver's commands
// and our extra steps alike), an extra step of ours, and a shard of a plan. Types only.
import type { Precision } from '../../contracts/index.js';
import type { PlannedStep, StepKind } from './planner.js';

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
  /** `tipc run --resume`: passed in the run resumed, not run again. */
  resumed?: boolean;
  /** The step that was running when the chain was interrupted (SIGINT/SIGTERM/SIGHUP). */
  interrupted?: boolean;
}

export type ExtraRole =
  'artifact-export' | 'artifact-eval' | 'reference-export' | 'latency' | 'consistency' | 'golden-logits';

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

export interface Shard {
  index: number;
  count: number;
}
