// gates.regression of a recorded run, for judging its change from the run before it. In order: the
// thresholds of the run's own regression[…] gates (a run made with --baseline records what it used,
// command-line overrides included), else the gates file the report names (gatesSource, relative to
// the directory the run ran in), else the defaults the regression gate uses.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultGates, loadGates, loadParams, type GatesConfig } from '../params/index.js';
import type { RegressionThresholds } from './series.js';
import type { Report } from '../report/index.js';

type Regression = GatesConfig['regression'];

const GATE_KEYS = {
  'regression[size]': 'maxSizeGrowth',
  'regression[accuracy]': 'maxTop1Drop',
  'regression[latency]': 'maxLatencySlowdown',
} as const satisfies Record<string, keyof Regression>;

/** The thresholds of the run's regression gates, when all three are recorded with a number. */
function fromRegressionGates(r: Pick<Report, 'gates'>): Regression | null {
  const out: Partial<Regression> = {};
  for (const g of r.gates) {
    const key = GATE_KEYS[g.name as keyof typeof GATE_KEYS];
    if (key && typeof g.threshold === 'number' && Number.isFinite(g.threshold)) out[key] = g.threshold;
  }
  return out.maxSizeGrowth !== undefined && out.maxTop1Drop !== undefined && out.maxLatencySlowdown !== undefined
    ? (out as Regression)
    : null;
}

/** gates.regression of the file `source` names (`FILE#gates`: a typed params file's own section). */
function fromGatesSource(source: string, root: string): { regression: Regression } | { problem: string } {
  const typed = source.endsWith('#gates');
  const file = path.resolve(root, typed ? source.slice(0, -'#gates'.length) : source);
  if (!existsSync(file)) return { problem: `${source} not found under ${root}` };
  try {
    if (typed) {
      const p = loadParams(file);
      return { regression: loadGates(file, { gates: p.gates, chain: p.chain }).gates.regression };
    }
    // loadGates picks the gates file beside a params file, as the run did.
    const loaded = loadGates(path.join(path.dirname(file), 'train_infer_python.txt'));
    if (path.resolve(loaded.source) !== file)
      return { problem: `${source} is no longer the gates file of its folder (${loaded.source} is)` };
    return { regression: loaded.gates.regression };
  } catch (e) {
    return { problem: `${source}: ${(e as Error).message}` };
  }
}

/** The regression thresholds a run is judged by; `root` is the directory its relative paths start from. */
export function regressionThresholds(r: Pick<Report, 'gates' | 'gatesSource'>, root: string): RegressionThresholds {
  const recorded = fromRegressionGates(r);
  if (recorded) return { ...recorded, source: "the run's regression gates" };
  const defaults = defaultGates().regression;
  if (!r.gatesSource || r.gatesSource === 'defaults') return { ...defaults, source: 'defaults' };
  const found = fromGatesSource(r.gatesSource, root);
  if ('regression' in found) return { ...found.regression, source: r.gatesSource };
  return { ...defaults, source: `defaults (${found.problem})` };
}
