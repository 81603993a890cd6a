export interface MeasuredRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  peakRssMb: number;
  timedOut: boolean;
}

export function runMeasured(
  args: string[],
  opts?: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; uid?: number; gid?: number },
): Promise<MeasuredRun>;
