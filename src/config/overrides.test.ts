// -o overrides as a user types them: unknown keys fail with the closest known key (unless
// allowUnknown), out-of-range values name the key, value, allowed range and the -o that set them,
// and a PaddleVideo config path points at the recipe shipped for it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, missingConfigHint, SHIPPED_CONFIGS } from './recipe.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LIGHT = path.join(ROOT, 'configs/ctrgcn_light_ntucs_joint.yaml');

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return `[${(e as { code?: string }).code}] ${(e as Error).message}`;
  }
  throw new Error('no error');
}

describe('unknown -o keys', () => {
  it('fail with the closest key at that level', () => {
    expect(message(() => loadConfig(LIGHT, ['DATASET.batchsize=3']))).toBe(
      '[E_OVERRIDE] override "DATASET.batchsize=3": unknown key "DATASET.batchsize"; did you mean "DATASET.batch_size"? ' +
        '(--allow-unknown ignores unknown keys with a warning)',
    );
    expect(message(() => loadConfig(LIGHT, ['epoch=3']))).toMatch(/unknown key "epoch"; did you mean "epochs"\?/);
    expect(message(() => loadConfig(LIGHT, ['OPTIMZER.momentum=0.8']))).toMatch(
      /unknown key "OPTIMZER"; did you mean "OPTIMIZER"\?/,
    );
    expect(message(() => loadConfig(LIGHT, ['zzz=1']))).toMatch(/unknown key "zzz" \(--allow-unknown/);
  });

  it('warn and are ignored with allowUnknown', () => {
    const { cfg, warnings } = loadConfig(LIGHT, ['DATASET.batchsize=3', 'epochs=3'], { allowUnknown: true });
    expect(cfg.epochs).toBe(3);
    expect(cfg.DATASET).not.toHaveProperty('batchsize');
    expect(warnings).toEqual([
      'override "DATASET.batchsize=3": unknown key "DATASET.batchsize" ignored; did you mean "DATASET.batch_size"?',
    ]);
  });
});

describe('out-of-range values', () => {
  it('name the key, the value, the allowed range and the override', () => {
    expect(message(() => loadConfig(LIGHT, ['epochs=0']))).toBe(
      `[E_CONFIG_INVALID] ${LIGHT}: "epochs" = 0 is out of range (allowed: an integer ≥ 1) (set by -o epochs=0)`,
    );
    expect(message(() => loadConfig(LIGHT, ['MODEL.head.ls_eps=1']))).toMatch(
      /"MODEL\.head\.ls_eps" = 1 is out of range \(allowed: a number ≥ 0 and < 1\) \(set by -o MODEL\.head\.ls_eps=1\)/,
    );
    expect(message(() => loadConfig(LIGHT, ['MODEL.backbone.base_channel=6']))).toMatch(
      /"MODEL\.backbone\.base_channel" = 6 is out of range \(allowed: an integer ≥ 8\)/,
    );
    expect(message(() => loadConfig(LIGHT, ['PIPELINE.train.sample.p_interval=[0.5, 0.7, 1]']))).toMatch(
      /"PIPELINE\.train\.sample\.p_interval" has 3 items \(allowed: 1 to 2\) \(set by -o PIPELINE/,
    );
    expect(message(() => loadConfig(LIGHT, ['PIPELINE.train.sample.p_interval.0=2']))).toMatch(
      /"PIPELINE\.train\.sample\.p_interval\.0" = 2 is out of range \(allowed: a number > 0 and ≤ 1\)/,
    );
    // every message carries the offending value (it used to print "got undefined")
    expect(message(() => loadConfig(LIGHT, ['DATASET.batch_size=abc']))).toMatch(
      /"DATASET\.batch_size" must be integer \(got "abc"\)/,
    );
    expect(message(() => loadConfig(LIGHT, ['epochs=-2', 'DATASET.batch_size=0']))).not.toContain('undefined');
  });

  it('resume_epoch: an epoch number or auto, one message for any other value', () => {
    expect(loadConfig(LIGHT, ['resume_epoch=auto']).cfg.resume_epoch).toBe('auto');
    expect(loadConfig(LIGHT, ['resume_epoch=4']).cfg.resume_epoch).toBe(4);
    for (const v of ['latest', '-1', '1.5', 'True'])
      expect(message(() => loadConfig(LIGHT, [`resume_epoch=${v}`]))).toMatch(
        new RegExp(
          `^\\[E_CONFIG_INVALID\\] .*: "resume_epoch" must be an integer ≥ 0 or "auto" \\(got [^)]+\\) \\(set by -o resume_epoch=${v}\\)$`,
        ),
      );
  });
});

describe('a missing -c path', () => {
  it("PaddleVideo's configs/recognition/… path names the shipped recipe", () => {
    expect(message(() => loadConfig('configs/recognition/ctrgcn/ctrgcn_light_ntucs_joint.yaml'))).toMatch(
      /config file not found: configs\/recognition\/ctrgcn\/ctrgcn_light_ntucs_joint\.yaml; this is PaddleVideo's layout: the recipe shipped for it is \S*configs\/ctrgcn_light_ntucs_joint\.yaml$/,
    );
    expect(missingConfigHint('configs/recognition/ctrgcn/ctrgcn_ntucs_joint.yaml')).toMatch(
      /shipped for it is \S*configs\/ctrgcn_ntucs_joint\.yaml$/,
    );
    expect(missingConfigHint('configs/recognition/ctrgcn/ctrgcn_ntucs_bone.yaml')).toMatch(
      /no recipe of that name ships here \(shipped recipes: .*ctrgcn_light_lite\.yaml/,
    );
  });

  it('a typo gets the nearest shipped name; anything else the list', () => {
    expect(missingConfigHint('configs/ctrgcn_light_ntucs_jiont.yaml')).toMatch(
      /; did you mean \S*configs\/ctrgcn_light_ntucs_joint\.yaml\?$/,
    );
    expect(missingConfigHint('nope.yaml')).toContain(
      path.join(path.relative(process.cwd(), SHIPPED_CONFIGS), 'ctrgcn_light_lite.yaml'),
    );
  });
});
