// The machine a benchmark or test run measured on, as every script's JSON names it.
import os from 'node:os';

/** CPU count and model, platform and Node version. */
export function machineFacts() {
  return {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
  };
}
