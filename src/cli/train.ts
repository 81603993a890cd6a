// `ctrgcn train`: PaddleVideo main.py flags — train a recipe, or evaluate with --test.
import path from 'node:path';
import { parseArgs, UsageError } from './args.js';
import { spec } from './train-spec.js';
import { initBackend } from '../util/backend.js';
import { loadConfig, resolved } from '../config/recipe.js';
import { TrainLogger } from '../train/logger.js';
import { train } from '../train/loop.js';
import { evaluate } from '../train/evaluate.js';
import { completeEpochCheckpoint, resolveResumePoint, trimRecordsForResume } from '../train/resume.js';

export { spec };

export async function runTrain(argv: string[], forceTest = false): Promise<number> {
  const { flags, positionals } = parseArgs(argv, spec);
  const overrides = [...((flags.override as string[]) ?? [])];
  for (const p of positionals) {
    if (p.includes('=')) overrides.push(p);
    else throw new UsageError(`unexpected argument "${p}"`);
  }
  if (flags.resume) {
    if (overrides.some((o) => o.trim().startsWith('resume_epoch=')))
      throw new UsageError('--resume and -o resume_epoch=… both say where to resume: give one');
    overrides.push('resume_epoch=auto');
  }
  const { cfg, warnings } = loadConfig(String(flags.config), overrides, {
    allowUnknown: flags['allow-unknown'] === true,
  });
  const R = resolved(cfg);
  const testing = forceTest || flags.test === true;
  const metricsFile = testing ? undefined : path.join(R.outputDir, 'metrics.jsonl');
  // A resumed run continues the stopped run's records from its checkpoint's epoch (only when the
  // checkpoint will load: a resume that fails leaves the records as they were).
  const resume = testing ? undefined : resolveResumePoint(R.resumeEpoch, R.outputDir, R.modelName);
  if (metricsFile && resume && resume.epoch > 0 && completeEpochCheckpoint(R.outputDir, R.modelName, resume.epoch))
    trimRecordsForResume(metricsFile, resume.epoch);
  const logger = new TrainLogger({ metricsFile, freshMetrics: !resume || resume.epoch === 0 });
  try {
    for (const w of warnings) logger.warn(w);
    const { backend } = await initBackend(cfg.Global?.use_gpu ? 'tensorflow-gpu' : undefined);
    for (const f of ['amp', 'amp_level', 'profiler_options'] as const) {
      if (flags[f]) logger.warn(`--${f} is accepted for compatibility and has no effect`);
    }
    if (testing) {
      if (!flags.weights) throw new UsageError('--test needs -w <weights>');
      const explicitOut = overrides.some((o) => o.trim().startsWith('output_dir='));
      logger.info(`Evaluating ${cfg.model_name} (${backend} backend)`);
      await evaluate({
        cfg,
        weights: String(flags.weights),
        logger,
        outputDir: explicitOut ? resolved(cfg).outputDir : undefined,
      });
      return 0;
    }
    const s = await train({
      cfg,
      seed: Number(flags.seed),
      maxIters: flags.max_iters === undefined ? undefined : Number(flags.max_iters),
      validate: Boolean(flags.validate),
      weights: flags.weights ? String(flags.weights) : undefined,
      logger,
      resume,
    });
    logger.info(
      `run summary: ${s.steps} steps in ${s.wallSec.toFixed(1)} s, ${s.meanStepSec.toFixed(3)} s/step, ` +
        `${s.samplesPerSec.toFixed(2)} samples/s, peak RSS ${Math.round(s.peakRssMb)} MB` +
        (s.lastValTop1 !== undefined ? `, last val top1 ${s.lastValTop1.toFixed(4)}` : ''),
    );
    return 0;
  } finally {
    logger.close();
  }
}

export function run(argv: string[]): Promise<number> {
  return runTrain(argv);
}
