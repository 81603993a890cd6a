#!/usr/bin/env zx
// PaddleVideo's prepare.sh for this package, as a zx pipeline: the data a TIPC mode needs. Lite modes
// synthesise NTU-format .skeleton files, convert them with the real NTU pipeline and cut the predict
// example; whole modes check that every path the params file references exists. A stage whose outputs
// are up to date is skipped. Same stages and files as `ctrgcn tipc prepare`.
//
//   npx zx test_tipc/prepare.mjs PARAMS MODE [--classes K] [--seed S] [--performers P] [--force]
import { $, argv, echo } from 'zx';
import { loadParams, prepareStages } from 'ctrgcn-tipc/tipc';

const [file, mode] = argv._.map(String);
if (!file || !mode) {
  echo('usage: npx zx test_tipc/prepare.mjs PARAMS MODE [--classes K] [--seed S] [--performers P] [--force]');
  process.exit(2);
}
const { params } = loadParams(file);
const stages = prepareStages(params, mode, {
  root: process.cwd(),
  ...(argv.classes !== undefined ? { classes: Number(argv.classes) } : {}),
  ...(argv.seed !== undefined ? { seed: Number(argv.seed) } : {}),
  ...(argv.performers !== undefined ? { performers: Number(argv.performers) } : {}),
  force: argv.force === true,
});

for (const stage of stages) {
  if (!stage.needed()) {
    echo(`[prepare] up to date: ${stage.name}`);
    continue;
  }
  echo(`[prepare] ${stage.start()}`);
  if (stage.argv) await $`${stage.argv}`; // ctrgcn data synth … | ctrgcn data ntu …
  stage.run?.(); // in-process: the predict example cut, the whole-mode check
  stage.done?.(); // the synth settings stamp, the check that the params file's paths now exist
}
