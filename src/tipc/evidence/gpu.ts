// Small file helpers: atomic writes (temp file in the same directory, then rename) and a PATH lookup.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export function onPath(exe: string, envPath = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, exe);
    try {
      accessSync(f, constants.X_OK);
      return f;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

/** GPU inference is possible here unless CTRGCN_NO_GPU=1 or nvidia-smi is absent. */
export function gpuAvailability(env: NodeJS.ProcessEnv = process.env): { available: boolean; reason: string } {
  if (env.CTRGCN_NO_GPU === '1') return { available: false, reason: 'CTRGCN_NO_GPU=1' };
  const smi = onPath('nvidia-smi', env.PATH);
  if (!smi) return { available: false, reason: 'no CUDA device (nvidia-smi not found on PATH)' };
  return { available: true, reason: `nvidia-smi at ${smi}` };
}
