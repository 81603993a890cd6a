// training: the last validation top-1 each training run recorded ≥ gates.training.minValTop1.
import type { GatesConfig } from '../params/index.js';
import { stepFailure, verdict, type Evidence, type Gate } from './types.js';

export function trainingGates(ev: Evidence, cfg: GatesConfig): Gate[] {
  return ev.results
    .filter((x) => x.kind === 'train' && x.origin === 'driver')
    .map((t) =>
      verdict({
        name: ev.named('training', t.dir),
        unit: 'top1',
        value: ev.ms.training.find((x) => x.unit === t.dir)?.lastValTop1 ?? null,
        threshold: cfg.training.minValTop1,
        cmp: '≥',
        key: 'gates.training.minValTop1',
        what: `final validation top-1 of ${t.name} (needs train --validate)`,
        failure: stepFailure(t, 'train') || undefined,
      }),
    );
}
