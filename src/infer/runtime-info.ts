// The inference runtime's name and version, for reports.
import { createRequire } from 'node:module';

export function runtimeVersion(): string {
  try {
    const req = createRequire(import.meta.url);
    const pkg = req('onnxruntime-node/package.json') as { version: string };
    return `onnxruntime-node ${pkg.version}`;
  } catch {
    return 'onnxruntime-node';
  }
}
