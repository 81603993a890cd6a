#!/usr/bin/env zx
// PaddleVideo's test_train_inference_python.sh for this package, as a zx pipeline. The library plans the
// chain from the params file (the driver's commands in its order, then our extra steps from gates.yaml)
// and judges it (gates, report); every command runs here, one `$` line, so the pipeline can be read and
// changed without touching the TypeScript. Same steps, results_python.log and report as `ctrgcn tipc run`.
//
//   npx zx test_tipc/test_train_inference.mjs PARAMS MODE [GPU_ID] [--allow-not-set]
import { constants } from 'node:os';
import { $, argv, echo } from 'zx';
import { colorFor, openChain, paint, SGR, summaryTable } from 'ctrgcn-tipc/tipc';

const [params, mode, gpuId] = argv._.map(String);
if (!params || !mode) {
  echo('usage: npx zx test_tipc/test_train_inference.mjs PARAMS MODE [GPU_ID] [--allow-not-set]');
  process.exit(2);
}

// Lint the params file, plan the commands, load the gates.
// Not-set gates fail the run unless --allow-not-set (then the report says so); --strict is the default.
const chain = openChain({
  params,
  mode,
  gpuId,
  root: process.cwd(),
  strict: argv.strict === true,
  allowNotSet: argv['allow-not-set'] === true,
});

// Colour only where the package's policy allows it (a terminal; NO_COLOR, FORCE_COLOR).
const color = colorFor(process.stdout);

// Each step the plan hands out (dependants of a failed step and GPU cells without CUDA are recorded as
// skipped by the plan itself): run it like the driver's `cmd > log 2>&1`, and report how it ended.
for (const step of chain.steps()) {
  echo(`${paint(step.name, SGR.cyan, color)} ${paint(step.command, SGR.dim, color)}`);
  const $step = $({ cwd: step.cwd, env: step.env, nothrow: true, quiet: true, timeout: `${step.timeoutSec}s` });
  const p = await $step`${step.argv} > ${step.stdout} 2>&1`;
  const timedOut = p.signal !== null && p.duration >= step.timeoutSec * 1000;
  chain.finish(step, {
    exitCode: timedOut ? null : (p.exitCode ?? 128 + (constants.signals[p.signal] ?? 0)),
    timedOut,
    durationMs: p.duration,
    ...(p.signal && !timedOut ? { error: `killed by ${p.signal}` } : {}),
  });
}

// Gates, report.json (schema-checked), report.html; exit 0 only when the report passes.
const { report, jsonPath, htmlPath, exitCode } = chain.close();
echo('\n' + summaryTable(report, { color }));
echo(`report: ${jsonPath}\nhtml:   ${htmlPath}`);
process.exitCode = exitCode;
