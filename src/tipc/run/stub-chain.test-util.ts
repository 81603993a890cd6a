// Real run records for the writers' tests: the lite chain of the stub params file
// (__fixtures__/stub_params.txt), run in a scratch root with the stub command (test helper).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChain } from './chain.js';
import type { Report } from '../report/report.js';

const FIX = path.resolve(import.meta.dirname, '../__fixtures__');

/** A scratch root holding the stub command and a params file (the stub's own unless `paramsText`). */
export function stubRoot(paramsText?: string): { root: string; params: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tipc-'));
  mkdirSync(path.join(root, 'src/tipc/__fixtures__'), { recursive: true });
  copyFileSync(path.join(FIX, 'stub.mjs'), path.join(root, 'src/tipc/__fixtures__/stub.mjs'));
  // The stub writes its records with the package's own writer (dist/contracts).
  symlinkSync(path.resolve(import.meta.dirname, '../../../dist'), path.join(root, 'dist'));
  const params = path.join(root, 'test_tipc/configs/TIPC_STUB/train_infer_python.txt');
  mkdirSync(path.dirname(params), { recursive: true });
  writeFileSync(params, paramsText ?? readFileSync(path.join(FIX, 'stub_params.txt'), 'utf8'));
  return { root, params };
}

/**
 * Runs the stub chain with TIPC_STUB `rules` (per kind: exit, hang, acc, …); GPU cells are skipped. The
 * stub's own params file sets no thresholds, so its not-set gates are warnings here (--allow-not-set):
 * the writers' tests need a passing run and a failing one.
 */
export async function stubChain(rules: object = {}, timeoutSec = 60): Promise<{ root: string; report: Report }> {
  const { root, params } = stubRoot();
  const r = await runChain({
    params,
    mode: 'lite_train_lite_infer',
    root,
    gpuAvailable: false,
    timeoutSec,
    env: { ...process.env, TIPC_STUB: JSON.stringify(rules) },
    out: () => {},
    allowNotSet: true,
  });
  return { root, report: r.report };
}
