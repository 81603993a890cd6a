// records: every step of ours left valid chain records (chain.records: required), and no records file
// holds a malformed line whatever the policy.
import type { GatesConfig } from '../params/index.js';
import type { Evidence, Gate } from './types.js';

export function recordsGates(ev: Evidence, _cfg: GatesConfig): Gate[] {
  const required = ev.chain.records === 'required';
  const problems = ev.data.problems();
  if (!required && !problems.length) return [];
  const n = [...ev.data.byId.values()].reduce((a, d) => a + (d.records?.length ?? 0), 0);
  const ran = ev.results.filter((r) => r.status === 'pass').length;
  const empty = required && ran > 0 && n === 0;
  return [
    {
      name: 'records',
      status: problems.length === 0 && !empty ? 'pass' : 'fail',
      value: n,
      threshold: required ? 'every passed step' : 'no malformed line',
      unit: 'records',
      detail: problems.length
        ? problems.slice(0, 6).join('; ')
        : empty
          ? `${ran} passed step(s) and not one chain record`
          : `${n} valid chain records from ${ev.data.byId.size} steps`,
    },
  ];
}
